package dev.hotpochato.server.cli;

import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every flag also comes from the environment and from a file: flags > environment > file > defaults. */
class ConfigurationTest {

    /** Parses {@code args} with {@code env} as the environment, as main does, without starting anything. */
    private static ServerCommand parse(Map<String, String> env, String... args) {
        ServerCommand command = new ServerCommand();
        ServerCommand.commandLine(command, env).parseArgs(args);
        return command;
    }

    /**
     * Runs the command as main does, up to the first error; returns the exit code and what it printed.
     * Only for errors found before the server would start: from there on the command installs signal
     * handlers, which belong to a process of its own (ServerCommandTest).
     */
    private static Result run(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = ServerCommand.commandLine(new ServerCommand(), env);
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, err.toString());
    }

    private record Result(int exit, String output) {
        /** The output is one line (no usage text, no stack trace). */
        boolean oneLine() {
            return output.strip().lines().count() == 1;
        }
    }

    @Test
    void eachSourceWinsOverTheNextOne(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("server.properties"), "max-frame-bytes = 20000\n");
        Map<String, String> env = Map.of("HOTPOCHATO_MAX_FRAME_BYTES", "30000");
        String config = "--config=" + file;

        assertEquals(40000, parse(env, config, "--max-frame-bytes", "40000").options().maxFrameBytes(), "flag over environment");
        assertEquals(30000, parse(env, config).options().maxFrameBytes(), "environment over file");
        assertEquals(20000, parse(Map.of(), config).options().maxFrameBytes(), "file over default");
        assertEquals(ServerOptions.defaults().maxFrameBytes(), parse(Map.of()).options().maxFrameBytes(), "default");
    }

    @Test
    void everyFlagHasAnEnvironmentVariableAndAFileKeyByOneRule(@TempDir Path dir) throws Exception {
        CommandLine cl = ServerCommand.commandLine(new ServerCommand(), Map.of());
        List<OptionSpec> options = cl.getCommandSpec().options().stream()
                .filter(ConfigurationSources::configurable).toList();
        assertTrue(options.size() > 20, "the flags are all there");
        for (OptionSpec option : options) {
            String flag = option.longestName();
            String expectedEnv = "HOTPOCHATO_" + flag.substring(2).toUpperCase().replace('-', '_');
            assertEquals(expectedEnv, ConfigurationSources.environmentVariable(option));
            assertEquals(flag.substring(2), ConfigurationSources.key(option));

            // Whatever the flag, the provider hands picocli the environment's value, then the file's.
            String sample = option.type() == boolean.class ? "true" : "sample-" + flag;
            ConfigurationSources fromEnv = new ConfigurationSources(
                    ServerCommand.commandLine(new ServerCommand(), Map.of()).getCommandSpec(), Map.of(expectedEnv, sample));
            assertEquals(sample, fromEnv.defaultValue(option), flag);
            if (!flag.equals("--config")) {
                Path file = Files.writeString(dir.resolve("f" + flag + ".properties"), flag.substring(2) + "=" + sample);
                ServerCommand command = new ServerCommand();
                CommandLine withFile = ServerCommand.commandLine(command, Map.of("HOTPOCHATO_CONFIG", file.toString()));
                OptionSpec same = withFile.getCommandSpec().findOption(flag);
                String got = new ConfigurationSources(withFile.getCommandSpec(), Map.of("HOTPOCHATO_CONFIG", file.toString()))
                        .defaultValue(same);
                assertTrue(got.endsWith(sample), flag + " from the file: " + got);
            }
        }
    }

    @Test
    void theExampleConfigFileInDistIsValid() {
        ServerCommand command = parse(Map.of(), "--config", Path.of("..", "dist", "server.properties").toString());
        ServerOptions options = command.options();
        assertEquals(7447, options.port());
        assertEquals(9447, options.adminPort());
        assertEquals("127.0.0.1", options.adminBindAddress());
    }

    @Test
    void theConfigFileCanBeNamedByTheEnvironment(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("server.properties"), "port=7999\nturn-timeout=20s\nno-console=true\n");
        ServerCommand command = parse(Map.of("HOTPOCHATO_CONFIG", file.toString()));
        assertEquals(7999, command.options().port());
        assertEquals(Duration.ofSeconds(20), command.options().turnTimeout());
        assertTrue(command.noConsole);
    }

    @Test
    void aBooleanFlagComesFromTheEnvironment() {
        assertTrue(parse(Map.of("HOTPOCHATO_NO_CONSOLE", "true")).noConsole);
        assertFalse(parse(Map.of("HOTPOCHATO_NO_CONSOLE", "false")).noConsole);
        assertFalse(parse(Map.of("HOTPOCHATO_NO_CONSOLE", "")).noConsole, "an empty variable counts as unset");
    }

    @Test
    void aRelativePathInTheFileIsRelativeToTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("server.properties"), "auth-tokens = tokens.txt\n");
        assertEquals(dir.resolve("tokens.txt"), parse(Map.of(), "--config", file.toString()).authTokens);
    }

    @Test
    void anUnknownKeyInTheFileIsAnErrorNamingTheKeyAndTheFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("server.properties"), "port = 7447\nprot = 7448\n");
        Result r = run(Map.of(), "--config", file.toString());
        assertEquals(2, r.exit());
        assertTrue(r.output().contains("unknown key 'prot' in " + file), r.output());
        assertTrue(r.oneLine(), r.output());
    }

    @Test
    void aValueThatDoesNotParseNamesItsKeyAndFile(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("server.properties"), "idle-timeout = soon\n");
        Result r = run(Map.of(), "--config", file.toString());
        assertEquals(2, r.exit());
        assertTrue(r.output().contains("'soon' is not a duration"), r.output());
        assertTrue(r.output().contains("from 'idle-timeout' in " + file), r.output());
        assertTrue(r.oneLine(), r.output());
    }

    @Test
    void aValueThatDoesNotParseNamesItsVariable() {
        Result r = run(Map.of("HOTPOCHATO_PORT", "seventy"));
        assertEquals(2, r.exit());
        assertTrue(r.output().contains("Invalid value for option '--port': 'seventy' is not an int"), r.output());
        assertTrue(r.output().contains("from the environment variable HOTPOCHATO_PORT"), r.output());
        assertTrue(r.oneLine(), r.output());
    }

    @Test
    void aMissingConfigFileIsAnError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.properties");
        Result r = run(Map.of("HOTPOCHATO_CONFIG", missing.toString()));
        assertEquals(2, r.exit());
        assertEquals("hotpochato-server: HOTPOCHATO_CONFIG=" + missing + ": cannot read the configuration file: no such file",
                r.output().strip());
    }

    @Test
    void aValueOutOfRangeNamesTheFlagAndWhereItCameFrom() {
        Result r = run(Map.of("HOTPOCHATO_MAX_FRAME_BYTES", "1"));
        assertEquals(1, r.exit());
        assertEquals("hotpochato-server: --max-frame-bytes must be between 64 and 16777216: 1 "
                + "(--max-frame-bytes from the environment variable HOTPOCHATO_MAX_FRAME_BYTES)", r.output().strip());
    }

    @Test
    void aRuleBetweenTwoFlagsNamesBothFlags(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("s.properties"), "max-turn-timeout = 1m\n");
        Result r = run(Map.of(), "--config", file.toString(), "--turn-timeout", "2m");
        assertEquals(1, r.exit());
        assertEquals("hotpochato-server: --turn-timeout (120000 ms) must not exceed --max-turn-timeout (60000 ms); "
                + "raise --max-turn-timeout, or set it to 0 for no cap (--max-turn-timeout from 'max-turn-timeout' in "
                + file + ")", r.output().strip());
    }

    @Test
    void aMissingTokenFileNamesTheFlagAndTheFile(@TempDir Path dir) {
        Path missing = dir.resolve("x.txt");
        Result r = run(Map.of(), "--auth-tokens", missing.toString());
        assertEquals(1, r.exit());
        assertEquals("hotpochato-server: --auth-tokens: cannot read the token file " + missing + ": no such file",
                r.output().strip());
    }

    @Test
    void tlsFlagsGoTogether(@TempDir Path dir) {
        Result r = run(Map.of("HOTPOCHATO_TLS_CERT", dir.resolve("c.pem").toString()));
        assertEquals(1, r.exit());
        assertTrue(r.output().startsWith("hotpochato-server: --tls-cert and --tls-key go together "
                + "(--tls-cert from the environment variable HOTPOCHATO_TLS_CERT)"), r.output());
    }

    @Test
    void helpShowsDurationsAsTheyAreTyped() {
        Result r = run(Map.of(), "--help");
        assertEquals(0, r.exit());
        assertTrue(r.output().contains("Default: 30s"), r.output());
        assertTrue(r.output().contains("Default: 10m"), r.output());
        assertFalse(r.output().contains("PT"), r.output());
    }

    @Test
    void durationsAreWrittenBackAsTyped() {
        for (String typed : List.of("0", "500ms", "1500ms", "30s", "90s", "10m", "1h", "36h")) {
            assertEquals(typed, Durations.format(Durations.parse(typed)));
        }
        assertEquals("2m", Durations.format(Durations.parse("120")), "a bare number is seconds");
    }

    @Test
    void anEnvironmentValueShowsInHelpAsTheDefault() {
        Map<String, String> env = new HashMap<>();
        env.put("HOTPOCHATO_TURN_TIMEOUT", "45s");
        Result r = run(env, "--help");
        assertTrue(r.output().contains("Default: 45s"), r.output());
    }

    @Test
    void theConfigFlagCountsWhereverItIsOnTheCommandLine(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.properties"), "port = 18010\nbind = 127.0.0.1\n");
        for (List<String> args : List.of(List.of("--no-console", "--config", file.toString()),
                List.of("--config", file.toString(), "--no-console"),
                List.of("--max-members", "5", "--config=" + file, "--no-console"))) {
            ServerCommand command = parse(Map.of(), args.toArray(String[]::new));
            assertEquals(18010, command.options().port(), args.toString());
            assertEquals("127.0.0.1", command.options().bindAddress(), args.toString());
        }
    }

    @Test
    void theConfigFlagWinsOverTheVariable(@TempDir Path dir) throws Exception {
        Path flag = Files.writeString(dir.resolve("flag.properties"), "port = 18011\n");
        Path env = Files.writeString(dir.resolve("env.properties"), "port = 18012\nbind = 127.0.0.1\n");
        ServerCommand command = parse(Map.of("HOTPOCHATO_CONFIG", env.toString()), "--no-console", "--config", flag.toString());
        assertEquals(18011, command.options().port());
        assertEquals(ServerOptions.defaults().bindAddress(), command.options().bindAddress(), "only one file is read");
    }

    @Test
    void everyProblemWithTheFileStopsTheCommandWhateverTheOtherFlags(@TempDir Path dir) throws Exception {
        Path unknown = Files.writeString(dir.resolve("u.properties"), "bind = 127.0.0.1\nadmin_port = 18061\n");
        Path missing = dir.resolve("missing.properties");
        Path unreadable = Files.createDirectory(dir.resolve("dir.properties"));
        for (List<String> before : List.of(List.<String>of(), List.of("--no-console"), List.of("--port", "18013"))) {
            Result r = run(Map.of(), concat(before, "--config", unknown.toString()));
            assertEquals(2, r.exit(), r.output());
            assertEquals("hotpochato-server: unknown key 'admin_port' in " + unknown
                    + " (keys are the flag names without '--', such as 'port'; see --help)", r.output().strip());

            r = run(Map.of("HOTPOCHATO_CONFIG", unknown.toString()), concat(before));
            assertEquals(2, r.exit(), r.output());
            assertTrue(r.oneLine() && r.output().contains("unknown key 'admin_port' in " + unknown), r.output());

            r = run(Map.of(), concat(before, "--config", missing.toString()));
            assertEquals(2, r.exit(), r.output());
            assertEquals("hotpochato-server: --config " + missing + ": cannot read the configuration file: no such file",
                    r.output().strip());

            r = run(Map.of("HOTPOCHATO_CONFIG", unreadable.toString()), concat(before));
            assertEquals(2, r.exit(), r.output());
            assertTrue(r.oneLine() && r.output().startsWith("hotpochato-server: HOTPOCHATO_CONFIG=" + unreadable
                    + ": cannot read the configuration file"), r.output());
        }
    }

    @Test
    void anUnknownLogLevelIsRefusedLikeAnUnknownLogFormat() {
        Result r = run(Map.of(), "--log-level", "loud");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().startsWith("hotpochato-server: Invalid value for option '--log-level': expected one of "
                + "[ERROR, WARN, INFO, DEBUG, TRACE] (case-insensitive) but was 'loud'"), r.output());

        r = run(Map.of("HOTPOCHATO_LOG_LEVEL", "verbose"));
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.oneLine(), r.output());
        assertTrue(r.output().contains("but was 'verbose' (from the environment variable HOTPOCHATO_LOG_LEVEL)"), r.output());

        assertEquals(ServerCommand.LogLevel.DEBUG, parse(Map.of(), "--log-level", "debug").logLevel);
        assertEquals(ServerCommand.LogLevel.WARN, parse(Map.of("HOTPOCHATO_LOG_LEVEL", "WARN")).logLevel);
    }

    @Test
    void aWrongCommandLineIsOneLineAndAHintNotTheUsage() {
        Result r = run(Map.of(), "--idle-timeout", "soon");
        assertEquals(2, r.exit(), r.output());
        assertEquals(List.of("hotpochato-server: Invalid value for option '--idle-timeout': 'soon' is not a duration like 30s, 500ms or 2m",
                "Try 'hotpochato-server --help' for the flags."), r.output().strip().lines().toList());

        r = run(Map.of(), "--log-format", "xml");
        assertEquals(2, r.exit(), r.output());
        assertEquals(2, r.output().strip().lines().count(), r.output());
        assertTrue(r.output().startsWith("hotpochato-server: Invalid value for option '--log-format'"), r.output());

        r = run(Map.of(), "--prot", "7447");
        assertEquals(2, r.exit(), r.output());
        List<String> lines = r.output().strip().lines().toList();
        assertEquals(2, lines.size(), r.output());
        assertEquals("hotpochato-server: Unknown options: '--prot', '7447'", lines.get(0));
        assertTrue(lines.get(1).startsWith("Try 'hotpochato-server --help' for the flags"), r.output());
    }

    @Test
    void aDurationOutOfRangeIsShownAsTheFlagsWriteIt() {
        Result r = run(Map.of(), "--idle-timeout=-5s");
        assertEquals(1, r.exit(), r.output());
        assertEquals("hotpochato-server: --idle-timeout must be positive and under 24 days: -5s", r.output().strip());

        r = run(Map.of(), "--slow-consumer-timeout", "0");
        assertEquals(1, r.exit(), r.output());
        assertEquals("hotpochato-server: --slow-consumer-timeout must be positive and under 24 days: 0s", r.output().strip());

        assertEquals("a 1500ms, b -2m, c 90s, d 0s, PTA stays", ServerCommand.durationsAsTyped(
                "a " + Duration.ofMillis(1500) + ", b " + Duration.ofMinutes(-2) + ", c " + Duration.ofSeconds(90)
                        + ", d " + Duration.ZERO + ", PTA stays"));
    }

    /** As docs/operations.md says: the liveness flags out of range exit 1 naming the flag, unparseable 2, like any flag. */
    @Test
    void livenessValuesOutOfRangeExitOneAndValuesThatDoNotParseExitTwo() {
        Result r = run(Map.of(), "--cluster-heartbeat", "5ms");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.oneLine() && r.output().contains("--cluster-heartbeat must be between 10 ms and 1 minute"), r.output());

        r = run(Map.of(), "--cluster-node-timeout", "11m");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.oneLine() && r.output().contains("--cluster-node-timeout must be between 20 ms and 10 minutes"),
                r.output());

        r = run(Map.of(), "--cluster-heartbeat", "2s", "--cluster-node-timeout", "1s");
        assertEquals(1, r.exit(), r.output());
        assertTrue(r.oneLine() && r.output().contains("--cluster-node-timeout") && r.output().contains("--cluster-heartbeat"),
                r.output());

        r = run(Map.of(), "--cluster-node-timeout", "soon");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().startsWith("hotpochato-server: ") && r.output().contains("--cluster-node-timeout"), r.output());
    }

    @Test
    void aMessageThatAlreadyNamesAFlagKeepsItOnce() {
        ServerCommand command = new ServerCommand();
        ServerCommand.commandLine(command, Map.of());
        assertEquals("--cluster: cannot use Redis at 127.0.0.1:18199: Connection refused",
                command.inFlagTerms("--cluster: cannot use Redis at 127.0.0.1:18199: Connection refused"));
        assertEquals("--tls-key k.pem does not belong to the certificate in --tls-cert c.pem",
                command.inFlagTerms("--tls-key k.pem does not belong to the certificate in tlsCertificate c.pem"));
        assertEquals("cannot listen on 0.0.0.0:7447 (--bind, --port): in use",
                command.inFlagTerms("cannot listen on 0.0.0.0:7447 (bindAddress, port): in use"));
    }

    private static String[] concat(List<String> first, String... more) {
        List<String> all = new java.util.ArrayList<>(first);
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }
}
