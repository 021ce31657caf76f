package dev.hotpochato.server.cli;

import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.TokenFileAuthenticator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar hotpochato-server.jar}: runs a server until Ctrl-C, SIGTERM or {@code quit}. */
@Command(name = "hotpochato-server", mixinStandardHelpOptions = true, version = "HotPochato server " + HotPochatoServer.VERSION,
        sortOptions = false, showDefaultValues = true,
        description = "Runs a HotPochato turn-based chat server. Stop it with Ctrl-C, SIGTERM, "
                + "or by typing 'quit' when its input is a terminal.")
public final class ServerCommand implements Callable<Integer> {

    /** Every flag's default is the option's own default: one place decides each. */
    private static final ServerOptions DEFAULTS = ServerOptions.defaults();

    @Option(names = "--port", description = "TCP port to listen on (0 picks a free one).")
    int port = DEFAULTS.port();

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on.")
    String bind = DEFAULTS.bindAddress();

    @Option(names = "--turn-timeout", paramLabel = "DURATION",
            description = "Default turn length for new rooms, e.g. 30s, 500ms, 2m; 0 for no limit "
                    + "(needs --max-turn-timeout 0).",
            converter = DurationConverter.class)
    Duration turnTimeout = DEFAULTS.turnTimeout();

    @Option(names = "--max-turn-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest turn a client may ask for when it creates a room (more is refused, "
                    + "and so is no limit); 0 for no cap.")
    Duration maxTurnTimeout = DEFAULTS.maxTurnTimeout();

    @Option(names = "--max-frame-bytes", description = "Largest frame a client may send.")
    int maxFrameBytes = DEFAULTS.maxFrameBytes();

    @Option(names = "--max-text-bytes", description = "Longest Say text, in UTF-8 bytes.")
    int maxTextBytes = DEFAULTS.maxTextBytes();

    @Option(names = "--max-members", description = "Most members a room may hold.")
    int maxMembers = DEFAULTS.maxMembersPerRoom();

    @Option(names = "--max-rooms-per-client", description = "Most rooms one client may be in at once.")
    int maxRoomsPerClient = DEFAULTS.maxRoomsPerClient();

