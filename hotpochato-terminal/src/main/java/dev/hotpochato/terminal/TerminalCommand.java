package dev.hotpochato.terminal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.InvalidOptionException;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.TurnPolicy;
import dev.hotpochato.client.ServerAddress;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.TlsOptions;
import dev.hotpochato.protocol.ProtocolDefaults;
import dev.hotpochato.terminal.interactive.ChatScreen;
import dev.hotpochato.terminal.interactive.ScreenOptions;
import dev.hotpochato.terminal.script.ScriptedClient;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * {@code java -jar hotpochato-terminal.jar} ({@code ./hotpochato client}): the terminal client, and
 * the one place its parts are wired together. Reads the configuration file and the options, finds
 * the token, connects, then runs interactively ({@link ChatScreen}, when standard input and output
 * are a terminal) or scripted ({@link ScriptedClient}, otherwise or with {@code --batch}).
 */
@Command(name = "hotpochato-terminal", mixinStandardHelpOptions = true, version = "HotPochato terminal client 0.1.0",
        sortOptions = false, showDefaultValues = true, usageHelpAutoWidth = true,
        description = {
            "Chats in a HotPochato room, where only the holder of the hot potato may speak.",
            "",
            "On a terminal it is interactive: type to talk on your turn (lines typed out of turn are queued "
                + "as drafts); /help lists the commands and keys.",
            "",
            "Without a terminal (input from a pipe or file, or with --batch) each input line is said on "
                + "your turn, and events are printed one per line, TAB-separated: kind, room, details. "
                + "After the end of input it leaves once its turn comes round again.",
            "",
            "Options may also be set in ~/.config/hotpochato/client.properties (keys are the long options "
                + "without dashes: host, name, tls, token-file, ...); the command line wins.",
            ""},
        footer = {
            "",
            "Exit codes:",
            "  0  done: everything said and left (scripted), or /quit",
            "  1  internal error",
            "  2  bad option or configuration",
            "  3  cannot connect (no server, TLS mismatch, not a HotPochato server)",
            "  4  refused by the server (name, token, room)",
            "  5  connection lost",
            "  6  server shut down",
            "  7  input lines left unsaid (scripted)",
            "  8  --max-wait passed after everything was said (scripted)"})
public final class TerminalCommand implements Callable<Integer> {

    /** How long a script keeps trying to get back to a server, unless --reconnect-for says otherwise. */
    static final Duration DEFAULT_SCRIPTED_RECONNECT_FOR = Duration.ofMinutes(1);

    /** The environment variable a token may come from. */
    public static final String TOKEN_VARIABLE = "HOTPOCHATO_TOKEN";
    private static final String NAME = "hotpochato-terminal";

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file. "
            + "Default: $XDG_CONFIG_HOME/hotpochato/client.properties, or ~/.config/hotpochato/client.properties.",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    Path config;

    @Option(names = "--host", paramLabel = "HOST", description = "Server host name or address; several, "
            + "comma-separated (HOST[:PORT],...), for the nodes of one service: each (re)connection tries the next.")
    String host = "localhost";

    @Option(names = "--port", paramLabel = "PORT", description = "Server TCP port.")
    int port = ProtocolDefaults.PORT;

