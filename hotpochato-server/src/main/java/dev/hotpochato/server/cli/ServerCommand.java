package dev.hotpochato.server.cli;

import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.TokenFileAuthenticator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code java -jar hotpochato-server.jar}: runs a server until Ctrl-C, SIGTERM or {@code quit}, and
 * reloads its token file and TLS certificate on SIGHUP.
 *
 * <p>Every flag is a plain picocli {@code @Option} field. {@link ConfigurationSources} gives each one
 * an environment variable and a configuration-file key by one rule, with no code per flag. Name the
 * field like the {@link ServerOptions} accessor it sets (as {@code maxFrameBytes}): the messages of
 * {@code ServerOptions} and {@code HotPochatoServer} name options by accessor, and
 * {@link #inFlagTerms} turns those names into flags ({@code --max-frame-bytes}).
 */
@Command(name = "hotpochato-server", mixinStandardHelpOptions = true, version = "HotPochato server " + HotPochatoServer.VERSION,
        sortOptions = false, showDefaultValues = true,
        description = "Runs a HotPochato turn-based chat server. Stop it with Ctrl-C, SIGTERM, "
                + "or by typing 'quit' when its input is a terminal; SIGHUP reloads the --auth-tokens file "
                + "and the TLS certificate and key.",
        footer = {"", "Every flag can also be set by an environment variable, HOTPOCHATO_ and the flag's name "
                + "(--max-frame-bytes: HOTPOCHATO_MAX_FRAME_BYTES), or by a key in the --config file, the flag's "
                + "name without '--' (max-frame-bytes = 65536). The command line wins over the environment, "
                + "the environment over the file."})
public final class ServerCommand implements Callable<Integer> {

    /** Every flag's default is the option's own default: one place decides each. */
    private static final ServerOptions DEFAULTS = ServerOptions.defaults();

    @Option(names = ConfigurationSources.CONFIG_FLAG, paramLabel = "FILE",
            description = "Read flags from this properties file: one 'key = value' a line, the key being a flag's "
                    + "name without '--'; relative paths in it are relative to the file.")
    Path config;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port to listen on (0 picks a free one).")
    int port = DEFAULTS.port();

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on.")
    String bindAddress = DEFAULTS.bindAddress();

    @Option(names = "--turn-timeout", paramLabel = "DURATION",
            description = "Default turn length for new rooms, e.g. 30s, 500ms, 2m; 0 for no limit "
                    + "(needs --max-turn-timeout 0).")
    Duration turnTimeout = DEFAULTS.turnTimeout();

    @Option(names = "--max-turn-timeout", paramLabel = "DURATION",
            description = "Longest turn a client may ask for when it creates a room (more is refused, "
                    + "and so is no limit); 0 for no cap.")
    Duration maxTurnTimeout = DEFAULTS.maxTurnTimeout();

    @Option(names = "--max-frame-bytes", paramLabel = "BYTES", description = "Largest frame a client may send.")
    int maxFrameBytes = DEFAULTS.maxFrameBytes();

    @Option(names = "--max-text-bytes", paramLabel = "BYTES", description = "Longest Say text, in UTF-8 bytes.")
    int maxTextBytes = DEFAULTS.maxTextBytes();

    @Option(names = "--max-members", paramLabel = "N", description = "Most members a room may hold.")
    int maxMembersPerRoom = DEFAULTS.maxMembersPerRoom();

    @Option(names = "--max-rooms-per-client", paramLabel = "N", description = "Most rooms one client may be in at once.")
    int maxRoomsPerClient = DEFAULTS.maxRoomsPerClient();

    @Option(names = "--threads", paramLabel = "N", description = "Event-loop threads for connections and rooms; 0 for one per core.")
    int workerThreads = DEFAULTS.workerThreads();

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
            description = "Close connections on which no whole frame arrives for this long; clients ping "
                    + "three times as often.")
    Duration idleTimeout = DEFAULTS.idleTimeout();

    @Option(names = "--handshake-timeout", paramLabel = "DURATION",
            description = "Close connections that have not completed their handshake (TLS, Hello or Resume) "
                    + "this long after they were accepted.")
    Duration handshakeTimeout = DEFAULTS.handshakeTimeout();

    @Option(names = "--tls-handshake-timeout", paramLabel = "DURATION",
            description = "Abandon a TLS handshake not done this long after the connection was accepted.")
    Duration tlsHandshakeTimeout = DEFAULTS.tlsHandshakeTimeout();

    @Option(names = "--resume-grace", paramLabel = "DURATION",
            description = "How long a lost session may be resumed (its member is away meanwhile); 0 turns resuming off.")
    Duration resumeGrace = DEFAULTS.resumeGrace();

    @Option(names = "--history", paramLabel = "EVENTS", description = "Recent events each room keeps for members that resume.")
    int historySize = DEFAULTS.historySize();

    @Option(names = "--max-connections", paramLabel = "N", description = "Most client connections at once.")
    int maxConnections = DEFAULTS.maxConnections();

    @Option(names = "--max-connections-per-address", paramLabel = "N", description = "Most connections at once from one address.")
    int maxConnectionsPerAddress = DEFAULTS.maxConnectionsPerAddress();

    @Option(names = "--max-frames-per-second", paramLabel = "N", description = "Sustained frames per second one connection may send.")
    int maxFramesPerSecond = DEFAULTS.maxFramesPerSecond();

    @Option(names = "--frame-burst", paramLabel = "FRAMES", description = "Frames a connection may send at once above that rate.")
    int frameBurst = DEFAULTS.frameBurst();

    @Option(names = "--write-buffer-high", paramLabel = "BYTES",
            description = "Unsent bytes to one client above which it counts as slow.")
    int writeBufferHighWaterMark = DEFAULTS.writeBufferHighWaterMark();

    @Option(names = "--slow-consumer-timeout", paramLabel = "DURATION",
            description = "How long a client may stay slow before it is disconnected.")
    Duration slowConsumerTimeout = DEFAULTS.slowConsumerTimeout();

    @Option(names = "--max-pending-bytes", paramLabel = "BYTES",
            description = "Unsent bytes to one client at which it is disconnected at once.")
    int maxPendingOutboundBytes = DEFAULTS.maxPendingOutboundBytes();

    @Option(names = "--max-failed-attempts", paramLabel = "N",
            description = "Wrong room passwords one session may try at once, and per minute after that.")
    int maxFailedAttempts = DEFAULTS.maxFailedAttempts();

    @Option(names = "--max-failed-attempts-per-address", paramLabel = "N",
            description = "Wrong room passwords and failed authentications one address may try at once, "
                    + "and per minute after that.")
    int maxFailedAttemptsPerAddress = DEFAULTS.maxFailedAttemptsPerAddress();

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve TLS with this certificate chain (needs --tls-key).")
    Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The PKCS#8 private key for --tls-cert.")
    Path tlsPrivateKey;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Serve the web page and WebSocket clients on this port (0 picks a free one); "
                    + "off unless set (-1). With --tls-cert, https and wss.")
    int httpPort = DEFAULTS.httpPort();

    @Option(names = "--cluster", paramLabel = "REDIS", showDefaultValue = Visibility.NEVER, converter = RedisAddress.class,
            description = "Be a node of a cluster whose rooms live in this Redis: redis://HOST:PORT, rediss:// for TLS, "
                    + "redis://USER:PASSWORD@HOST:PORT. Off unless set: the rooms live in this process (docs/cluster.md).")
    String cluster;

    @Option(names = "--cluster-ca", paramLabel = "PEM",
            description = "With a rediss:// --cluster, trust Redis certificates signed by these PEM certificates "
                    + "(a private authority's, or Redis's own). By default the JVM's trusted authorities.")
    Path clusterCa;

    @Option(names = "--cluster-heartbeat", paramLabel = "DURATION",
            description = "In a cluster, how often this node renews its heartbeat in Redis.")
    Duration clusterHeartbeat = DEFAULTS.clusterHeartbeat();

    @Option(names = "--cluster-node-timeout", paramLabel = "DURATION",
            description = "In a cluster, how long a node may miss heartbeats before another declares it dead, "
                    + "marks its members away and fences it (longer than --cluster-heartbeat).")
    Duration clusterNodeTimeout = DEFAULTS.clusterNodeTimeout();

    @Option(names = "--allowed-origins", paramLabel = "ORIGIN", split = ",", showDefaultValue = Visibility.NEVER,
            description = "Web origins whose pages may open WebSockets, e.g. https://chat.example.com; "
                    + "* for any. By default only the server's own page reached by IP address or localhost may; "
                    + "list the page's own origin when it is served under a DNS name.")
    List<String> allowedOrigins = List.of();

    @Option(names = "--auth-tokens", paramLabel = "FILE",
            description = "Require Hello.auth_token to be one of this file's lines ('#' starts a comment).")
    Path authTokens;

    @Option(names = "--admin-port", paramLabel = "PORT", showDefaultValue = Visibility.NEVER,
            description = "Serve /metrics, /health/live and /health/ready over HTTP on this port (0 picks a free one). "
                    + "Off unless set.")
    int adminPort = DEFAULTS.adminPort();

    @Option(names = "--admin-bind", paramLabel = "ADDRESS", description = "Address for --admin-port.")
    String adminBindAddress = DEFAULTS.adminBindAddress();

    @Option(names = "--log-format", paramLabel = "FORMAT", showDefaultValue = Visibility.NEVER,
            description = "text (the default) or json: one JSON object a line, in the Elastic Common Schema.")
    LogFormat logFormat;

    @Option(names = "--log-level", paramLabel = "LEVEL", showDefaultValue = Visibility.NEVER,
            description = "error, warn, info (the default), debug or trace.")
    LogLevel logLevel;

    @Option(names = "--shutdown-drain-delay", paramLabel = "DURATION",
            description = "On stop, report not ready on /health/ready and keep serving this long before the goodbyes, "
                    + "so a load balancer stops sending clients first (e.g. twice its poll interval).")
    Duration shutdownDrainDelay = DEFAULTS.shutdownDrainDelay();

    @Option(names = "--no-console", description = "Never read the terminal (for 'quit'), even when it is one.")
    boolean noConsole;

    private CommandLine commandLine;
    private ConfigurationSources sources;

    /** Log layouts the jar's log4j2.xml offers. */
    enum LogFormat { TEXT, JSON }

    /** The levels log4j2.xml's root logger takes from --log-level; anything else is refused while parsing. */
    enum LogLevel { ERROR, WARN, INFO, DEBUG, TRACE }

    /** The exit status of a cluster node that the cluster declared dead (fenced): docs/operations.md. */
    public static final int EXIT_FENCED = 3;

    @Override
    public Integer call() throws Exception {
        ServerOptions options = options(); // every error of the flags' own, before anything global changes
        // Before anything logs: Log4j2 reads these when it starts (log4j2.xml).
        if (logFormat != null) {
            System.setProperty("hotpochato.log.format", logFormat.name().toLowerCase(java.util.Locale.ROOT));
        }
        if (logLevel != null) {
            System.setProperty("hotpochato.log.level", logLevel.name().toLowerCase(java.util.Locale.ROOT));
        }
        // The signals are ours before the server starts: a SIGTERM that comes while it starts still
        // ends in a graceful stop, and an early SIGHUP does not kill the JVM.
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<HotPochatoServer> running = new AtomicReference<>();
        Signals.onStop(stop::countDown);
        Signals.onReload(() -> {
            HotPochatoServer server = running.get();
            if (server != null) {
                try {
                    server.reload();
                } catch (IllegalStateException alreadyLogged) {
                    // the server logged what failed; it keeps what it had
                }
            }
        });
        // A server started in the background of a terminal must never be stopped by it (SIGTTIN/SIGTTOU).
        Signals.ignoreTerminalStops();
        HotPochatoServer server = HotPochatoServer.start(options);
        running.set(server);
        if (!noConsole && ConsoleWatcher.isTerminal()) {
            ConsoleWatcher.start(stop::countDown, commandLine.getErr());
        }
        // A fenced node serves nothing more and cannot come back under its generation: it exits
        // non-zero so that its supervisor (systemd's Restart=on-failure) starts a fresh node.
        server.whenFenced().thenRun(stop::countDown);
        stop.await();
        server.close();
        return server.whenFenced().toCompletableFuture().isDone() ? EXIT_FENCED : 0;
    }

    /** The options the flags, environment and file describe; fails with messages in the flags' terms. */
    ServerOptions options() {
        ServerOptions.Builder builder = ServerOptions.builder()
                .port(port)
                .bindAddress(bindAddress)
                .turnTimeout(turnTimeout)
                .maxTurnTimeout(maxTurnTimeout)
                .maxFrameBytes(maxFrameBytes)
                .maxTextBytes(maxTextBytes)
                .maxMembersPerRoom(maxMembersPerRoom)
                .maxRoomsPerClient(maxRoomsPerClient)
                .workerThreads(workerThreads)
                .idleTimeout(idleTimeout)
                .handshakeTimeout(handshakeTimeout)
                .tlsHandshakeTimeout(tlsHandshakeTimeout)
                .resumeGrace(resumeGrace)
                .historySize(historySize)
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .maxFramesPerSecond(maxFramesPerSecond)
                .frameBurst(frameBurst)
                .writeBufferHighWaterMark(writeBufferHighWaterMark)
                .slowConsumerTimeout(slowConsumerTimeout)
                .maxPendingOutboundBytes(maxPendingOutboundBytes)
                .maxFailedAttempts(maxFailedAttempts)
                .maxFailedAttemptsPerAddress(maxFailedAttemptsPerAddress)
                .adminPort(adminPort)
                .adminBindAddress(adminBindAddress)
                .httpPort(httpPort)
                .allowedOrigins(allowedOrigins)
                .cluster(cluster)
                .clusterCa(clusterCa)
                .shutdownDrainDelay(shutdownDrainDelay)
                .optionNames(message -> inFlagTerms(message, false)) // a failed reload names flags too
                .clusterHeartbeat(clusterHeartbeat)
                .clusterNodeTimeout(clusterNodeTimeout);
        if ((tlsCertificate == null) != (tlsPrivateKey == null)) {
            throw new IllegalArgumentException("tlsCertificate and tlsPrivateKey go together");
        }
        if (tlsCertificate != null) {
            builder.tls(tlsCertificate, tlsPrivateKey);
        }
        if (authTokens != null) {
            try {
                builder.authenticator(TokenFileAuthenticator.load(authTokens));
            } catch (IOException e) {
                throw new UncheckedIOException("authTokens: " + e.getMessage(), e);
            }
        }
        return builder.build();
    }

    /** A --cluster value that is no Redis address is a value that does not parse, like a port that is no number (exit 2). */
    static final class RedisAddress implements CommandLine.ITypeConverter<String> {
        @Override
        public String convert(String value) {
            try {
                dev.hotpochato.server.cluster.RedisEngine.address(value);
                return value;
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine(new ServerCommand(), System.getenv()).execute(args));
    }

    /** The command line for {@code command}, reading unset flags from {@code env} and the --config file. */
    static CommandLine commandLine(ServerCommand command, Map<String, String> env) {
        CommandLine cl = new CommandLine(command);
        cl.registerConverter(Duration.class, new Durations());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        command.commandLine = cl;
        command.sources = new ConfigurationSources(cl.getCommandSpec(), env);
        cl.setDefaultValueProvider(command.sources);
        CommandLine.IExecutionStrategy run = cl.getExecutionStrategy();
        cl.setExecutionStrategy(parsed -> {
            if (!parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested()) {
                command.sources.check(); // a file that cannot be used stops us, whatever else the flags say
            }
            return run.execute(parsed);
        });
        cl.setParameterExceptionHandler((e, args) -> {
            String origin = e.getArgSpec() instanceof OptionSpec o ? command.sources.origin(o) : null;
            // One line that names the flag (and where its value came from); the usage text is --help's
            // alone: 150 lines would only hide the one that matters.
            cl.getErr().println("hotpochato-server: " + e.getMessage() + (origin == null ? "" : " (from " + origin + ")"));
            if (origin == null && !(e instanceof ConfigurationSources.ConfigurationFileException)) {
                cl.getErr().println(hint(e)); // the command line itself was wrong
            }
            return cl.getCommandSpec().exitCodeOnInvalidInput();
        });
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            // A bad option value, an unreadable file or a busy port is one clear line, not a stack trace.
            err.println("hotpochato-server: " + command.inFlagTerms(e.getMessage() == null ? e.toString() : e.getMessage()));
            if (!(e instanceof IllegalArgumentException || e instanceof IllegalStateException || e instanceof UncheckedIOException)) {
                e.printStackTrace(err); // not a configuration error: a defect, which needs its trace
            }
            return 1;
        });
        return cl;
    }

    /** {@code message} with each ISO-8601 duration ({@code PT-5S}) written as the flags take it ({@code -5s}). */
    static String durationsAsTyped(String message) {
        Matcher m = ISO_DURATION.matcher(message);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = m.group();
            if (replacement.length() > 2) {
                Duration d = Duration.parse(replacement);
                replacement = d.isZero() ? "0s" : Durations.format(d);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The line under a command-line error: where the flags are listed, and the closest flag to a misspelt one. */
    private static String hint(CommandLine.ParameterException e) {
        String suggestion = "";
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            suggestion = " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        return "Try 'hotpochato-server --help' for the flags" + suggestion + ".";
    }

    /** A word that may be an option's accessor; not one that is already part of a flag ({@code --cluster}). */
    private static final Pattern WORD = Pattern.compile("(?<![-\\w])[a-zA-Z]+\\b");
    /** A {@link Duration} as {@code toString} writes it ({@code PT-5S}, {@code PT0.5S}, {@code PT1H30M}). */
    private static final Pattern ISO_DURATION = Pattern.compile("\\bPT(?:-?\\d+H)?(?:-?\\d+M)?(?:-?\\d+(?:\\.\\d+)?S)?\\b");

    /**
     * {@code message} (from {@link ServerOptions} or {@link HotPochatoServer}, which name options by
     * their accessors) with each option field's name replaced by its flag, followed by where the
     * values of those flags came from when that was not the command line.
     */
    String inFlagTerms(String message) {
        return inFlagTerms(message, true);
    }

    /** As {@link #inFlagTerms(String)}, and where the flags' values came from only when {@code origins}. */
    String inFlagTerms(String message, boolean withOrigins) {
        Map<String, OptionSpec> byAccessor = new LinkedHashMap<>();
        for (OptionSpec option : commandLine.getCommandSpec().options()) {
            if (option.userObject() instanceof Field field) {
                byAccessor.put(field.getName(), option);
            }
        }
        Map<String, String> origins = new LinkedHashMap<>();
        StringBuilder out = new StringBuilder();
        Matcher m = WORD.matcher(durationsAsTyped(message));
        while (m.find()) {
            OptionSpec option = byAccessor.get(m.group());
            String flag = option == null ? m.group() : option.longestName();
            if (option != null && sources.origin(option) != null) {
                origins.put(flag, sources.origin(option));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(flag));
        }
        m.appendTail(out);
        if (withOrigins) {
            origins.forEach((flag, origin) -> out.append(" (").append(flag).append(" from ").append(origin).append(')'));
        }
        return out.toString();
    }
}