    @Option(names = "--threads", description = "Event-loop threads for connections and rooms; 0 for one per core.")
    int threads;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Close connections on which no whole frame arrives for this long; clients ping "
                    + "three times as often.")
    Duration idleTimeout = DEFAULTS.idleTimeout();

    @Option(names = "--handshake-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Close connections that have not completed their handshake (TLS, Hello or Resume) "
                    + "this long after they were accepted.")
    Duration handshakeTimeout = DEFAULTS.handshakeTimeout();

    @Option(names = "--tls-handshake-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Abandon a TLS handshake not done this long after the connection was accepted.")
    Duration tlsHandshakeTimeout = DEFAULTS.tlsHandshakeTimeout();

    @Option(names = "--resume-grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a lost session may be resumed (its member is away meanwhile); 0 turns resuming off.")
    Duration resumeGrace = DEFAULTS.resumeGrace();

    @Option(names = "--history", description = "Recent events each room keeps for members that resume.")
    int history = DEFAULTS.historySize();

    @Option(names = "--max-connections", description = "Most client connections at once.")
    int maxConnections = DEFAULTS.maxConnections();

    @Option(names = "--max-connections-per-address", description = "Most connections at once from one address.")
    int maxConnectionsPerAddress = DEFAULTS.maxConnectionsPerAddress();

    @Option(names = "--max-frames-per-second", description = "Sustained frames per second one connection may send.")
    int maxFramesPerSecond = DEFAULTS.maxFramesPerSecond();

    @Option(names = "--frame-burst", description = "Frames a connection may send at once above that rate.")
    int frameBurst = DEFAULTS.frameBurst();

    @Option(names = "--write-buffer-high", paramLabel = "BYTES",
            description = "Unsent bytes to one client above which it counts as slow.")
    int writeBufferHigh = DEFAULTS.writeBufferHighWaterMark();

    @Option(names = "--slow-consumer-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a client may stay slow before it is disconnected.")
    Duration slowConsumerTimeout = DEFAULTS.slowConsumerTimeout();

    @Option(names = "--max-pending-bytes", paramLabel = "BYTES",
            description = "Unsent bytes to one client at which it is disconnected at once.")
    int maxPendingBytes = DEFAULTS.maxPendingOutboundBytes();

    @Option(names = "--max-failed-attempts",
            description = "Wrong room passwords one session may try at once, and per minute after that.")
    int maxFailedAttempts = DEFAULTS.maxFailedAttempts();

    @Option(names = "--max-failed-attempts-per-address",
            description = "Wrong room passwords and failed authentications one address may try at once, "
                    + "and per minute after that.")
    int maxFailedAttemptsPerAddress = DEFAULTS.maxFailedAttemptsPerAddress();

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve TLS with this certificate chain (needs --tls-key).")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The PKCS#8 private key for --tls-cert.")
    Path tlsKey;

    @Option(names = "--auth-tokens", paramLabel = "FILE",
            description = "Require Hello.auth_token to be one of this file's lines ('#' starts a comment).")
    Path authTokens;

    @Override
    public Integer call() throws Exception {
        ServerOptions.Builder builder = ServerOptions.builder()
                .port(port)
                .bindAddress(bind)
                .turnTimeout(turnTimeout)
                .maxTurnTimeout(maxTurnTimeout)
                .maxFrameBytes(maxFrameBytes)
                .maxTextBytes(maxTextBytes)
                .maxMembersPerRoom(maxMembers)
                .maxRoomsPerClient(maxRoomsPerClient)
                .workerThreads(threads)
                .idleTimeout(idleTimeout)
                .handshakeTimeout(handshakeTimeout)
                .tlsHandshakeTimeout(tlsHandshakeTimeout)
                .resumeGrace(resumeGrace)
                .historySize(history)
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerAddress)
                .maxFramesPerSecond(maxFramesPerSecond)
                .frameBurst(frameBurst)
                .writeBufferHighWaterMark(writeBufferHigh)
                .slowConsumerTimeout(slowConsumerTimeout)
                .maxPendingOutboundBytes(maxPendingBytes)
                .maxFailedAttempts(maxFailedAttempts)
                .maxFailedAttemptsPerAddress(maxFailedAttemptsPerAddress);
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (tlsCert != null) {
            builder.tls(tlsCert, tlsKey);
        }
        if (authTokens != null) {
            builder.authenticator(TokenFileAuthenticator.load(authTokens));
        }
        ServerOptions options = builder.build();
        HotPochatoServer server = HotPochatoServer.start(options);
        CountDownLatch stop = new CountDownLatch(1);
        // Handling the signals ourselves (rather than only a shutdown hook) lets the process exit 0.
        Signal.handle(new Signal("INT"), sig -> stop.countDown());
        Signal.handle(new Signal("TERM"), sig -> stop.countDown());
        if (System.console() != null) {
            watchForQuit(stop);
        }
        stop.await();
        server.close();
        return 0;
    }

    private static void watchForQuit(CountDownLatch stop) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.trim().equalsIgnoreCase("quit")) {
                        break;
                    }
                    System.err.println("type 'quit' to stop the server");
                }
            } catch (java.io.IOException ignored) {
                // standard input is gone; keep serving until a signal
                return;
            }
            stop.countDown();
        }, "quit-watcher");
        reader.setDaemon(true);
        reader.start();
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new ServerCommand())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    // A bad option value or a busy port is one clear line, not a stack trace.
                    cmd.getErr().println("hotpochato-server: " + e.getMessage());
                    return 1;
                })
                .execute(args);
        System.exit(exit);
    }

    /** Parses "30s", "500ms", "2m", "1h" or a bare number of seconds. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase();
            try {
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                if (v.endsWith("s")) {
                    return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
                }
                if (v.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
                }
                if (v.endsWith("h")) {
                    return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
                }
                return Duration.ofSeconds(Long.parseLong(v));
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 30s, 500ms or 2m");
            }
        }
    }
}
