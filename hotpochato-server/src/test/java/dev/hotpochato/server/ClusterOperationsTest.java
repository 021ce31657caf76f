package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Leave;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What an operator sees of a cluster node on its admin port: {@code /health/ready} false while the
 * node cannot reach Redis, and the room metrics counting what this node holds and does.
 */
class ClusterOperationsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(true);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(PATIENCE).build();
    private final List<HotPochatoServer> nodes = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        nodes.forEach(HotPochatoServer::close);
    }

    private HotPochatoServer node() throws InterruptedException {
        HotPochatoServer node = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .adminPort(0).resumeGrace(Duration.ZERO).workerThreads(1).cluster(REDIS.uri()).build());
        nodes.add(node);
        return node;
    }

    private TestClient client(HotPochatoServer node, String name) throws InterruptedException {
        TestClient c = TestClient.hello(new InetSocketAddress("127.0.0.1", node.port()), name);
        clients.add(c);
        return c;
    }

    private HttpResponse<String> get(HotPochatoServer node, String path) throws IOException, InterruptedException {
        URI uri = URI.create("http://127.0.0.1:" + node.adminAddress().getPort() + path);
        return http.send(HttpRequest.newBuilder(uri).timeout(PATIENCE).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls {@code path} until its answer matches: Lettuce notices a lost or regained Redis on its own time. */
    private HttpResponse<String> await(HotPochatoServer node, String path, Predicate<HttpResponse<String>> until)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        HttpResponse<String> last = get(node, path);
        while (!until.test(last)) {
            if (System.nanoTime() > deadline) {
                fail("no answer as expected from " + path + " within " + PATIENCE + "; last: " + last.statusCode()
                        + " " + last.body());
            }
            Thread.sleep(50); // polling another process's state, within a bounded deadline
            last = get(node, path);
        }
        return last;
    }

    private static double sample(String exposition, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(exposition);
        if (!m.find()) {
            fail("no sample " + series + " in:\n" + exposition);
        }
        return Double.parseDouble(m.group(1));
    }

    @Test
    void readyIsFalseWhileRedisIsUnreachableAndTrueAgainOnceItIsBack() throws Exception {
        HotPochatoServer node = node();
        assertEquals(200, get(node, "/health/ready").statusCode());
        REDIS.kill();
        try {
            HttpResponse<String> down = await(node, "/health/ready", r -> r.statusCode() == 503);
            assertTrue(down.body().startsWith("not ready: engine: Redis at 127.0.0.1:" + REDIS.port() + " unreachable"),
                    down.body());
            assertEquals(200, get(node, "/health/live").statusCode(), "a node without Redis is not dead");
        } finally {
            REDIS.restart();
        }
        assertEquals("ready\n", await(node, "/health/ready", r -> r.statusCode() == 200).body());
    }

    @Test
    void roomMetricsCountWhatEachNodeHoldsAndCommits() throws Exception {
        HotPochatoServer a = node();
        HotPochatoServer b = node();
        TestClient alice = client(a, "alice");
        TestClient bob = client(b, "bob");
        alice.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("ops")));
        alice.expect(BodyCase.JOINED);
        bob.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("ops")));
        bob.expect(BodyCase.JOINED);
        alice.drain("ops");
        bob.drain("ops");
        alice.say("ops", "hello from a");
        bob.expect(BodyCase.SAID);
        bob.expect(BodyCase.TURN_GRANTED);
        alice.expect(BodyCase.SAID);
        alice.expect(BodyCase.TURN_GRANTED);
        bob.say("ops", "my turn now");
        alice.expect(BodyCase.SAID);
        alice.expect(BodyCase.TURN_GRANTED);
        bob.expect(BodyCase.SAID);
        bob.expect(BodyCase.TURN_GRANTED);
        bob.say("ops", "now it is not my turn");
        bob.expectError(dev.hotpochato.protocol.v1.Error.Code.NOT_YOUR_TURN);

        String onA = get(a, "/metrics").body();
        String onB = get(b, "/metrics").body();
        for (String m : List.of(onA, onB)) {
            assertEquals(1, sample(m, "hotpochato_rooms"), "each node holds the room its member is in");
            assertEquals(1, sample(m, "hotpochato_room_members"), "each node counts its own member");
            assertEquals(1, sample(m, "hotpochato_handoffs_total{cause=\"said\"}"),
                    "a hand-off is counted by the node that committed it");
            assertEquals(1, sample(m, "hotpochato_handoff_latency_seconds_count"));
        }
        assertEquals(0, sample(onA, "hotpochato_errors_sent_total{code=\"NOT_YOUR_TURN\"}"));
        assertEquals(1, sample(onB, "hotpochato_errors_sent_total{code=\"NOT_YOUR_TURN\"}"));

        bob.send(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom("ops")));
        alice.expect(BodyCase.MEMBER_LEFT);
        String afterB = await(b, "/metrics", r -> sample(r.body(), "hotpochato_rooms") == 0).body();
        assertEquals(0, sample(afterB, "hotpochato_room_members"));
        String afterA = get(a, "/metrics").body();
        assertEquals(1, sample(afterA, "hotpochato_rooms"));
        assertEquals(1, sample(afterA, "hotpochato_room_members"));
    }
}
