package dev.hotpochato.server.cli;

import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --cluster} given something that is not a Redis address is a usage error (exit 2, one line,
 * naming where the value came from and never echoing it: it may hold a password); given the port of
 * something that is not Redis, the node gives up within seconds with one line that says so.
 */
class ClusterAddressTest {

    private record Result(int exit, String output) {
    }

    private static Result run(Map<String, String> env, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = ServerCommand.commandLine(new ServerCommand(), env);
        cl.setErr(new PrintWriter(err, true));
        cl.setOut(new PrintWriter(err, true));
        return new Result(cl.execute(args), err.toString().strip());
    }

    @Test
    void aMalformedAddressOnTheCommandLineIsAUsageError() {
        for (String bad : List.of("localhost:6379", "http://127.0.0.1:6379", "redis://", "redis://host:notaport")) {
            Result r = run(Map.of(), "--cluster", bad);
            assertEquals(2, r.exit(), r.output());
            assertTrue(r.output().startsWith("hotpochato-server: Invalid value for option '--cluster': not a Redis "
                    + "address (expected redis://HOST:PORT"), r.output());
        }
    }

    @Test
    void aMalformedAddressFromTheEnvironmentNamesTheVariableAndHidesThePassword() {
        Result r = run(Map.of("HOTPOCHATO_CLUSTER", "redis://alice:s3cret@host:port"));
        assertEquals(2, r.exit(), r.output());
        assertEquals(1, r.output().lines().count(), r.output());
        assertTrue(r.output().endsWith("(from the environment variable HOTPOCHATO_CLUSTER)"), r.output());
        assertFalse(r.output().contains("s3cret"), r.output());
    }

    @Test
    void aPortThatIsNotRedisFailsWithinSecondsWithOneLine() throws Exception {
        // Something that accepts connections and never answers, as a wrong service might. Lettuce alone
        // took about 28 s to give up on it (several of its own timeouts); the node now gives it 3 s.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<Socket> accepted = new ArrayList<>();
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(silent.accept());
                    }
                } catch (Exception closed) {
                    // the test is over
                }
            });
            acceptor.start();
            String uri = "redis://127.0.0.1:" + silent.getLocalPort();
            IllegalStateException e = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThrows(
                    IllegalStateException.class, () -> HotPochatoServer.start(ServerOptions.builder()
                            .bindAddress("127.0.0.1").port(0).workerThreads(1).cluster(uri).build())));
            assertEquals("--cluster: cannot use Redis at 127.0.0.1:" + silent.getLocalPort()
                    + ": no Redis answered there within 3s (is a Redis server listening there?)", e.getMessage());
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
