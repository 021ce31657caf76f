package dev.hotpochato.terminal;

import java.nio.file.Path;
import java.util.Map;

/**
 * What the client reads from its surroundings besides the command line: environment variables and
 * the home directory, which locate the configuration file and the input history. A value, so that
 * tests can give their own.
 *
 * @param variables the environment
 * @param home      the user's home directory
 */
public record Environment(Map<String, String> variables, Path home) {

    public static Environment system() {
        return new Environment(System.getenv(), Path.of(System.getProperty("user.home", ".")));
    }

    /** A variable's value, or null when it is unset or empty. */
    public String get(String name) {
        String value = variables.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** {@code $XDG_CONFIG_HOME/hotpochato/client.properties}, by default {@code ~/.config/hotpochato/client.properties}. */
    public Path configFile() {
        return base("XDG_CONFIG_HOME", ".config").resolve("hotpochato").resolve("client.properties");
    }

    /** {@code $XDG_STATE_HOME/hotpochato/history}, by default {@code ~/.local/state/hotpochato/history}. */
    public Path historyFile() {
        return base("XDG_STATE_HOME", ".local/state").resolve("hotpochato").resolve("history");
    }

    private Path base(String variable, String underHome) {
        String dir = get(variable);
        return dir != null && Path.of(dir).isAbsolute() ? Path.of(dir) : home.resolve(underHome);
    }
}
