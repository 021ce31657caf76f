package dev.hotpochato.terminal;

import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The terminal client without a terminal: input lines are said on each turn, events printed one per line. */
class ScriptedModeTest {

    private static HotPochatoServer server;

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .turnTimeout(Duration.ofSeconds(30)).shutdownTimeout(Duration.ofSeconds(2)).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** Runs the client's main logic in-process, on its own thread, fed with {@code input}. */
    private static CompletableFuture<Integer> client(OutputLines out, String input, String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--host", "127.0.0.1", "--port",
                String.valueOf(server.port())));
        all.addAll(List.of(args));
        var in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        return CompletableFuture.supplyAsync(() ->
                TerminalCommand.run(all.toArray(String[]::new), in, out.stream, out.stream, false));
    }

    private static int exitCode(CompletableFuture<Integer> client) throws Exception {
        return client.get(10, TimeUnit.SECONDS);
    }

    @Test
    void twoScriptsConverseInAlternationAndLeaveWhenAllIsSaid() throws Exception {
        OutputLines alice = new OutputLines();
        OutputLines bob = new OutputLines();
        var aliceRun = client(alice, "hi bob\nhow are you?\n", "--name", "alice", "--room", "convo");
        alice.await("joined\tconvo\talice");
        var bobRun = client(bob, "hi alice\nfine, thanks\n", "--name", "bob", "--room", "convo");

        assertEquals(0, exitCode(aliceRun));
        assertEquals(0, exitCode(bobRun));
        List<String> exchange = List.of(
                "said\tconvo\talice\thi bob",
                "said\tconvo\tbob\thi alice",
                "said\tconvo\talice\thow are you?",
                "said\tconvo\tbob\tfine, thanks");
        assertEquals(exchange, alice.linesStartingWith("said"));
        assertEquals(exchange, bob.linesStartingWith("said"));
        assertEquals(List.of(
                "connected\talice\t0.1.0",
                "joined\tconvo\talice",
                "member-joined\tconvo\tbob",
                "turn\tconvo\t1\talice\t30000",
                "said\tconvo\talice\thi bob",
                "turn\tconvo\t2\tbob\t30000",
                "said\tconvo\tbob\thi alice",
                "turn\tconvo\t3\talice\t30000",
                "said\tconvo\talice\thow are you?",
                "turn\tconvo\t4\tbob\t30000",
                "said\tconvo\tbob\tfine, thanks",
                "turn\tconvo\t5\talice\t30000",
                "left\tconvo"), alice.lines());
        List<String> bobEnd = bob.lines().subList(bob.lines().size() - 3, bob.lines().size());
        assertEquals(List.of("turn\tconvo\t5\talice\t30000", "member-left\tconvo\talice\tleft", "left\tconvo"), bobEnd);
    }

    @Test
    void passIsTakenAsATurnInItsPlaceInTheInput() throws Exception {
        OutputLines alice = new OutputLines();
        OutputLines bob = new OutputLines();
        var aliceRun = client(alice, "/pass\nsecond\n", "--name", "alice", "--room", "passing");
        alice.await("joined\tpassing\talice");
        var bobRun = client(bob, "one\ntwo\n", "--name", "bob", "--room", "passing");

        assertEquals(0, exitCode(aliceRun));
        assertEquals(0, exitCode(bobRun));
        assertEquals(List.of("passed\tpassing\talice", "said\tpassing\tbob\tone", "said\tpassing\talice\tsecond",
                "said\tpassing\tbob\ttwo"), alice.lines().stream()
                .filter(l -> l.startsWith("said") || l.startsWith("passed")).toList());
    }

    @Test
    void serverRefusalsArePrintedAsOneErrorLine() throws Exception {
        OutputLines out = new OutputLines();
        var run = client(out, "", "--name", "alice", "--room", "~reserved");
        assertEquals(1, exitCode(run));
        List<String> errors = out.linesStartingWith("error");
        assertEquals(1, errors.size(), out.lines()::toString);
        assertTrue(errors.get(0).startsWith("error\tINVALID_ROOM_NAME\t"), errors.get(0));
    }

    @Test
    void anUnreachableServerIsOneLineOnStandardErrorAndExitCodeOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        OutputLines out = new OutputLines();
        OutputLines err = new OutputLines();
        int code = TerminalCommand.run(new String[] {"--host", "127.0.0.1", "--port", String.valueOf(port),
                "--name", "alice"}, new ByteArrayInputStream(new byte[0]), out.stream, err.stream, false);
        assertEquals(1, code);
        assertEquals(1, err.lines().size(), err.lines()::toString);
        assertTrue(err.lines().get(0).startsWith("hotpochato-client: cannot connect to 127.0.0.1:" + port + ": "));
    }

    @Test
    void helpDocumentsTheOptions() {
        OutputLines out = new OutputLines();
        int code = TerminalCommand.run(new String[] {"--help"}, new ByteArrayInputStream(new byte[0]),
                out.stream, out.stream, false);
        assertEquals(0, code);
        String help = String.join("\n", out.lines());
        for (String option : List.of("--host", "--port", "--name", "--room", "--match", "--batch", "--tls", "--trust",
                "--token", "--no-reconnect", "--help")) {
            assertTrue(help.contains(option), option + " missing from:\n" + help);
        }
    }

    @Test
    void tlsWithATrustedCertificateAndATokenFromTheCommandLine() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        HotPochatoServer secure = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2))
                .tls(cert.certificate().toPath(), cert.privateKey().toPath())
                .authenticator((name, token, remote) -> CompletableFuture.completedFuture("s3cret".equals(token)))
                .build());
        try {
            String[] base = {"--host", "localhost", "--port", String.valueOf(secure.port()), "--name", "alice",
                "--room", "vault", "--trust", cert.certificate().getPath()};
            OutputLines err = new OutputLines();
            int refused = TerminalCommand.run(concat(base, "--token", "guess"), new ByteArrayInputStream(new byte[0]),
                    err.stream, err.stream, false);
            assertEquals(1, refused);
            assertTrue(err.lines().get(0).contains("UNAUTHENTICATED"), err.lines()::toString);

            OutputLines out = new OutputLines();
            var run = CompletableFuture.supplyAsync(() -> TerminalCommand.run(concat(base, "--token", "s3cret"),
                    new ByteArrayInputStream(new byte[0]), out.stream, out.stream, false));
            out.await("joined\tvault\talice");
            secure.close(); // alone in the room it would wait for company; its room closing ends it
            exitCode(run);
            assertEquals(1, out.linesStartingWith("room-closed\tvault").size(), out.lines()::toString);
        } finally {
            secure.close();
            cert.delete();
        }
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new java.util.ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