    @Option(names = "--name", paramLabel = "NAME", description = "Your display name (1-32 printable characters). Default: your user name.",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    String name = System.getProperty("user.name", "guest");

    @Option(names = "--room", paramLabel = "ROOM", description = "Room to join (created if missing). Default: lobby.")
    String room;

    @Option(names = "--match", description = "Instead of a room, be paired with a stranger in a private room.")
    boolean match;

    @Option(names = "--batch", description = "Run non-interactively even on a terminal.")
    boolean batch;

    @Option(names = "--tls", description = "Connect with TLS, trusting the JDK's certificate authorities "
            + "(or those of --trust); the certificate must name the host.")
    boolean tls;

    @Option(names = "--no-tls", description = "Plain TCP, even if the configuration file says tls = true.")
    boolean noTls;

    @Option(names = "--trust", paramLabel = "FILE", description = "PEM file of the certificates to trust "
            + "(a CA's or the server's own) instead of the JDK's; implies --tls.")
    Path trust;

    @Option(names = "--token-file", paramLabel = "FILE", description = "File whose first line is the token for a "
            + "server that requires one. The token may also come from $" + TOKEN_VARIABLE + ".")
    Path tokenFile;

    @Option(names = "--token", paramLabel = "TOKEN", description = "The token itself; visible to other users "
            + "in 'ps': prefer --token-file or $" + TOKEN_VARIABLE + ".")
    String token;

    @Option(names = "--no-reconnect", description = "Give up when the connection is lost, instead of "
            + "reconnecting and resuming the session (or opening a new one and rejoining).")
    boolean noReconnect;

    @Option(names = "--reconnect", description = "Reconnect, even if the configuration file says reconnect = false.",
            hidden = true)
    boolean reconnect;

    @Option(names = "--reconnect-for", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to keep trying to get back to a server after the connection is lost (then "
                + "exit code 5, or 6 if the server shut down). Default: 1m scripted, no limit interactive.",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    Duration reconnectFor;

    @Option(names = "--request-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to wait for a reply, e.g. 10s, 500ms, 1m (a bare number is seconds). Default: 10s.",
            showDefaultValue = CommandLine.Help.Visibility.NEVER)
    Duration requestTimeout = Duration.ofSeconds(10);

    @Option(names = "--turn-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Turn length of the rooms this client creates (0: no limit, if the server allows it). "
                + "Default: the server's.")
    Duration turnTimeout;

    @Option(names = "--policy", paramLabel = "POLICY", converter = PolicyConverter.class,
            description = "How the room shares its turns if this client creates it: round-robin (default), queue "
                + "(raise a hand: /hand) or moderated (a chair, the creator, gives the floor: /grant).")
    TurnPolicy policy;

    @Option(names = "--messages-per-turn", paramLabel = "N", description = "How many messages a holder may say "
            + "in one turn (1-100; /pass ends a turn early) in the rooms this client creates. Default: 1.")
    Integer messagesPerTurn;

    @Option(names = "--revoke-grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "In the rooms this client creates: how long a holder whose turn a chair revoked may still "
                + "finish (one message, or /pass), at most 60s. Default: 0, the turn ends at the revoke.")
    Duration revokeGrace;

    @Option(names = "--audience", description = "Join as audience: listen without taking turns; /hand asks to speak.")
    boolean audience;

    @Option(names = "--max-wait", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Scripted: after the end of input, leave after this long even if lines are left "
                + "unsaid or the turn has not come round again (exit code 7 or 8). Default: no limit.")
    Duration maxWait;

    @Option(names = "--log-dir", paramLabel = "DIR", description = "Interactive: append each room's lines to "
            + "DIR/ROOM.log.")
    Path logDir;

    @Option(names = "--history", paramLabel = "FILE", description = "Interactive: where input history is kept "
            + "across runs; empty for none. Default: $XDG_STATE_HOME/hotpochato/history, or "
            + "~/.local/state/hotpochato/history.", showDefaultValue = CommandLine.Help.Visibility.NEVER)
    String history;

    @Option(names = "--no-color", description = "No colours (also when $NO_COLOR is set).")
    boolean noColor;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean onTerminal;
    private final Environment environment;
    private ConfigFile configFile = ConfigFile.empty();

    /** The session now open, for the shutdown hook that leaves cleanly on Ctrl-C. */
    private static volatile Session current;

    TerminalCommand(InputStream in, PrintStream out, PrintStream err, boolean onTerminal, Environment environment) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.onTerminal = onTerminal;
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        ClientOptions options;
        JoinOptions joinOptions;
        try {
            options = clientOptions();
            joinOptions = joinOptions();
        } catch (InvalidOptionException e) {
            throw new ParameterException(spec.commandLine(), inFlagTerms(e));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Session session;
        String hosts = options.addresses().stream().map(ServerAddress::toString).collect(Collectors.joining(","));
        // The library bounds each address by its connect and handshake timeouts; this only guards against a bug.
        long guard = options.addresses().size()
                * (options.connectTimeout().toMillis() + options.handshakeTimeout().toMillis()) + 10_000;
        try {
            session = HotPochatoClient.connect(options).get(guard, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (Failures.unwrap(e) instanceof InvalidOptionException invalid) { // a --trust file it cannot read
                throw new ParameterException(spec.commandLine(), inFlagTerms(invalid));
            }
            ConnectFailure failure = ConnectFailure.of(e, hosts);
            err.println(NAME + ": " + failure.line());
            return failure.exit().code();
        } catch (TimeoutException e) {
            err.println(NAME + ": no session with " + hosts + " after " + guard + " ms (check --host and --port)");
            return ExitCode.CANNOT_CONNECT.code();
        }
        current = session;
        try {
            Target target = target();
            if (onTerminal && !batch) {
                return interactive(session, target, joinOptions).code();
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Duration giveUp = reconnectFor != null ? reconnectFor : DEFAULT_SCRIPTED_RECONNECT_FOR;
            return new ScriptedClient(reader, out, maxWait, joinOptions, giveUp).run(session, target).code();
        } finally {
            session.close();
            current = null;
        }
    }

    private ExitCode interactive(Session session, Target target, JoinOptions joinOptions) {
        ScreenOptions screen = new ScreenOptions(historyFile(), logDir, color(), joinOptions, Clock.systemDefaultZone(),
                reconnectFor, reconnects());
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            return new ChatScreen(session, terminal, screen).run(target);
        } catch (IOException e) {
            err.println(NAME + ": cannot open the terminal: " + e.getMessage() + " (--batch runs without one)");
            return ExitCode.SOFTWARE;
        }
    }

    /** The options as the library wants them; fails with a message that names the flag. */
    ClientOptions clientOptions() {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("--name must not be empty");
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--port must be between 1 and 65535, not " + port);
        }
        if (turnTimeout != null && turnTimeout.isNegative()) {
            throw new IllegalArgumentException("--turn-timeout must not be negative (0 asks for no limit)");
        }
        if (requestTimeout.isZero() || requestTimeout.isNegative()) {
            throw new IllegalArgumentException("--request-timeout must be more than 0");
        }
        if (maxWait != null && (maxWait.isZero() || maxWait.isNegative())) {
            throw new IllegalArgumentException("--max-wait must be more than 0");
        }
        if (reconnectFor != null && (reconnectFor.isZero() || reconnectFor.isNegative())) {
            throw new IllegalArgumentException("--reconnect-for must be more than 0");
        }
        if (match && room != null && matchedOnCommandLine("--room")) {
            throw new IllegalArgumentException("--room and --match exclude each other");
        }
        if (tls && noTls) {
            throw new IllegalArgumentException("--tls and --no-tls exclude each other");
        }
        if (reconnect && noReconnect) {
            throw new IllegalArgumentException("--reconnect and --no-reconnect exclude each other");
        }
        boolean reconnects = reconnects();
        ClientOptions.Builder builder = ClientOptions.builder(name)
                .addresses(ServerAddress.parseList(host, port))
                .authToken(token())
                .reconnect(reconnects)
                // A session the server no longer knows (it restarted) is replaced and its rooms joined again.
                .autoRejoin(reconnects)
                .requestTimeout(requestTimeout);
        if (trust != null || usesTls()) {
            builder.tls(TlsOptions.builder().trustedCertificates(trust).build());
        }
        return builder.build();
    }

    /** A setting the library refused, in the user's terms: "--port must be between 1 and 65535, not 0". */
    private static String inFlagTerms(InvalidOptionException e) {
        String flag = flag(e.option());
        return switch (e.option()) {
            // Their message names the value (the address, the file), which the reason alone does not.
            case "address", "trustedCertificates" -> flag + ": " + e.getMessage();
            default -> flag + " " + e.reason();
        };
    }

    /** The flag of a library setting, for messages in the user's terms. */
    private static String flag(String option) {
        return switch (option) {
            case "displayName" -> "--name";
            case "host", "address", "addresses" -> "--host";
            case "port" -> "--port";
            case "authToken" -> "--token";
            case "requestTimeout" -> "--request-timeout";
            case "turnTimeout" -> "--turn-timeout";
            case "messagesPerTurn" -> "--messages-per-turn";
            case "revokeGrace" -> "--revoke-grace";
            case "trustedCertificates" -> "--trust";
            default -> "--" + option;
        };
    }

    private boolean usesTls() {
        if (tls || noTls) {
            return tls;
        }
        return Boolean.TRUE.equals(configFile.flag("tls"));
    }

    private boolean reconnects() {
        if (reconnect || noReconnect) {
            return reconnect;
        }
        return !Boolean.FALSE.equals(configFile.flag("reconnect"));
    }

    private boolean color() {
        if (noColor || environment.get("NO_COLOR") != null) {
            return false;
        }
        return !Boolean.FALSE.equals(configFile.flag("color"));
    }

    private Target target() {
        if (matchedOnCommandLine("--match")) {
            return Target.match();
        }
        if (matchedOnCommandLine("--room")) {
            return Target.room(room);
        }
        if (Boolean.TRUE.equals(configFile.flag("match"))) {
            return Target.match();
        }
        return Target.room(room == null || room.isBlank() ? "lobby" : room);
    }

    /**
     * The token: {@code --token}, else {@code --token-file} given on the command line, else
     * {@code $HOTPOCHATO_TOKEN}, else the configuration file's {@code token-file}; empty for none.
     */
    String token() {
        if (token != null) {
            return token;
        }
        if (tokenFile != null && matchedOnCommandLine("--token-file")) {
            return readToken(tokenFile);
        }
        String fromEnvironment = environment.get(TOKEN_VARIABLE);
        if (fromEnvironment != null) {
            return fromEnvironment.trim();
        }
        return tokenFile == null ? "" : readToken(tokenFile);
    }

    private static String readToken(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            String first = lines.isEmpty() ? "" : lines.get(0).trim();
            if (first.isEmpty()) {
                throw new IllegalArgumentException("--token-file " + file + ": the first line is empty");
            }
            return first;
        } catch (IOException e) {
            throw new IllegalArgumentException("--token-file " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }

    private Path historyFile() {
        if (history == null) {
            return environment.historyFile();
        }
        return history.isBlank() ? null : Path.of(history);
    }

    private boolean matchedOnCommandLine(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    /** Runs the command with the process's environment; returns the exit code. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean onTerminal) {
        return run(args, in, out, err, onTerminal, Environment.system());
    }

    /** Runs the command with the given streams and environment, as {@link #main} does with the process's; returns the exit code. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean onTerminal,
                          Environment environment) {
        TerminalCommand command = new TerminalCommand(in, out, err, onTerminal, environment);
        CommandLine cli = new CommandLine(command)
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setParameterExceptionHandler((e, arguments) -> {
                    err.println(NAME + ": " + e.getMessage() + " (--help lists the options)");
                    return ExitCode.USAGE.code();
                })
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    err.println(NAME + ": " + Failures.message(e));
                    return ExitCode.SOFTWARE.code();
                });
        try {
            Path file = configPath(args, environment);
            command.configFile = ConfigFile.read(file, file != null && explicitConfig(args) != null);
        } catch (IllegalArgumentException e) {
            err.println(NAME + ": " + e.getMessage());
            return ExitCode.USAGE.code();
        }
        cli.setDefaultValueProvider(command.configFile);
        return cli.execute(args);
    }

    /** The configuration file: {@code --config FILE} if given, else the default place. */
    private static Path configPath(String[] args, Environment environment) {
        String explicit = explicitConfig(args);
        return explicit != null ? Path.of(explicit) : environment.configFile();
    }

    /** The value of {@code --config}, read before picocli parses (the file gives the other options' defaults). */
    private static String explicitConfig(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return args[i + 1];
            }
            if (args[i].startsWith("--config=")) {
                return args[i].substring("--config=".length());
            }
        }
        return null;
    }

    public static void main(String[] args) {
        // Ctrl-C (or SIGTERM) outside the line editor: leave every room before the JVM goes.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Session s = current;
            if (s != null) {
                s.close();
            }
        }, "hotpochato-leave"));
        System.exit(run(args, System.in, System.out, System.err, System.console() != null));
    }

