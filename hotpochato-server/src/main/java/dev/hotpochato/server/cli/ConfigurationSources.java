package dev.hotpochato.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import dev.hotpochato.server.internal.Problems;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * Where a flag's value comes from when the command line does not set it: the environment
 * ({@code HOTPOCHATO_MAX_FRAME_BYTES} for {@code --max-frame-bytes}), then the configuration file
 * ({@code --config FILE} or {@code HOTPOCHATO_CONFIG}; key {@code max-frame-bytes}), then the
 * option's own default. So the order is flags, environment, file, defaults.
 *
 * <p>picocli asks this provider about every option the command line left unset, so a flag added to
 * {@link ServerCommand} gets its environment variable and file key with no code of its own. It also
 * writes a {@link Duration} default as it is typed ({@code 30s}), which is what {@code --help} then
 * shows. Used on the main thread while picocli parses.
 */
final class ConfigurationSources implements CommandLine.IDefaultValueProvider {

    static final String ENV_PREFIX = "HOTPOCHATO_";
    static final String CONFIG_FLAG = "--config";

    private final CommandSpec spec;
    private final Map<String, String> env;
    /** Where the value picocli got from us for each option (by its longest name) came from. */
    private final Map<String, String> origins = new HashMap<>();
    private Path file;
    private Map<String, String> fileValues;

    ConfigurationSources(CommandSpec spec, Map<String, String> env) {
        this.spec = spec;
        this.env = Map.copyOf(env);
    }

    /** {@code --max-frame-bytes} -> {@code HOTPOCHATO_MAX_FRAME_BYTES}. */
    static String environmentVariable(OptionSpec option) {
        return ENV_PREFIX + key(option).toUpperCase(Locale.ROOT).replace('-', '_');
    }

    /** {@code --max-frame-bytes} -> {@code max-frame-bytes}. */
    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }

    /** Options that can come from the environment and the file: all but --help and --version. */
    static boolean configurable(OptionSpec option) {
        return !option.usageHelp() && !option.versionHelp() && option.longestName().startsWith("--");
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || !configurable(option)) {
            return null;
        }
        String name = option.longestName();
        origins.remove(name);
        String fromEnv = fromEnvironment(option);
        if (fromEnv != null) {
            origins.put(name, "the environment variable " + environmentVariable(option));
            return fromEnv;
        }
        if (!name.equals(CONFIG_FLAG)) {
            String fromFile = fileValues().get(key(option));
            if (fromFile != null) {
                origins.put(name, "'" + key(option) + "' in " + file);
                return resolveAgainstFile(option, fromFile);
            }
        }
        if (option.initialValue() instanceof Duration d) {
            return Durations.format(d);
        }
        return null;
    }

    /**
     * Where the value of {@code option} came from when it was not on the command line, as a phrase
     * ("the environment variable HOTPOCHATO_PORT", "'port' in /etc/hotpochato/server.properties"),
     * or null when it came from the command line or is the default.
     */
    String origin(OptionSpec option) {
        return option == null ? null : origins.get(option.longestName());
    }

    /** The configuration file in use, or null. */
    Path file() {
        fileValues();
        return file;
    }

    private String fromEnvironment(OptionSpec option) {
        String value = env.get(environmentVariable(option));
        // An empty variable counts as unset: container and unit files often write VAR= to mean that.
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** A relative path in the file is relative to the file's own directory, not to where the server starts. */
    private String resolveAgainstFile(OptionSpec option, String value) {
        if ((option.type() == Path.class || option.type() == java.io.File.class) && file.getParent() != null
                && !Path.of(value).isAbsolute()) {
            return file.getParent().resolve(value).toString();
        }
        return value;
    }

    /**
     * The values of the configuration file that {@code --config} (when the command line has given it
     * yet) or else {@code HOTPOCHATO_CONFIG} names. picocli also asks for defaults while it is still
     * parsing (before it has seen a later {@code --config}) and ignores what fails then; so the file
     * is found again at every call, a file read is kept only for its own name, and a file that cannot
     * be used throws at every call, the last of which (after parsing) stops the command.
     */
    private Map<String, String> fileValues() {
        OptionSpec configOption = spec.findOption(CONFIG_FLAG);
        // The command line's value, when --config was there; its value may otherwise be our own default already.
        Object fromCommandLine = configOption.originalStringValues().isEmpty() ? null : configOption.getValue();
        String fromEnv = fromEnvironment(configOption);
        if (fromCommandLine == null && fromEnv == null) {
            file = null;
            return Map.of();
        }
        Path named = fromCommandLine != null ? (Path) fromCommandLine : Path.of(fromEnv);
        if (fileValues != null && named.equals(file)) {
            return fileValues;
        }
        file = named;
        fileValues = null;
        String via = fromCommandLine != null ? CONFIG_FLAG + " " + named : environmentVariable(configOption) + "=" + named;
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(named, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationFileException(spec.commandLine(),
                    via + ": cannot read the configuration file: " + Problems.describe(e));
        }
        Map<String, OptionSpec> byKey = new HashMap<>();
        for (OptionSpec o : spec.options()) {
            if (configurable(o) && !o.longestName().equals(CONFIG_FLAG)) {
                byKey.put(key(o), o);
            }
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String k : new TreeSet<>(properties.stringPropertyNames())) {
            if (!byKey.containsKey(k)) {
                throw new ConfigurationFileException(spec.commandLine(), "unknown key '" + k + "' in " + named
                        + " (keys are the flag names without '--', such as 'port'; see --help)");
            }
            values.put(k, properties.getProperty(k).trim());
        }
        fileValues = values;
        return fileValues;
    }

    /**
     * Reads the configuration file named by {@code --config} or {@code HOTPOCHATO_CONFIG}, if any,
     * once parsing is over: a file that cannot be used stops the command even when every flag was
     * on the command line.
     */
    void check() {
        fileValues();
    }

    /** The configuration file is missing, unreadable, or names a key that is no flag. */
    static final class ConfigurationFileException extends CommandLine.ParameterException {
        private static final long serialVersionUID = 1L;

        ConfigurationFileException(CommandLine commandLine, String message) {
            super(commandLine, message);
        }
    }
}
