package dev.hotpochato.server.cli;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The server program as an operator runs it: a separate process, stopped by a signal. */
class ServerCommandTest {

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    private static Process launch(String... args) throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        // The program's own log configuration, not the quieter one for tests.
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Dlog4j2.configurationFile=log4j2.xml",
                "-cp", System.getProperty("java.class.path"), ServerCommand.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    /** Reads the process's output until it logs its port; gives up after a while instead of hanging. */
    private static int listeningPort(Process server) throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                seen.append(line).append('\n');
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return fail("the server did not log where it listens:\n" + seen);
    }

    @Test
    void sigtermTellsClientsAndExitsZero() throws Exception {
        Process server = launch("--port", "0", "--bind", "127.0.0.1");
        try {
            int port = listeningPort(server);
            try (TestClient alice = TestClient.hello(new InetSocketAddress("127.0.0.1", port), "alice")) {
                server.destroy(); // SIGTERM
                assertEquals(Error.Code.SERVER_SHUTTING_DOWN, alice.expect(BodyCase.ERROR).getError().getCode());
                alice.expectClosed();
            }
            assertTrue(server.waitFor(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS), "exits within seconds");
            assertEquals(0, server.exitValue());
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void helpDocumentsTheOptions() throws Exception {
        Process p = launch("--help");
        String help = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(20, TimeUnit.SECONDS));
        for (String option : List.of("--port", "--bind", "--turn-timeout", "--max-turn-timeout", "--max-frame-bytes")) {
            assertTrue(help.contains(option), () -> "--help lacks " + option + ":\n" + help);
        }
        assertTrue(help.contains("7447"), "defaults are shown");
    }

    @Test
    void defaultTurnTimeoutAboveTheCapStopsTheServerWithOneClearLine() throws Exception {
        Process p = launch("--port", "0", "--bind", "127.0.0.1", "--turn-timeout", "1h");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            fail("did not exit");
        }
        assertEquals(1, p.exitValue());
        assertTrue(output.contains("hotpochato-server: turnTimeout (3600000 ms) must not exceed maxTurnTimeout (600000 ms)"),
                output);
        assertTrue(!output.contains("\tat "), () -> "no stack trace:\n" + output);
    }

    @Test
    void badOptionValueIsOneClearLine() throws Exception {
        Process p = launch("--max-frame-bytes", "1");
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            fail("did not exit");
        }
        assertEquals(1, p.exitValue());
        assertTrue(output.contains("maxFrameBytes must be between"), output);
        assertTrue(!output.contains("\tat "), () -> "no stack trace:\n" + output);
    }
}
