package dev.hotpochato.terminal;

import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The client's configuration file, {@code ~/.config/hotpochato/client.properties} unless
 * {@code --config} names another: Java properties whose keys are the long options without their
 * dashes. Options on the command line override it. For example:
 *
 * <pre>
 * host = chat.example.org
 * name = alice
 * tls = true
 * token-file = /home/alice/.config/hotpochato/token
 * log-dir = /home/alice/chatlogs
 * </pre>
 *
 * <p>Values feed picocli as defaults, so they are converted and checked like the options
 * themselves. An unknown key is an error (a typo must not be silently ignored), and so is
 * {@code token}: a secret belongs in its own file, named by {@code token-file}.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {

    /** Keys given to options as their default value. */
    static final List<String> VALUE_KEYS = List.of("host", "port", "name", "room", "trust", "token-file",
            "request-timeout", "reconnect-for", "turn-timeout", "max-wait", "log-dir", "history");
    /** Keys read as {@code true} or {@code false} by the command itself (each has a --X and a --no-X flag). */
    static final List<String> SWITCH_KEYS = List.of("match", "tls", "reconnect", "color");

    private final Path path;
    private final Properties properties;

    private ConfigFile(Path path, Properties properties) {
        this.path = path;
        this.properties = properties;
    }

    static ConfigFile empty() {
        return new ConfigFile(null, new Properties());
    }

    /**
     * Reads {@code path}; a missing file is an empty configuration unless {@code required}.
     *
     * @throws IllegalArgumentException with a message naming the file, for a file that cannot be
     *         read or that holds an unknown key or a bad switch value
     */
    static ConfigFile read(Path path, boolean required) {
        if (!Files.exists(path)) {
            if (required) {
                throw new IllegalArgumentException("--config " + path + ": no such file");
            }
            return empty();
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": cannot read it (" + e.getMessage() + ")");
        }
        for (String key : p.stringPropertyNames()) {
            if (key.equals("token")) {
                throw new IllegalArgumentException(path + ": put the token in a file of its own and name it "
                        + "with token-file (a configuration file is no place for a secret)");
            }
            if (!VALUE_KEYS.contains(key) && !SWITCH_KEYS.contains(key)) {
                TreeSet<String> known = new TreeSet<>(VALUE_KEYS);
                known.addAll(SWITCH_KEYS);
                throw new IllegalArgumentException(path + ": unknown key '" + key + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
        ConfigFile config = new ConfigFile(path, p);
        for (String key : SWITCH_KEYS) {
            config.flag(key); // fails now on a bad value
        }
        return config;
    }

    /** The switch {@code key}: null if absent. */
    Boolean flag(String key) {
        String value = properties.getProperty(key);
        if (value == null) {
            return null;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException(path + ": " + key + " must be true or false, not '" + value + "'");
        };
    }

    boolean has(String key) {
        return properties.containsKey(key);
    }

    @Override
    public String defaultValue(ArgSpec argSpec) {
        if (!(argSpec instanceof OptionSpec option)) {
            return null;
        }
        String key = option.longestName().replaceFirst("^--", "");
        return VALUE_KEYS.contains(key) ? trimmed(properties.getProperty(key)) : null;
    }

    private static String trimmed(String value) {
        return value == null ? null : value.trim();
    }
}