    /** Reads "30s", "500ms", "2m", "1h", or a bare number of seconds. */
    private JoinOptions joinOptions() {
        if (turnTimeout == null && policy == null && !audience && messagesPerTurn == null && revokeGrace == null) {
            return JoinOptions.defaults();
        }
        JoinOptions.Builder b = JoinOptions.builder().audience(audience);
        if (messagesPerTurn != null) {
            b.messagesPerTurn(messagesPerTurn);
        }
        if (revokeGrace != null) {
            b.revokeGrace(revokeGrace);
        }
        if (turnTimeout != null) {
            b.turnTimeout(turnTimeout);
        }
        if (policy != null) {
            b.policy(policy);
        }
        return b.build();
    }

    /** {@code round-robin}, {@code queue} or {@code moderated}, as {@code /create} takes them. */
    static final class PolicyConverter implements CommandLine.ITypeConverter<TurnPolicy> {
        @Override
        public TurnPolicy convert(String value) {
            TurnPolicy p = FloorCommands.policy(value);
            if (p == null) {
                throw new CommandLine.TypeConversionException("round-robin, queue or moderated, not '" + value + "'");
            }
            return p;
        }
    }

    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            try {
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
                }
                if (v.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
                }
                if (v.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
                }
                if (v.endsWith("h")) {
                    return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1).trim()));
                }
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 30s, 500ms or 2m");
            }
        }
    }
}
