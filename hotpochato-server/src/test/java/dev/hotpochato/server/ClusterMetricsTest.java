package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Leave;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import io.micrometer.core.instrument.Gauge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A node's gauges in a cluster count what the node has, whichever way it got it: a room it takes up
 * when a member resumes there from another node is opened and its member joined on that node, and
 * the node the session left lets go of the member (and of the room, if it was its last member here).
 * Every gauge returns to 0 once everyone has left, on every node, and none goes below 0.
 */
class ClusterMetricsTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private HotPochatoServer a;
    private HotPochatoServer b;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assertEquals("+OK", REDIS.command("FLUSHALL"));
        a = node();
        b = node();
    }

    /** A short resume grace, so that the sessions of closed clients end within the test. */
    private static HotPochatoServer node() throws InterruptedException {
        return HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .resumeGrace(Duration.ofSeconds(2)).workerThreads(2).cluster(REDIS.uri()).build());
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static InetSocketAddress address(HotPochatoServer node) {
        return new InetSocketAddress("127.0.0.1", node.port());
    }

    private TestClient member(HotPochatoServer node, String name) throws InterruptedException {
        TestClient c = TestClient.hello(address(node), name);
        clients.add(c);
        c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea")
                .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(60_000))));
        c.expect(BodyCase.JOINED);
        return c;
    }

    @Test
    void aRoomTakenUpOnResumeAndLetGoOnTheOtherNodeIsCountedOnceAndEveryGaugeReturnsToZero() throws Exception {
        TestClient alice = member(a, "alice");
        TestClient bob = member(a, "bob");
        alice.drain("tea");
        bob.drain("tea");
        awaitGauges(a, 1, 2, 2, 0);
        awaitGauges(b, 0, 0, 0, 0);

        // alice's connection is lost; she resumes on b, which had no member of the room until then.
        long aliceSaw = alice.lastSeq("tea");
        alice.close();
        awaitGauges(a, 1, 2, 1, 1);
        TestClient back = TestClient.resume(address(b), alice, Map.of("tea", aliceSaw));
        clients.add(back);
        assertTrue(back.welcome().getResumed());
        back.await(f -> f.hasMemberBack() && f.getMemberBack().getName().equals("alice"));
        awaitGauges(b, 1, 1, 1, 0); // b took up the room and its member
        awaitGauges(a, 1, 1, 1, 0); // a let alice go, and keeps the room for bob

        // Everyone leaves: each node's room closes there, once.
        back.send(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom("tea")));
        back.await(f -> f.hasLeft());
        awaitGauges(b, 0, 0, 1, 0);
        bob.send(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom("tea")));
        bob.await(f -> f.hasLeft());
        awaitGauges(a, 0, 0, 1, 0);

        // Their sessions end once their grace runs out after their connections close.
        back.close();
        bob.close();
        awaitGauges(a, 0, 0, 0, 0);
        awaitGauges(b, 0, 0, 0, 0);
    }

    /** Waits until {@code node}'s gauges read these values; fails at once if one is negative. */
    private static void awaitGauges(HotPochatoServer node, int rooms, int members, int live, int away)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        List<Integer> expected = List.of(rooms, members, live, away);
        while (true) {
            List<Integer> now = List.of(gauge(node, "hotpochato.rooms", null), gauge(node, "hotpochato.room.members", null),
                    gauge(node, "hotpochato.sessions", "live"), gauge(node, "hotpochato.sessions", "away"));
            for (int value : now) {
                if (value < 0) {
                    fail("a negative gauge: rooms, members, live, away = " + now);
                }
            }
            if (now.equals(expected)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                fail("rooms, members, live, away = " + now + ", not " + expected);
            }
            // Rooms, members and sessions are counted on different loops: polled, with a deadline.
            Thread.sleep(20);
        }
    }

    private static int gauge(HotPochatoServer node, String name, String state) {
        var search = node.meterRegistry().find(name);
        Gauge g = state == null ? search.gauge() : search.tag("state", state).gauge();
        return (int) g.value();
    }
}
