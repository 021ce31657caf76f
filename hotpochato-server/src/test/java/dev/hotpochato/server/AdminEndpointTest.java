package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Leave;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.testing.TestClient;
import org.apache.logging.log4j.Level;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The admin port over real sockets: /metrics, /health/live, /health/ready and POST /reload. */
class AdminEndpointTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PATIENCE).build();

    private static HotPochatoServer start(ServerOptions.Builder options) throws InterruptedException {
        return HotPochatoServer.start(options.bindAddress("127.0.0.1").port(0).adminPort(0).build());
    }

    private HttpResponse<String> get(HotPochatoServer server, String path) throws IOException, InterruptedException {
        return send(server, HttpRequest.newBuilder(uri(server, path)).GET());
    }

    private HttpResponse<String> send(HotPochatoServer server, HttpRequest.Builder request)
            throws IOException, InterruptedException {
        return http.send(request.timeout(PATIENCE).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(HotPochatoServer server, String path) {
        InetSocketAddress admin = server.adminAddress();
        return URI.create("http://127.0.0.1:" + admin.getPort() + path);
    }

    /** The value of one sample line of the exposition, such as {@code hotpochato_rooms}. */
    private static double sample(String exposition, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
        if (!m.find()) {
            fail("no sample " + series + " in:\n" + exposition);
        }
        return Double.parseDouble(m.group(1));
    }

    @Test
    void withoutAnAdminPortNothingListens() throws Exception {
        try (HotPochatoServer server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0).build())) {
            assertEquals(null, server.adminAddress());
        }
    }

    @Test
    void metricsAreScrapedOverHttpAndCountConnections() throws Exception {
        try (HotPochatoServer server = start(ServerOptions.builder())) {
            assertEquals("127.0.0.1", server.adminAddress().getAddress().getHostAddress(), "loopback by default");
            HttpResponse<String> first = get(server, "/metrics");
            assertEquals(200, first.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", first.headers().firstValue("content-type").orElse(""));
            String body = first.body();
            for (String name : List.of("hotpochato_build_info{version=\"" + HotPochatoServer.VERSION + "\"} 1",
                    "# TYPE hotpochato_connections_accepted_total counter",
                    "# TYPE hotpochato_handoff_latency_seconds histogram",
                    "hotpochato_errors_sent_total{code=\"NOT_YOUR_TURN\"} 0",
                    "hotpochato_sessions{state=\"away\"}",
                    "jvm_gc_max_data_size_bytes", "jvm_memory_used_bytes{", "jvm_threads_live_threads",
                    "process_files_open_files", "netty_allocator_memory_used{", "netty_eventexecutor_tasks_pending{")) {
                assertTrue(body.contains(name), () -> "/metrics lacks " + name + ":\n" + body);
            }
            double accepted = sample(body, "hotpochato_connections_accepted_total{transport=\"tcp\"}");
            // GC pauses appear with the first collection after the server started.
            System.gc();
            long gcDeadline = System.nanoTime() + PATIENCE.toNanos();
            while (!get(server, "/metrics").body().contains("jvm_gc_pause_seconds_count{")) {
                assertTrue(System.nanoTime() < gcDeadline, "no jvm_gc_pause_seconds after a collection");
                Thread.sleep(20);
            }

            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            try (TestClient alice = TestClient.hello(address, "alice"); TestClient bob = TestClient.hello(address, "bob")) {
                String during = get(server, "/metrics").body();
                assertEquals(accepted + 2, sample(during, "hotpochato_connections_accepted_total{transport=\"tcp\"}"));
                assertEquals(2, sample(during, "hotpochato_connections_open{transport=\"tcp\"}"));
            }
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (sample(get(server, "/metrics").body(), "hotpochato_connections_open{transport=\"tcp\"}") != 0) {
                assertTrue(System.nanoTime() < deadline, "the closed connections are no longer counted as open");
                Thread.sleep(20);
            }
        }
    }

    /** Polls /metrics until {@code series} reads {@code expected}; fails after the patience. */
    private String awaitSample(HotPochatoServer server, String series, double expected) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            String body = get(server, "/metrics").body();
            if (sample(body, series) == expected) {
                return body;
            }
            assertTrue(System.nanoTime() < deadline, () -> series + " never reached " + expected + ":\n" + body);
            Thread.sleep(10);
        }
    }

    private static ClientFrame.Builder helloFrame(String name, String token) {
        return ClientFrame.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName(name).setAuthToken(token));
    }

    private static Predicate<ServerFrame> granted(String holder) {
        return f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals(holder);
    }

    /**
     * A conversation moves every counter it should, by as much as it should: sessions live and
     * away, rooms and members, hand-offs by cause and their latency, turns skipped and expired,
     * errors by code, frames and bytes, resumes by outcome, auth failures. And the log has one
     * line per closed connection and per failed authentication (no token, no chat text), and rooms
     * opening and closing at DEBUG.
     */
    @Test
    void aConversationMovesEveryCounterAndIsLogged(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "sesame\n");
        try (LogRecorder log = new LogRecorder(Level.DEBUG, "dev.hotpochato.server.net.ConnectionTraffic",
                "dev.hotpochato.server.net.SessionHandler", "dev.hotpochato.server.room.RoomShard");
             HotPochatoServer server = start(ServerOptions.builder().authenticator(TokenFileAuthenticator.load(tokens))
                     .resumeGrace(Duration.ofMinutes(5)))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            try (TestClient intruder = TestClient.connect(address)) {
                intruder.send(helloFrame("mallory", "open-please"));
                intruder.expectError(Error.Code.UNAUTHENTICATED);
            }
            TestClient alice = TestClient.connect(address);
            alice.hello("alice", "sesame");
            TestClient bob = TestClient.connect(address);
            bob.hello("bob", "sesame");
            alice.join("r");
            alice.expect(ServerFrame.BodyCase.JOINED);
            bob.join("r");
            bob.expect(ServerFrame.BodyCase.JOINED);
            alice.await(granted("alice"));
            bob.say("r", "out of turn");
            bob.await(f -> f.hasError() && f.getError().getCode() == Error.Code.NOT_YOUR_TURN);
            alice.say("r", "the secret plan");
            bob.await(granted("bob"));
            bob.pass("r");
            alice.await(granted("alice"));

            String talk = get(server, "/metrics").body();
            assertEquals(2, sample(talk, "hotpochato_sessions{state=\"live\"}"));
            assertEquals(0, sample(talk, "hotpochato_sessions{state=\"away\"}"));
            assertEquals(1, sample(talk, "hotpochato_rooms"));
            assertEquals(1, sample(talk, "hotpochato_rooms_opened_total"));
            assertEquals(2, sample(talk, "hotpochato_room_members"));
            assertEquals(1, sample(talk, "hotpochato_handoffs_total{cause=\"said\"}"));
            assertEquals(1, sample(talk, "hotpochato_handoffs_total{cause=\"passed\"}"));
            assertEquals(2, sample(talk, "hotpochato_handoff_latency_seconds_count"));
            assertTrue(sample(talk, "hotpochato_handoff_latency_seconds_sum") > 0);
            assertEquals(1, sample(talk, "hotpochato_errors_sent_total{code=\"NOT_YOUR_TURN\"}"));
            assertEquals(1, sample(talk, "hotpochato_errors_sent_total{code=\"UNAUTHENTICATED\"}"));
            assertEquals(1, sample(talk, "hotpochato_auth_failures_total{reason=\"refused\"}"));
            assertEquals(0, sample(talk, "hotpochato_auth_failures_total{reason=\"error\"}"));
            // Three Hellos, two Joins, two Says and a Pass.
            assertEquals(8, sample(talk, "hotpochato_received_frames_total"));
            assertTrue(sample(talk, "hotpochato_received_bytes_total") >= 8 * 4);
            // At least: the Error, two Welcomes, two Joined, a MemberJoined, three TurnGranted to two each, ...
            double sentFrames = sample(talk, "hotpochato_sent_frames_total");
            assertTrue(sentFrames >= 15, "frames sent: " + sentFrames);
            assertTrue(sample(talk, "hotpochato_sent_bytes_total") > sentFrames * 4);

            // Bob's connection breaks: his session is away, and his turn is skipped.
            long bobSeq = bob.lastSeq("r");
            bob.close();
            awaitSample(server, "hotpochato_sessions{state=\"away\"}", 1);
            alice.say("r", "anyone?");
            alice.await(f -> f.hasTurnSkipped());
            alice.await(granted("alice"));
            String away = get(server, "/metrics").body();
            assertEquals(1, sample(away, "hotpochato_sessions{state=\"live\"}"));
            assertEquals(1, sample(away, "hotpochato_turns_skipped_total"));
            assertEquals(2, sample(away, "hotpochato_handoffs_total{cause=\"said\"}"));
            assertEquals(2, sample(away, "hotpochato_room_members"), "an away member is still a member");

            // A Resume with a token nobody holds fails; Bob's own takes him back.
            try (TestClient stranger = TestClient.connect(address)) {
                stranger.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                        .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setResumeToken("no-such-token")));
                stranger.expectError(Error.Code.RESUME_FAILED);
            }
            TestClient bob2 = TestClient.connect(address);
            bob2.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                    .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setAuthToken("sesame")
                    .setResumeToken(bob.welcome().getResumeToken()).putLastSeq("r", bobSeq)));
            bob2.expect(ServerFrame.BodyCase.WELCOME);
            String back = get(server, "/metrics").body();
            assertEquals(1, sample(back, "hotpochato_resumes_total{outcome=\"resumed\"}"));
            assertEquals(1, sample(back, "hotpochato_resumes_total{outcome=\"failed\"}"));
            assertEquals(2, sample(back, "hotpochato_sessions{state=\"live\"}"));
            assertEquals(0, sample(back, "hotpochato_sessions{state=\"away\"}"));

            // A room whose turns last 50 ms: the first one expires.
            alice.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("quick")
                    .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(50))));
            alice.await(f -> f.hasJoined() && f.getJoined().getRoom().getName().equals("quick"));
            bob2.join("quick");
            bob2.await(f -> f.hasTurnExpired() && f.getTurnExpired().getRoom().equals("quick"));
            assertTrue(sample(get(server, "/metrics").body(), "hotpochato_turns_expired_total") >= 1);
            assertEquals(4, sample(get(server, "/metrics").body(), "hotpochato_room_members"));
            assertEquals(2, sample(get(server, "/metrics").body(), "hotpochato_rooms_opened_total"));

            // Both leave the quick room: it closes, and their memberships go.
            alice.send(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom("quick")));
            bob2.send(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom("quick")));
            awaitSample(server, "hotpochato_rooms", 1);
            awaitSample(server, "hotpochato_room_members", 2);
            assertEquals(2, sample(get(server, "/metrics").body(), "hotpochato_rooms_opened_total"));
            alice.close();
            bob2.close();
            awaitSample(server, "hotpochato_sessions{state=\"away\"}", 2);

            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (log.lines().stream().filter(l -> l.contains("connection closed")).count() < 5) {
                assertTrue(System.nanoTime() < deadline, () -> "five connections closed:\n" + log.lines());
                Thread.sleep(10);
            }
            List<String> lines = log.lines();
            String all = String.join("\n", lines);
            assertTrue(lines.stream().anyMatch(l -> l.matches(
                    "INFO SessionHandler: authentication failed: /127\\.0\\.0\\.1:\\d+ reason=refused by the authenticator")),
                    all);
            assertTrue(lines.stream().anyMatch(l -> l.matches("INFO ConnectionTraffic: connection closed: /127\\.0\\.0\\.1:\\d+ "
                    + "name=- duration=\\d+ms frames in=1 out=1 reason=UNAUTHENTICATED")), all);
            assertTrue(lines.stream().anyMatch(l -> l.matches("INFO ConnectionTraffic: connection closed: /127\\.0\\.0\\.1:\\d+ "
                    + "name=- duration=\\d+ms frames in=1 out=1 reason=RESUME_FAILED")), all);
            assertTrue(lines.stream().anyMatch(l -> l.matches("INFO ConnectionTraffic: connection closed: /127\\.0\\.0\\.1:\\d+ "
                    + "name=\"bob\" duration=\\d+ms frames in=4 out=\\d+ reason=closed by the client or the network")), all);
            assertTrue(lines.contains("DEBUG RoomShard: room r opened (public)"), all);
            assertTrue(lines.contains("DEBUG RoomShard: room quick opened (public)"), all);
            assertTrue(lines.contains("DEBUG RoomShard: room quick closed"), all);
            for (String secret : List.of("sesame", "open-please", "the secret plan", "out of turn", "anyone?")) {
                assertFalse(all.contains(secret), () -> "the log shows " + secret + ":\n" + all);
            }
        }
    }

    /** A session whose grace ends leaves the away count, and one that cannot be resumed leaves the live one. */
    @Test
    void endedSessionsLeaveTheirGauge() throws Exception {
        try (HotPochatoServer server = start(ServerOptions.builder().resumeGrace(Duration.ofMillis(100)))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            TestClient alice = TestClient.hello(address, "alice");
            alice.join("r");
            alice.expect(ServerFrame.BodyCase.JOINED);
            awaitSample(server, "hotpochato_sessions{state=\"live\"}", 1);
            alice.close();
            // The grace ends: she leaves, the room closes. The room and the session are counted on
            // different loops, so each gauge is awaited rather than read off one scrape.
            awaitSample(server, "hotpochato_rooms", 0);
            awaitSample(server, "hotpochato_room_members", 0);
            awaitSample(server, "hotpochato_sessions{state=\"live\"}", 0);
            awaitSample(server, "hotpochato_sessions{state=\"away\"}", 0);
        }
        try (HotPochatoServer server = start(ServerOptions.builder().resumeGrace(Duration.ZERO))) {
            TestClient bob = TestClient.hello(new InetSocketAddress("127.0.0.1", server.port()), "bob");
            awaitSample(server, "hotpochato_sessions{state=\"live\"}", 1);
            bob.close();
            awaitSample(server, "hotpochato_sessions{state=\"live\"}", 0);
            awaitSample(server, "hotpochato_sessions{state=\"away\"}", 0);
        }
    }

    /** Connections refused by each limit, and a client cut off for sending too fast. */
    @Test
    void refusalsAndCutOffsAreCounted() throws Exception {
        try (HotPochatoServer server = start(ServerOptions.builder().maxConnectionsPerAddress(1)
                .maxFramesPerSecond(1).frameBurst(2))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            try (TestClient first = TestClient.hello(address, "first"); TestClient second = TestClient.connect(address)) {
                second.expectError(Error.Code.TOO_MANY_CONNECTIONS);
                for (int i = 0; i < 5; i++) {
                    first.sendAndForget(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(i)));
                }
                first.await(f -> f.hasError() && f.getError().getCode() == Error.Code.RATE_LIMITED);
                String body = get(server, "/metrics").body();
                assertEquals(1, sample(body, "hotpochato_connections_refused_total{reason=\"max_connections_per_address\"}"));
                assertEquals(0, sample(body, "hotpochato_connections_refused_total{reason=\"max_connections\"}"));
                assertEquals(1, sample(body, "hotpochato_rate_limit_cutoffs_total"));
                assertEquals(1, sample(body, "hotpochato_errors_sent_total{code=\"RATE_LIMITED\"}"));
                assertEquals(1, sample(body, "hotpochato_errors_sent_total{code=\"TOO_MANY_CONNECTIONS\"}"));
            }
        }
        try (HotPochatoServer server = start(ServerOptions.builder().maxConnections(1))) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            try (TestClient first = TestClient.hello(address, "first"); TestClient second = TestClient.connect(address)) {
                second.expectError(Error.Code.TOO_MANY_CONNECTIONS);
                String body = get(server, "/metrics").body();
                assertEquals(1, sample(body, "hotpochato_connections_refused_total{reason=\"max_connections\"}"));
                assertEquals(0, sample(body, "hotpochato_connections_refused_total{reason=\"max_connections_per_address\"}"));
            }
        }
    }

    @Test
    void promtoolAcceptsTheExposition() throws Exception {
        Path promtool = findOnPath("promtool");
        assumeTrue(promtool != null, "promtool is not installed (Debian package 'prometheus'); the exposition "
                + "format is not checked by it here");
        try (HotPochatoServer server = start(ServerOptions.builder())) {
            try (TestClient alice = TestClient.hello(new InetSocketAddress("127.0.0.1", server.port()), "alice")) {
                String body = get(server, "/metrics").body();
                Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
                try (OutputStream in = check.getOutputStream()) {
                    in.write(body.getBytes(StandardCharsets.UTF_8));
                }
                String verdict = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(check.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS));
                assertEquals(0, check.exitValue(), () -> "promtool check metrics:\n" + verdict + "\nof:\n" + body);
                assertEquals("", verdict.strip(), "no lint warnings");
            }
        }
    }

    @Test
    void headGivesTheHeadersOnlyAndOtherRoutesAreRefused() throws Exception {
        try (HotPochatoServer server = start(ServerOptions.builder())) {
            HttpResponse<String> head = send(server, HttpRequest.newBuilder(uri(server, "/metrics"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, head.statusCode());
            assertEquals("", head.body());
            assertEquals(404, get(server, "/nothing").statusCode());
            HttpResponse<String> post = send(server, HttpRequest.newBuilder(uri(server, "/metrics"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(405, post.statusCode());
            assertEquals("GET, HEAD", post.headers().firstValue("allow").orElse(""));
            assertEquals(405, get(server, "/reload").statusCode());
        }
    }

    @Test
    void readyWhileServingNotReadyWhileAConditionIsDown() throws Exception {
        try (HotPochatoServer server = start(ServerOptions.builder())) {
            HttpResponse<String> ready = get(server, "/health/ready");
            assertEquals(200, ready.statusCode());
            assertEquals("ready\n", ready.body());
            var engine = server.health().condition("engine");
            engine.down("redis://127.0.0.1:6379 unreachable");
            HttpResponse<String> notReady = get(server, "/health/ready");
            assertEquals(503, notReady.statusCode());
            assertEquals("not ready: engine: redis://127.0.0.1:6379 unreachable\n", notReady.body());
            engine.up();
            assertEquals(200, get(server, "/health/ready").statusCode());

            HttpResponse<String> live = get(server, "/health/live");
            assertEquals(200, live.statusCode());
            assertEquals("live\n", live.body());
        }
    }

    @Test
    void readyTurnsFalseAsSoonAsShutdownStarts() throws Exception {
        HotPochatoServer server = start(ServerOptions.builder().shutdownTimeout(PATIENCE));
        // Hold every worker loop, so that the shutdown stops at closing the rooms, and look meanwhile.
        CountDownLatch release = new CountDownLatch(1);
        for (EventExecutor loop : server.workers()) {
            loop.execute(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        Thread closing = new Thread(server::close, "closing");
        closing.start();
        try {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            HttpResponse<String> ready;
            while ((ready = get(server, "/health/ready")).statusCode() == 200) {
                assertTrue(System.nanoTime() < deadline, "readiness never turned false");
                Thread.sleep(10);
            }
            assertEquals(503, ready.statusCode());
            assertEquals("not ready: shutting down\n", ready.body());
            assertTrue(closing.isAlive(), "the shutdown is still under way");
            assertEquals(200, get(server, "/health/live").statusCode(), "shutting down on purpose is not dead");
        } finally {
            release.countDown();
            closing.join(PATIENCE.toMillis());
        }
    }

    @Test
    void postReloadReloadsTheTokenFile(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "one\n");
        try (HotPochatoServer server = start(ServerOptions.builder().authenticator(TokenFileAuthenticator.load(tokens)))) {
            Files.writeString(tokens, "two\nthree\n");
            HttpResponse<String> reloaded = send(server, HttpRequest.newBuilder(uri(server, "/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(200, reloaded.statusCode());
            assertEquals("reloaded 2 tokens from " + tokens + "\n", reloaded.body());
            try (TestClient c = TestClient.connect(new InetSocketAddress("127.0.0.1", server.port()))) {
                c.hello("carol", "three");
            }

            Files.delete(tokens);
            HttpResponse<String> failed = send(server, HttpRequest.newBuilder(uri(server, "/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody()));
            assertEquals(500, failed.statusCode());
            assertEquals("reload failed: cannot read the token file " + tokens + ": no such file; the previous tokens stay\n",
                    failed.body());
            String metrics = get(server, "/metrics").body();
            assertEquals(1, sample(metrics, "hotpochato_config_reloads_total{result=\"success\"}"));
            assertEquals(1, sample(metrics, "hotpochato_config_reloads_total{result=\"failure\"}"));
        }
    }

    @Test
    void aBusyAdminPortIsNamedAndLeavesNothingRunning() throws Exception {
        try (HotPochatoServer first = start(ServerOptions.builder())) {
            int taken = first.adminAddress().getPort();
            var e = org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                    () -> HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0).adminPort(taken).build()));
            assertEquals("cannot listen on 127.0.0.1:" + taken + " (adminBindAddress, adminPort): Address already in use",
                    e.getMessage());
        }
    }

    private static Path findOnPath(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.add("/usr/bin");
        for (String d : dirs) {
            Path candidate = Path.of(d, name);
            if (!d.isEmpty() && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    @Test
    void withADrainDelayReadyIsDownWhileTheServerStillServes() throws Exception {
        HotPochatoServer server = start(ServerOptions.builder().shutdownDrainDelay(Duration.ofMinutes(10)));
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
        assertEquals(200, get(server, "/health/ready").statusCode());
        Thread closer = new Thread(server::close, "closer");
        closer.start();
        try {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            HttpResponse<String> ready = get(server, "/health/ready");
            while (ready.statusCode() == 200 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                ready = get(server, "/health/ready");
            }
            assertEquals(503, ready.statusCode(), ready.body());
            // The drain delay is running (ten minutes): new clients are still welcomed and served.
            try (TestClient late = TestClient.hello(address, "late")) {
                late.send(dev.hotpochato.protocol.v1.ClientFrame.newBuilder()
                        .setPing(dev.hotpochato.protocol.v1.Ping.getDefaultInstance()));
                late.expect(dev.hotpochato.protocol.v1.ServerFrame.BodyCase.PONG);
            }
            assertTrue(closer.isAlive(), "close() waits out the delay");
        } finally {
            closer.interrupt(); // ends the delay early
            closer.join(PATIENCE.toMillis());
        }
        assertFalse(closer.isAlive(), "close() went on once interrupted");
    }
}
