package dev.hotpochato.server;

import dev.hotpochato.testing.TestClient;
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
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
