package dev.hotpochato.server.cli;

import dev.hotpochato.protocol.ProtocolDefaults;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar hotpochato-server.jar}: runs a server until Ctrl-C, SIGTERM or {@code quit}. */
@Command(name = "hotpochato-server", mixinStandardHelpOptions = true, version = "HotPochato server 0.1.0",
        sortOptions = false, showDefaultValues = true,
        description = "Runs a HotPochato turn-based chat server. Stop it with Ctrl-C, SIGTERM, "
                + "or by typing 'quit' when its input is a terminal.")
public final class ServerCommand implements Callable<Integer> {

    @Option(names = "--port", description = "TCP port to listen on (0 picks a free one).")
    int port = ProtocolDefaults.PORT;

    @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to listen on.")
    String bind = "0.0.0.0";

    @Option(names = "--turn-timeout", paramLabel = "DURATION",
            description = "Default turn length for new rooms, e.g. 30s, 500ms, 2m; 0 for no limit.",
            converter = DurationConverter.class)
    Duration turnTimeout = Duration.ofSeconds(30);

    @Option(names = "--max-frame-bytes", description = "Largest frame a client may send.")
    int maxFrameBytes = ProtocolDefaults.MAX_FRAME_BYTES;

    @Option(names = "--max-text-bytes", description = "Longest Say text, in UTF-8 bytes.")
    int maxTextBytes = ProtocolDefaults.MAX_TEXT_BYTES;

    @Option(names = "--max-members", description = "Most members a room may hold.")
    int maxMembers = 1000;

    @Option(names = "--max-rooms-per-client", description = "Most rooms one client may be in at once.")
    int maxRoomsPerClient = 32;

    @Option(names = "--threads", description = "Event-loop threads for connections and rooms; 0 for two per core.")
    int threads;

    @Override
    public Integer call() throws Exception {
        ServerOptions options = ServerOptions.builder()
                .port(port)
                .bindAddress(bind)
                .turnTimeout(turnTimeout)
                .maxFrameBytes(maxFrameBytes)
                .maxTextBytes(maxTextBytes)
                .maxMembersPerRoom(maxMembers)
                .maxRoomsPerClient(maxRoomsPerClient)
                .workerThreads(threads)
                .build();
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
