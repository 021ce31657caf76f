package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node that stops heartbeating (as a paused one would: a long GC, SIGSTOP) is declared dead by
 * another: its members go away in their rooms (a turn one held passes on at once), Redis refuses its
 * commits, and once it runs again it finds itself fenced and closes its clients' connections, which
 * resume on the other node.
 */
class ClusterFencingTest {

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

    /** Quick liveness, so that the test takes seconds; still ten heartbeats per timeout, for a loaded machine. */
    private HotPochatoServer node() throws InterruptedException {
        return HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .resumeGrace(Duration.ofSeconds(30)).workerThreads(2)
                .clusterHeartbeat(Duration.ofMillis(200)).clusterNodeTimeout(Duration.ofSeconds(2))
                .cluster(REDIS.uri()).build());
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

    private TestClient member(HotPochatoServer node, String name) throws InterruptedException {
        TestClient c = TestClient.hello(new InetSocketAddress("127.0.0.1", node.port()), name);
        clients.add(c);
        c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea")
                .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(120_000))));
        c.expect(BodyCase.JOINED);
        return c;
    }

    @Test
    void aNodeThatStopsHeartbeatingLosesItsSessionsAndIsFenced() throws Exception {
        TestClient alice = member(a, "alice");
        TestClient bob = member(b, "bob");
        alice.drain("tea");
        bob.drain("tea"); // alice holds the first turn, for two minutes
        long aliceSaw = alice.lastSeq("tea");

        a.pauseHeartbeats(true);
        long paused = System.nanoTime();
        // Node b declares a dead and marks alice away: the turn passes on long before it would expire.
        assertEquals("alice", bob.expect(BodyCase.MEMBER_AWAY).getMemberAway().getName());
        assertEquals("bob", bob.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        System.out.printf("alice's turn passed on %d ms after her node stopped heartbeating (timeout 2000 ms)%n",
                (System.nanoTime() - paused) / 1_000_000);

        // Node a still runs, but Redis refuses whatever it would commit.
        alice.say("tea", "am I still here?");
        assertEquals(Error.Code.UNAVAILABLE, alice.await(ServerFrame::hasError).getError().getCode());

        // Running again, it learns it was declared dead, and sends its clients elsewhere.
        a.pauseHeartbeats(false);
        ServerFrame bye = alice.await(ServerFrame::hasError);
        assertEquals(Error.Code.SERVER_SHUTTING_DOWN, bye.getError().getCode());
        assertTrue(bye.getError().getFatal());
        alice.expectClosed();
        assertTrue(a.isFenced());

        // alice resumes on b, which adopted her session from the dead node.
        TestClient back = TestClient.resume(new InetSocketAddress("127.0.0.1", b.port()), alice, Map.of("tea", aliceSaw));
        clients.add(back);
        assertTrue(back.welcome().getResumed());
        List<BodyCase> replay = new ArrayList<>();
        ServerFrame f;
        while ((f = back.next()).getBodyCase() != BodyCase.MEMBER_BACK) {
            replay.add(f.getBodyCase());
        }
        assertEquals(List.of(BodyCase.MEMBER_AWAY, BodyCase.TURN_GRANTED, BodyCase.TURN_TIME_LEFT), replay);
        assertEquals("alice", bob.expect(BodyCase.MEMBER_BACK).getMemberBack().getName());
        long id = bob.say("tea", "welcome back");
        bob.await(f2 -> f2.getRequestId() == id);
        assertEquals("welcome back", back.expect(BodyCase.SAID).getSaid().getText());
        assertEquals("alice", back.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
    }

    /**
     * A node the cluster declared dead welcomes nobody: a Hello it reads while it has not learnt so
     * yet (paused: SIGSTOP, then SIGCONT) waits for its standing, and is answered with its goodbye,
     * SERVER_SHUTTING_DOWN, alone: never a Welcome first.
     */
    @Test
    void aHelloToANodeDeclaredDeadGetsServerShuttingDownAloneNeverAWelcome() throws Exception {
        member(a, "alice");
        TestClient bob = member(b, "bob");
        bob.drain("tea");

        a.pauseHeartbeats(true);
        // Node b declared a dead (alice is away); a, which could not heartbeat, does not know it yet.
        assertEquals("alice", bob.expect(BodyCase.MEMBER_AWAY).getMemberAway().getName());
        TestClient carol = TestClient.connect(new InetSocketAddress("127.0.0.1", a.port()));
        clients.add(carol);
        carol.sendAndForget(ClientFrame.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName("carol")));

        a.pauseHeartbeats(false); // the node runs again, and learns it was declared dead
        ServerFrame first = carol.next();
        assertEquals(BodyCase.ERROR, first.getBodyCase(), first::toString);
        assertEquals(Error.Code.SERVER_SHUTTING_DOWN, first.getError().getCode());
        assertTrue(first.getError().getFatal());
        carol.expectClosed();
        assertTrue(a.isFenced());
    }
}
