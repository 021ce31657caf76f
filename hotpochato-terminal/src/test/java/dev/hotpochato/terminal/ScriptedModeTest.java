package dev.hotpochato.terminal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.Session;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Joined;
import dev.hotpochato.protocol.v1.Left;
import dev.hotpochato.protocol.v1.Member;
import dev.hotpochato.protocol.v1.RoomSnapshot;
import dev.hotpochato.protocol.v1.Said;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.TurnGranted;
import dev.hotpochato.protocol.v1.Welcome;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.testing.CuttableProxy;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The terminal client without a terminal: input lines are said on each turn, events printed one per line. */
class ScriptedModeTest {

    private static HotPochatoServer server;

    @TempDir
    Path home;

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .turnTimeout(Duration.ofSeconds(30)).shutdownTimeout(Duration.ofSeconds(2)).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    /** A home without configuration, so that the developer's own never leaks into a test. */
    private Environment environment(Map<String, String> variables) {
        return new Environment(variables, home);
    }

    private Environment environment() {
        return environment(Map.of());
    }

    /** Runs the client's main logic in-process, on its own thread, fed with {@code input}. */
    private CompletableFuture<Integer> client(OutputLines out, String input, String... args) {
        return client(server.port(), out, input, args);
    }

    private CompletableFuture<Integer> client(int port, OutputLines out, String input, String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(port)));
        all.addAll(List.of(args));
        var in = new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8));
        Environment env = environment();
        return CompletableFuture.supplyAsync(() ->
                TerminalCommand.run(all.toArray(String[]::new), in, out.stream, out.stream, false, env));
    }

    private int run(OutputLines out, OutputLines err, Environment env, String... args) {
        return TerminalCommand.run(args, new ByteArrayInputStream(new byte[0]), out.stream, err.stream, false, env);
    }

    private static int exitCode(CompletableFuture<Integer> client) throws Exception {
        return client.get(20, TimeUnit.SECONDS);
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
        List<String> bobLines = bob.lines().stream().filter(l -> !l.startsWith("chair\t")).toList();
        List<String> bobEnd = bobLines.subList(bobLines.size() - 3, bobLines.size());
        assertEquals(List.of("turn\tconvo\t5\talice\t30000", "member-left\tconvo\talice\tleft", "left\tconvo"), bobEnd);
        assertTrue(bob.lines().contains("chair\tconvo\tbob\t"), "the creator left: bob, present longest, chairs");
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
    void meIsSaidAsTextStartingWithSlashMe() throws Exception {
        OutputLines alice = new OutputLines();
        OutputLines bob = new OutputLines();
        var aliceRun = client(alice, "/me waves\n", "--name", "alice", "--room", "acting");
        alice.await("joined\tacting\talice");
        var bobRun = client(bob, "hi\n", "--name", "bob", "--room", "acting");
        assertEquals(0, exitCode(aliceRun));
        assertEquals(0, exitCode(bobRun));
        assertTrue(bob.lines().contains("said\tacting\talice\t/me waves"), bob.lines()::toString);
    }

    @Test
    void serverRefusalsArePrintedAsOneErrorLineWithTheCodeOnce() throws Exception {
        OutputLines out = new OutputLines();
        var run = client(out, "", "--name", "alice", "--room", "~reserved");
        assertEquals(ExitCode.REFUSED.code(), exitCode(run));
        List<String> errors = out.linesStartingWith("error");
        assertEquals(1, errors.size(), out.lines()::toString);
        assertTrue(errors.get(0).startsWith("error\tINVALID_ROOM_NAME\t"), errors.get(0));
        assertFalse(errors.get(0).contains("INVALID_ROOM_NAME: "), "the code said twice: " + errors.get(0));
    }

    @Test
    void textOverTheLimitIsOneErrorLineWithTheCodeOnce() throws Exception {
        OutputLines alice = new OutputLines();
        OutputLines bob = new OutputLines();
        String tooLong = "z".repeat(server.options().maxTextBytes() + 1);
        var aliceRun = client(alice, tooLong + "\nshort\n", "--name", "alice", "--room", "limits");
        alice.await("joined\tlimits\talice");
        var bobRun = client(bob, "ok\n", "--name", "bob", "--room", "limits");
        exitCode(aliceRun);
        exitCode(bobRun);
        List<String> errors = alice.linesStartingWith("error");
        assertEquals(1, errors.size(), alice.lines()::toString);
        assertTrue(errors.get(0).startsWith("error\tTEXT_TOO_LONG\t"), errors.get(0));
        assertFalse(errors.get(0).contains("TEXT_TOO_LONG: "), "the code said twice: " + errors.get(0));
        assertTrue(alice.lines().contains("said\tlimits\talice\tshort"), alice.lines()::toString);
    }

    @Test
    void aLostConnectionIsExitCodeFiveNeverZero() throws Exception {
        try (CuttableProxy proxy = new CuttableProxy(new InetSocketAddress("127.0.0.1", server.port()))) {
            OutputLines out = new OutputLines();
            var run = client(proxy.port(), out, "", "--name", "alice", "--room", "cut", "--no-reconnect");
            out.await("joined\tcut\talice");
            proxy.cut();
            assertEquals(ExitCode.CONNECTION_LOST.code(), exitCode(run), out.lines()::toString);
            assertEquals(1, out.linesStartingWith("disconnected\t").size(), out.lines()::toString);
        }
    }

    @Test
    void aServerShutdownIsExitCodeSix() throws Exception {
        HotPochatoServer doomed = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2)).build());
        try {
            OutputLines out = new OutputLines();
            var run = client(doomed.port(), out, "", "--name", "alice", "--room", "doomed", "--no-reconnect");
            out.await("joined\tdoomed\talice");
            doomed.close();
            assertEquals(ExitCode.SERVER_SHUT_DOWN.code(), exitCode(run), out.lines()::toString);
            assertEquals(1, out.linesStartingWith("room-closed\tdoomed").size(), out.lines()::toString);
        } finally {
            doomed.close();
        }
    }

    @Test
    void linesLeftUnsaidWhenTheOthersLeaveAreListedAndExitSeven() throws Exception {
        OutputLines alice = new OutputLines();
        OutputLines bob = new OutputLines();
        var aliceRun = client(alice, "one\ntwo\nthree\n", "--name", "alice", "--room", "unsaid");
        alice.await("joined\tunsaid\talice");
        var bobRun = client(bob, "only one\n", "--name", "bob", "--room", "unsaid");
        assertEquals(0, exitCode(bobRun));
        assertEquals(ExitCode.UNSAID.code(), exitCode(aliceRun), alice.lines()::toString);
        List<String> tail = alice.lines().subList(alice.lines().size() - 2, alice.lines().size());
        assertEquals(List.of("left\tunsaid", "unsaid\tunsaid\tthree"), tail);
    }

    @Test
    void maxWaitEndsALoneClientWithItsLinesUnsaid() throws Exception {
        OutputLines out = new OutputLines();
        var run = client(out, "anyone there?\n", "--name", "alice", "--room", "lonely", "--max-wait", "300ms");
        assertEquals(ExitCode.UNSAID.code(), exitCode(run), out.lines()::toString);
        assertEquals(List.of("left\tlonely", "unsaid\tlonely\tanyone there?"),
                out.lines().subList(out.lines().size() - 2, out.lines().size()));
    }

    @Test
    void maxWaitWithNothingLeftToSayIsExitCodeEight() throws Exception {
        OutputLines out = new OutputLines();
        var run = client(out, "", "--name", "alice", "--room", "quiet", "--max-wait", "300ms");
        assertEquals(ExitCode.MAX_WAIT.code(), exitCode(run), out.lines()::toString);
        assertEquals("left\tquiet", out.lines().get(out.lines().size() - 1));
    }

    @Test
    void nothingListeningIsOneLineWithWhatToDoAndExitCodeThree() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        OutputLines out = new OutputLines();
        OutputLines err = new OutputLines();
        int code = run(out, err, environment(), "--host", "127.0.0.1", "--port", String.valueOf(port), "--name", "alice");
        assertEquals(ExitCode.CANNOT_CONNECT.code(), code);
        assertEquals(1, err.lines().size(), err.lines()::toString);
        assertTrue(err.lines().get(0).startsWith("hotpochato-terminal: nothing is listening at 127.0.0.1:" + port),
                err.lines().get(0));
        assertFalse(err.lines().get(0).contains("finishConnect"), err.lines().get(0));
    }

    @Test
    void somethingThatIsNotAHotPochatoServerIsOneLineAndExitCodeThree() throws Exception {
        try (ServerSocket http = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread answerer = new Thread(() -> {
                try (Socket s = http.accept(); OutputStream o = s.getOutputStream(); InputStream i = s.getInputStream()) {
                    o.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    o.flush();
                    i.read(new byte[256]);
                } catch (Exception ignored) {
                    // the client hung up
                }
            });
            answerer.setDaemon(true);
            answerer.start();
            OutputLines out = new OutputLines();
            OutputLines err = new OutputLines();
            int code = run(out, err, environment(), "--host", "127.0.0.1", "--port", String.valueOf(http.getLocalPort()),
                    "--name", "alice", "--request-timeout", "3s");
            assertEquals(ExitCode.CANNOT_CONNECT.code(), code);
            assertEquals(1, err.lines().size(), err.lines()::toString);
            assertTrue(err.lines().get(0).contains("did not answer as a HotPochato server ("), err.lines().get(0));
        }
    }

    /**
     * A line refused as UNAVAILABLE (a cluster whose store did not answer: nothing changed) is not
     * dropped: the error is printed, and the same line is sent again a moment later. A hand-made
     * server answers the first Say so, and the second one as said.
     */
    @Test
    void aLineRefusedAsUnavailableIsSentAgainNotDropped() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicInteger says = new AtomicInteger();
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = listener.accept(); InputStream in = s.getInputStream(); OutputStream o = s.getOutputStream()) {
                    while (true) {
                        ClientFrame f = ClientFrame.parseDelimitedFrom(in);
                        if (f == null) {
                            return;
                        }
                        ServerFrame.Builder reply = ServerFrame.newBuilder().setRequestId(f.getRequestId());
                        switch (f.getBodyCase()) {
                            case HELLO -> reply.setWelcome(Welcome.newBuilder().setSessionId("1")
                                    .setDisplayName("alice").setServerVersion("fake"));
                            case JOIN -> reply.setJoined(Joined.newBuilder().setRoom(RoomSnapshot.newBuilder()
                                    .setName("r").addMembers(Member.newBuilder().setName("alice"))
                                    .addMembers(Member.newBuilder().setName("bob")).setHolder("alice").setTurn(1)
                                    .setLastSeq(2)));
                            case SAY -> {
                                if (says.incrementAndGet() == 1) {
                                    reply.setError(Error.newBuilder().setCode(Error.Code.UNAVAILABLE).setRoom("r")
                                            .setMessage("the cluster's store did not answer; nothing changed, try again"));
                                } else {
                                    reply.setSaid(Said.newBuilder().setRoom("r").setSeq(3).setSpeaker("alice")
                                            .setText(f.getSay().getText()).setTurn(1)).build().writeDelimitedTo(o);
                                    reply = ServerFrame.newBuilder().setTurnGranted(TurnGranted.newBuilder()
                                            .setRoom("r").setSeq(4).setHolder("bob").setTurn(2));
                                    reply.build().writeDelimitedTo(o);
                                    // bob passes at once: alice's turn again, with nothing left to say
                                    reply = ServerFrame.newBuilder().setTurnGranted(TurnGranted.newBuilder()
                                            .setRoom("r").setSeq(5).setHolder("alice").setTurn(3));
                                }
                            }
                            case LEAVE -> reply.setLeft(Left.newBuilder().setRoom("r"));
                            default -> {
                                continue;
                            }
                        }
                        reply.build().writeDelimitedTo(o);
                        o.flush();
                    }
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            OutputLines out = new OutputLines();
            int code = client(listener.getLocalPort(), out, "again, please\n", "--name", "alice", "--room", "r")
                    .get(30, TimeUnit.SECONDS);
            assertEquals(2, says.get(), "the refused line was sent again");
            assertTrue(out.lines().stream().anyMatch(l -> l.startsWith("error\tUNAVAILABLE\t")), out.lines()::toString);
            assertEquals(1, out.lines().stream().filter(l -> l.startsWith("said\tr\talice\tagain, please")).count(),
                    out.lines()::toString);
            assertFalse(out.lines().stream().anyMatch(l -> l.startsWith("unsaid")), out.lines()::toString);
            assertEquals(ExitCode.DONE.code(), code, out.lines()::toString);
            served.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A Join refused as UNAVAILABLE (a cluster node whose store did not answer: nothing changed) is
     * sent again a moment later, not the end of the run. A hand-made server refuses the first Join so.
     */
    @Test
    void aJoinRefusedAsUnavailableIsSentAgain() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AtomicInteger joins = new AtomicInteger();
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = listener.accept(); InputStream in = s.getInputStream(); OutputStream o = s.getOutputStream()) {
                    while (true) {
                        ClientFrame f = ClientFrame.parseDelimitedFrom(in);
                        if (f == null) {
                            return;
                        }
                        ServerFrame.Builder reply = ServerFrame.newBuilder().setRequestId(f.getRequestId());
                        switch (f.getBodyCase()) {
                            case HELLO -> reply.setWelcome(Welcome.newBuilder().setSessionId("1")
                                    .setDisplayName("alice").setServerVersion("fake"));
                            case JOIN -> {
                                if (joins.incrementAndGet() == 1) {
                                    reply.setError(Error.newBuilder().setCode(Error.Code.UNAVAILABLE).setRoom("r")
                                            .setMessage("the cluster's store is unavailable; nothing changed, try again"));
                                } else {
                                    reply.setJoined(Joined.newBuilder().setRoom(RoomSnapshot.newBuilder()
                                            .setName("r").addMembers(Member.newBuilder().setName("alice"))
                                            .addMembers(Member.newBuilder().setName("bob")).setHolder("bob").setTurn(1)
                                            .setLastSeq(2)));
                                }
                            }
                            case LEAVE -> reply.setLeft(Left.newBuilder().setRoom("r"));
                            default -> {
                                continue;
                            }
                        }
                        reply.build().writeDelimitedTo(o);
                        o.flush();
                    }
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            OutputLines out = new OutputLines();
            int code = client(listener.getLocalPort(), out, "", "--name", "alice", "--room", "r", "--max-wait", "3s")
                    .get(30, TimeUnit.SECONDS);
            assertEquals(2, joins.get(), "the refused Join was sent again");
            assertTrue(out.lines().stream().anyMatch(l -> l.startsWith("error\tUNAVAILABLE\t")), out.lines()::toString);
            assertTrue(out.lines().contains("joined\tr\talice,bob"), out.lines()::toString);
            assertEquals(ExitCode.MAX_WAIT.code(), code, out.lines()::toString);
            served.get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The first of --host's servers says it is shutting down when asked to Join: the session goes on
     * to the next address, and the room is joined there, as the library's reconnect does for a room
     * already joined.
     */
    @Test
    void aJoinMetWithAServerShuttingDownIsMadeOnTheNextAddress() throws Exception {
        try (ServerSocket stopping = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = stopping.accept(); InputStream in = s.getInputStream(); OutputStream o = s.getOutputStream()) {
                    while (true) {
                        ClientFrame f = ClientFrame.parseDelimitedFrom(in);
                        if (f == null) {
                            return;
                        }
                        if (f.hasHello()) {
                            ServerFrame.newBuilder().setRequestId(f.getRequestId()).setWelcome(Welcome.newBuilder()
                                    .setSessionId("1").setDisplayName("alice").setServerVersion("fake").setResumeToken("t"))
                                    .build().writeDelimitedTo(o);
                        } else if (f.hasJoin()) {
                            ServerFrame.newBuilder().setError(Error.newBuilder().setCode(Error.Code.SERVER_SHUTTING_DOWN)
                                    .setFatal(true).setMessage("the server is shutting down")).build().writeDelimitedTo(o);
                            o.flush();
                            return; // and closes the connection
                        }
                        o.flush();
                    }
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            OutputLines out = new OutputLines();
            OutputLines err = new OutputLines();
            CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> run(out, err, environment(),
                    "--host", "127.0.0.1:" + stopping.getLocalPort() + ",127.0.0.1", "--port", String.valueOf(server.port()),
                    "--name", "alice", "--room", "next-address", "--max-wait", "1s"));
            int code = run.get(30, TimeUnit.SECONDS);
            assertTrue(out.lines().contains("joined\tnext-address\talice"), out.lines() + " " + err.lines());
            assertEquals(ExitCode.MAX_WAIT.code(), code, out.lines() + " " + err.lines());
            served.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void errorsFoundByTheClientItselfHaveACodeNotAClassName() {
        assertEquals("NOT_CONNECTED", Failures.code(new dev.hotpochato.client.ConnectionClosedException("not connected", null)));
        assertEquals("CLIENT_ERROR", Failures.code(new IllegalStateException("x")));
    }

    @Test
    void tlsMismatchesAreOneLineWithAHintEitherWay() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        HotPochatoServer secure = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2))
                .tls(cert.certificate().toPath(), cert.privateKey().toPath()).build());
        try {
            OutputLines err = new OutputLines();
            int plainToTls = run(new OutputLines(), err, environment(), "--host", "localhost", "--port",
                    String.valueOf(secure.port()), "--name", "alice", "--request-timeout", "3s");
            assertEquals(ExitCode.CANNOT_CONNECT.code(), plainToTls);
            assertEquals(1, err.lines().size(), err.lines()::toString);
            assertTrue(err.lines().get(0).contains("--tls"), err.lines().get(0));

            OutputLines err2 = new OutputLines();
            int tlsToPlain = run(new OutputLines(), err2, environment(), "--host", "127.0.0.1", "--port",
                    String.valueOf(server.port()), "--name", "alice", "--tls", "--request-timeout", "3s");
            assertEquals(ExitCode.CANNOT_CONNECT.code(), tlsToPlain);
            assertEquals(1, err2.lines().size(), err2.lines()::toString);
            assertTrue(err2.lines().get(0).contains("does not speak TLS"), err2.lines().get(0));
            assertFalse(err2.lines().get(0).matches(".*[0-9a-f]{40}.*"), "no hex dump: " + err2.lines().get(0));
        } finally {
            secure.close();
            cert.delete();
        }
    }

    @Test
    void badValuesNameTheFlagAndExitTwo() {
        for (String[] bad : List.of(
                new String[] {"--name", ""},
                new String[] {"--name", "   "},
                new String[] {"--port", "0"},
                new String[] {"--request-timeout", "0"},
                new String[] {"--reconnect-for", "0"},
                new String[] {"--host", "[::1"},
                new String[] {"--host", "localhost:99999"},
                new String[] {"--host", " , "},
                new String[] {"--max-wait", "soon"})) {
            OutputLines err = new OutputLines();
            int code = run(new OutputLines(), err, environment(), bad);
            assertEquals(ExitCode.USAGE.code(), code, String.join(" ", bad));
            assertEquals(1, err.lines().size(), err.lines()::toString);
            assertTrue(err.lines().get(0).contains(bad[0]), err.lines().get(0));
            assertFalse(err.lines().get(0).matches(".*(displayName|requestTimeout|maxWait|addresses|InvalidOption).*"), err.lines().get(0));
        }
    }

    @Test
    void severalHostsAreTriedInOrderUntilOneWelcomesTheClient() throws Exception {
        int nobody;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = s.getLocalPort();
        }
        OutputLines out = new OutputLines();
        OutputLines err = new OutputLines();
        // The first address has nobody listening; the second, with --port's port, is the server.
        int code = run(out, err, environment(), "--host", "127.0.0.1:" + nobody + ",127.0.0.1",
                "--port", String.valueOf(server.port()), "--name", "alice", "--room", "two-hosts", "--max-wait", "300ms");
        assertEquals(ExitCode.MAX_WAIT.code(), code, out.lines() + " " + err.lines());
        assertTrue(out.lines().contains("joined\ttwo-hosts\talice"), out.lines()::toString);
        assertEquals(List.of(), err.lines());
    }

    @Test
    void whenNoHostAnswersTheLineIsAboutTheFirst() throws Exception {
        int[] nobody = new int[2];
        for (int i = 0; i < 2; i++) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                nobody[i] = s.getLocalPort();
            }
        }
        OutputLines err = new OutputLines();
        int code = run(new OutputLines(), err, environment(), "--host",
                "127.0.0.1:" + nobody[0] + ",127.0.0.1:" + nobody[1], "--name", "alice");
        assertEquals(ExitCode.CANNOT_CONNECT.code(), code);
        assertEquals(List.of("hotpochato-terminal: nothing is listening at 127.0.0.1:" + nobody[0]
                + ": is the server running? (check --host and --port)"), err.lines());
    }

    @Test
    void aTurnLengthTheServerRefusesNamesTheFlag() throws Exception {
        OutputLines out = new OutputLines();
        var run = client(out, "", "--name", "alice", "--room", "long-turns", "--turn-timeout", "1h");
        assertEquals(ExitCode.REFUSED.code(), exitCode(run));
        String error = out.linesStartingWith("error").get(0);
        assertTrue(error.startsWith("error\tINVALID_OPTION\t") && error.contains("--turn-timeout"), error);
    }

    @Test
    void helpDocumentsTheOptionsAndTheExitCodes() {
        OutputLines out = new OutputLines();
        int code = run(out, out, environment(), "--help");
        assertEquals(0, code);
        String help = String.join("\n", out.lines());
        for (String option : List.of("--host", "--port", "--name", "--room", "--match", "--batch", "--tls", "--trust",
                "--token-file", "--token", "--no-reconnect", "--max-wait", "--turn-timeout", "--log-dir", "--history",
                "--config", "--help", "--reconnect-for", "Exit codes", "HOTPOCHATO_TOKEN")) {
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
                "--room", "vault", "--trust", cert.certificate().getPath(), "--no-reconnect"};
            OutputLines err = new OutputLines();
            int refused = run(err, err, environment(), concat(base, "--token", "guess"));
            assertEquals(ExitCode.REFUSED.code(), refused);
            assertEquals(1, err.lines().size(), err.lines()::toString);
            assertTrue(err.lines().get(0).contains("token"), err.lines()::toString);

            OutputLines out = new OutputLines();
            Environment env = environment();
            var run = CompletableFuture.supplyAsync(() -> TerminalCommand.run(concat(base, "--token", "s3cret"),
                    new ByteArrayInputStream(new byte[0]), out.stream, out.stream, false, env));
            out.await("joined\tvault\talice");
            secure.close(); // alone in the room it would wait for company; the server's end ends it
            assertEquals(ExitCode.SERVER_SHUT_DOWN.code(), exitCode(run), out.lines()::toString);
            assertEquals(1, out.linesStartingWith("room-closed\tvault").size(), out.lines()::toString);
        } finally {
            secure.close();
            cert.delete();
        }
    }

    @Test
    void theTokenComesFromAFileOrTheEnvironmentAndNotOnlyTheCommandLine() throws Exception {
        HotPochatoServer guarded = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2))
                .authenticator((name, token, remote) -> CompletableFuture.completedFuture("s3cret".equals(token)))
                .build());
        try {
            Path tokenFile = Files.writeString(home.resolve("token"), "s3cret\n");
            String[] base = {"--host", "127.0.0.1", "--port", String.valueOf(guarded.port()), "--name", "alice",
                "--room", "guarded", "--max-wait", "100ms"};
            assertEquals(ExitCode.MAX_WAIT.code(), run(new OutputLines(), new OutputLines(), environment(),
                    concat(base, "--token-file", tokenFile.toString())));
            assertEquals(ExitCode.MAX_WAIT.code(), run(new OutputLines(), new OutputLines(),
                    environment(Map.of(TerminalCommand.TOKEN_VARIABLE, "s3cret")), base));
            Files.createDirectories(home.resolve(".config/hotpochato"));
            Files.writeString(home.resolve(".config/hotpochato/client.properties"), "token-file = " + tokenFile + "\n");
            assertEquals(ExitCode.MAX_WAIT.code(), run(new OutputLines(), new OutputLines(), environment(), base));
            // The command line wins over the environment, which wins over the configuration file.
            assertEquals(ExitCode.REFUSED.code(), run(new OutputLines(), new OutputLines(),
                    environment(Map.of(TerminalCommand.TOKEN_VARIABLE, "wrong")), base));
            assertEquals(ExitCode.MAX_WAIT.code(), run(new OutputLines(), new OutputLines(),
                    environment(Map.of(TerminalCommand.TOKEN_VARIABLE, "wrong")), concat(base, "--token-file",
                            tokenFile.toString())));
        } finally {
            guarded.close();
        }
    }

    @Test
    void theConfigurationFileGivesDefaultsThatFlagsOverride() throws Exception {
        Files.createDirectories(home.resolve(".config/hotpochato"));
        Files.writeString(home.resolve(".config/hotpochato/client.properties"), String.join("\n",
                "host = 127.0.0.1", "port = " + server.port(), "name = carol", "room = configured", "max-wait = 100ms", ""));
        OutputLines out = new OutputLines();
        assertEquals(ExitCode.MAX_WAIT.code(), run(out, new OutputLines(), environment()));
        assertEquals("connected\tcarol\t0.1.0", out.lines().get(0));
        assertEquals("joined\tconfigured\tcarol", out.lines().get(1));

        OutputLines overridden = new OutputLines();
        assertEquals(ExitCode.MAX_WAIT.code(), run(overridden, new OutputLines(), environment(), "--name", "dave",
                "--room", "flagged"));
        assertEquals("joined\tflagged\tdave", overridden.lines().get(1));

        Files.writeString(home.resolve(".config/hotpochato/client.properties"), "hots = typo\n");
        OutputLines err = new OutputLines();
        assertEquals(ExitCode.USAGE.code(), run(new OutputLines(), err, environment()));
        assertTrue(err.lines().get(0).contains("unknown key 'hots'"), err.lines()::toString);
    }

    @Test
    void aScriptSurvivesAServerRestartInANewSessionAndFinishesItsLines() throws Exception {
        HotPochatoServer first = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2)).build());
        int port = first.port();
        HotPochatoServer second = null;
        PipedOutputStream feed = new PipedOutputStream();
        PipedInputStream input = new PipedInputStream(feed);
        try (Session bob = HotPochatoClient.connect(
                ClientOptions.builder("bob").host("127.0.0.1").port(port).autoRejoin(true).build())
                .join()) {
            OutputLines alice = new OutputLines();
            Environment env = environment();
            var run = CompletableFuture.supplyAsync(() -> TerminalCommand.run(new String[] {"--host", "127.0.0.1",
                "--port", String.valueOf(port), "--name", "alice", "--room", "phoenix"}, input, alice.stream, alice.stream,
                    false, env));
            alice.await("joined\tphoenix\talice");
            AtomicInteger answers = new AtomicInteger();
            bob.join("phoenix").join().onMyTurn(turn -> turn.say("bob " + answers.incrementAndGet()));
            feed.write("before\n".getBytes(StandardCharsets.UTF_8));
            feed.flush();
            alice.await("said\tphoenix\tbob\tbob 1");

            first.close();
            second = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(port)
                    .shutdownTimeout(Duration.ofSeconds(2)).build());
            alice.awaitStartingWith("new-session\t");
            alice.awaitStartingWith("rejoined\tphoenix\t");
            feed.write("after\n".getBytes(StandardCharsets.UTF_8));
            feed.close();

            assertEquals(ExitCode.DONE.code(), exitCode(run), alice.lines()::toString);
            assertTrue(alice.lines().contains("said\tphoenix\talice\tafter"), alice.lines()::toString);
            assertEquals("left\tphoenix", alice.lines().get(alice.lines().size() - 1));
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    /**
     * A cluster node stops gracefully while this client's line is in flight: it answers with
     * SERVER_SHUTTING_DOWN only, and its session records are gone, so the next node refuses the
     * Resume (RESUME_FAILED) and the client opens a new session there and rejoins. The line in flight
     * (not acted on: the node was stopping) and the lines after it wait for the rejoin and are said
     * there; none is reported NOT_CONNECTED meanwhile, and the run ends cleanly. A hand-made node
     * stands for the stopping one; the test's server is the next node, which does not know the session.
     */
    @Test
    void aScriptWhoseNodeStopsWaitsForTheNewSessionOnTheNextAddressAndSaysEveryLineThere() throws Exception {
        ScriptOnANodeThatGoes ran = runOnANodeThatGoes(true);
        assertEquals(ExitCode.DONE.code(), ran.code(), ran.all());
        assertEquals(List.of(), ran.out().linesStartingWith("error\tNOT_CONNECTED"), ran.all());
        assertEquals(1, ran.out().linesStartingWith("new-session\t").size(), ran.all());
        assertEquals(1, ran.out().linesStartingWith("rejoined\tstopped-node\t").size(), ran.all());
        assertEquals(List.of("said\tstopped-node\talice\tone", "said\tstopped-node\talice\ttwo",
                "said\tstopped-node\talice\tthree"), ran.out().linesStartingWith("said\tstopped-node\talice\t"), ran.all());
    }

    /**
     * A node crashes while this client's line is on its way (no answer, no goodbye): the line may
     * have been said, so it is not sent again (it could be said twice); its NOT_CONNECTED error
     * quotes it, the lines after it are said on the next node, and the run ends 7, not 0.
     */
    @Test
    void aLineOnItsWayWhenANodeCrashesIsQuotedAsMaybeSaidAndTheRunDoesNotEndZero() throws Exception {
        ScriptOnANodeThatGoes ran = runOnANodeThatGoes(false);
        assertEquals(ExitCode.UNSAID.code(), ran.code(), ran.all());
        List<String> lost = ran.out().linesStartingWith("error\tNOT_CONNECTED");
        assertEquals(1, lost.size(), ran.all());
        assertTrue(lost.get(0).endsWith("this line may have been said, it is not sent again: one"), ran.all());
        assertEquals(List.of("said\tstopped-node\talice\ttwo", "said\tstopped-node\talice\tthree"),
                ran.out().linesStartingWith("said\tstopped-node\talice\t"), ran.all());
    }

    private record ScriptOnANodeThatGoes(int code, OutputLines out, String all) {
    }

    /**
     * alice's script (one, two, three) on a hand-made node, first of --host, with the test's server
     * next (which does not know the session; bob is in the room there and answers every turn). The
     * node welcomes alice into the room, holding the turn, and goes on her first Say: with a goodbye
     * (SERVER_SHUTTING_DOWN, the Say unanswered) when {@code graceful}, else at once, as a crash.
     */
    private ScriptOnANodeThatGoes runOnANodeThatGoes(boolean graceful) throws Exception {
        ServerSocket stopping = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        try (stopping; Session bob = HotPochatoClient.connect(
                ClientOptions.builder("bob").host("127.0.0.1").port(server.port()).build()).join()) {
            bob.join("stopped-node").join().onMyTurn(turn -> turn.say("ok"));
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = stopping.accept(); InputStream in = s.getInputStream(); OutputStream o = s.getOutputStream()) {
                    while (true) {
                        ClientFrame f = ClientFrame.parseDelimitedFrom(in);
                        if (f == null) {
                            return;
                        }
                        ServerFrame.Builder reply = ServerFrame.newBuilder().setRequestId(f.getRequestId());
                        switch (f.getBodyCase()) {
                            case HELLO -> reply.setWelcome(Welcome.newBuilder().setSessionId("1").setDisplayName("alice")
                                    .setServerVersion("fake").setResumeToken("t").setResumeGraceMs(30_000));
                            case JOIN -> reply.setJoined(Joined.newBuilder().setRoom(RoomSnapshot.newBuilder()
                                    .setName("stopped-node").addMembers(Member.newBuilder().setName("alice"))
                                    .addMembers(Member.newBuilder().setName("bob")).setHolder("alice").setTurn(1)
                                    .setLastSeq(2)));
                            case SAY -> {
                                // The Say unanswered, and nothing listens here any more.
                                stopping.close();
                                if (graceful) {
                                    ServerFrame.newBuilder().setError(Error.newBuilder()
                                            .setCode(Error.Code.SERVER_SHUTTING_DOWN).setFatal(true)
                                            .setMessage("the server is shutting down")).build().writeDelimitedTo(o);
                                    o.flush();
                                }
                                return;
                            }
                            default -> {
                                continue;
                            }
                        }
                        reply.build().writeDelimitedTo(o);
                        o.flush();
                    }
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            OutputLines out = new OutputLines();
            OutputLines err = new OutputLines();
            var input = new ByteArrayInputStream("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8));
            Environment env = environment();
            var run = CompletableFuture.supplyAsync(() -> TerminalCommand.run(new String[] {
                "--host", "127.0.0.1:" + stopping.getLocalPort() + ",127.0.0.1", "--port", String.valueOf(server.port()),
                "--name", "alice", "--room", "stopped-node"}, input, out.stream, err.stream, false, env));
            int code;
            try {
                code = run.get(20, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("still running: " + out.lines() + " " + err.lines(), e);
            }
            served.get(10, TimeUnit.SECONDS);
            return new ScriptOnANodeThatGoes(code, out, out.lines() + " " + err.lines());
        }
    }

    /**
     * --max-wait passes while the client reconnects after a server said it was shutting down (within
     * --reconnect-for, so the session is not lost yet): the run ends as --max-wait says, 7 with the
     * line left unsaid, not 5 for a leave that could not be sent. A hand-made node welcomes the
     * client into a room where bob holds the turn, then stops; nothing listens there any more.
     */
    @Test
    void maxWaitPassingWhileReconnectingAfterAShutdownIsExitSevenWithTheLinesUnsaid() throws Exception {
        ServerSocket stopping = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        try (stopping) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (Socket s = stopping.accept(); InputStream in = s.getInputStream(); OutputStream o = s.getOutputStream()) {
                    while (true) {
                        ClientFrame f = ClientFrame.parseDelimitedFrom(in);
                        if (f == null) {
                            return;
                        }
                        ServerFrame.Builder reply = ServerFrame.newBuilder().setRequestId(f.getRequestId());
                        if (f.hasHello()) {
                            reply.setWelcome(Welcome.newBuilder().setSessionId("1").setDisplayName("alice")
                                    .setServerVersion("fake").setResumeToken("t").setResumeGraceMs(30_000));
                        } else if (f.hasJoin()) {
                            reply.setJoined(Joined.newBuilder().setRoom(RoomSnapshot.newBuilder()
                                    .setName("r").addMembers(Member.newBuilder().setName("alice"))
                                    .addMembers(Member.newBuilder().setName("bob")).setHolder("bob").setTurn(1)
                                    .setLastSeq(2)));
                            reply.build().writeDelimitedTo(o);
                            stopping.close(); // nothing to reconnect to
                            reply = ServerFrame.newBuilder().setError(Error.newBuilder()
                                    .setCode(Error.Code.SERVER_SHUTTING_DOWN).setFatal(true)
                                    .setMessage("the server is shutting down"));
                            reply.build().writeDelimitedTo(o);
                            o.flush();
                            return;
                        } else {
                            continue;
                        }
                        reply.build().writeDelimitedTo(o);
                        o.flush();
                    }
                } catch (Exception e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            OutputLines out = new OutputLines();
            PipedOutputStream feed = new PipedOutputStream();
            PipedInputStream input = new PipedInputStream(feed);
            Environment env = environment();
            var run = CompletableFuture.supplyAsync(() -> TerminalCommand.run(new String[] {"--host", "127.0.0.1",
                "--port", String.valueOf(stopping.getLocalPort()), "--name", "alice", "--room", "r", "--max-wait", "300ms"},
                    input, out.stream, out.stream, false, env));
            feed.write("hello?\n".getBytes(StandardCharsets.UTF_8));
            feed.flush();
            out.await("reconnecting");
            feed.close(); // the end of input starts --max-wait: it passes while the client reconnects
            int code = run.get(20, TimeUnit.SECONDS);
            served.get(10, TimeUnit.SECONDS);
            assertEquals(ExitCode.UNSAID.code(), code, out.lines()::toString);
            assertEquals("unsaid\tr\thello?", out.lines().get(out.lines().size() - 1), out.lines()::toString);
        }
    }

    @Test
    void aServerThatDoesNotComeBackEndsTheScriptAfterReconnectFor() throws Exception {
        HotPochatoServer doomed = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2)).build());
        try {
            OutputLines out = new OutputLines();
            var run = client(doomed.port(), out, "", "--name", "alice", "--room", "gone", "--reconnect-for", "500ms");
            out.await("joined\tgone\talice");
            doomed.close();
            assertEquals(ExitCode.SERVER_SHUT_DOWN.code(), exitCode(run), out.lines()::toString);
            assertTrue(out.lines().contains("reconnecting"), out.lines()::toString);
            assertTrue(out.linesStartingWith("disconnected\tgave up reconnecting").size() == 1, out.lines()::toString);
        } finally {
            doomed.close();
        }
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }
}
