package dev.hotpochato.server;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.CuttableProxy;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Resume on another node: a session whose connection to one node was lost (or is half-open) is
 * taken back on another node with its token; the client gets exactly the events it missed, in
 * order, none twice, then it is back and the room carries on; the token then works nowhere.
 */
class ClusterResumeTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private HotPochatoServer a;
    private HotPochatoServer b;
    private final List<TestClient> clients = new ArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assertEquals("+OK", REDIS.command("FLUSHALL"));
        a = node(ServerOptions.builder());
        b = node(ServerOptions.builder());
    }

    private HotPochatoServer node(ServerOptions.Builder options) throws InterruptedException {
        return HotPochatoServer.start(options.bindAddress("127.0.0.1").port(0).resumeGrace(Duration.ofSeconds(30))
                .workerThreads(2).cluster(REDIS.uri()).build());
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(TestClient::close);
        for (AutoCloseable c : closeables) {
            c.close();
        }
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

    private TestClient track(TestClient c) {
        clients.add(c);
        return c;
    }

    private TestClient member(InetSocketAddress at, String name, String room) throws InterruptedException {
        TestClient c = track(TestClient.hello(at, name));
        c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room)
                .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(60_000))));
        c.expect(BodyCase.JOINED);
        return c;
    }

    /** The numbered frames {@code c} reads until one matches {@code last} (included), request ids cleared. */
    private static List<ServerFrame> readUntil(TestClient c, BodyCase last) throws InterruptedException {
        List<ServerFrame> frames = new ArrayList<>();
        while (true) {
            ServerFrame f = c.next();
            if (RoomEvents.seq(f) > 0) {
                frames.add(f.toBuilder().setRequestId(0).build());
            }
            if (f.getBodyCase() == last) {
                return frames;
            }
        }
    }

    @Test
    void aSessionLostOnOneNodeResumesOnTheOtherWithEveryMissedEventOnce() throws Exception {
        TestClient alice = member(address(a), "alice", "tea");
        TestClient bob = member(address(b), "bob", "tea");
        TestClient carol = member(address(b), "carol", "tea");
        for (TestClient c : List.of(alice, bob, carol)) {
            c.drain("tea");
        }
        alice.say("tea", "one"); // bob's turn next
        for (TestClient c : List.of(alice, bob, carol)) {
            c.expect(BodyCase.SAID);
            assertEquals("bob", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        }
        long aliceSaw = alice.lastSeq("tea");
        String token = alice.welcome().getResumeToken();

        alice.close(); // node a sees the connection go: alice is away
        List<ServerFrame> missed = new ArrayList<>(readUntil(bob, BodyCase.MEMBER_AWAY));
        carol.expect(BodyCase.MEMBER_AWAY);
        bob.say("tea", "two");     // carol's turn
        missed.addAll(readUntil(bob, BodyCase.TURN_GRANTED));
        carol.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("carol"));
        carol.say("tea", "three"); // alice's turn: skipped, back to bob
        missed.addAll(readUntil(bob, BodyCase.TURN_GRANTED));
        assertEquals(List.of(BodyCase.MEMBER_AWAY, BodyCase.SAID, BodyCase.TURN_GRANTED, BodyCase.SAID,
                BodyCase.TURN_SKIPPED, BodyCase.TURN_GRANTED), missed.stream().map(ServerFrame::getBodyCase).toList());

        // alice comes back through node b, which never had her session.
        TestClient back = track(TestClient.resume(address(b), alice, Map.of("tea", aliceSaw)));
        assertTrue(back.welcome().getResumed());
        assertEquals(alice.welcome().getSessionId(), back.welcome().getSessionId());
        assertFalse(back.welcome().getResumeToken().equals(token), "a new token");
        List<ServerFrame> replay = new ArrayList<>();
        ServerFrame f;
        boolean timeLeft = false;
        while ((f = back.next()).getBodyCase() != BodyCase.MEMBER_BACK) {
            if (f.hasTurnTimeLeft()) {
                timeLeft = true;
                assertEquals("bob", f.getTurnTimeLeft().getHolder());
                continue;
            }
            replay.add(f.toBuilder().setRequestId(0).build());
        }
        assertTrue(timeLeft, "the time left in bob's turn");
        assertEquals(missed, replay, "exactly the events missed, in order, none twice");
        assertEquals(missed.get(missed.size() - 1).getTurnGranted().getSeq() + 1, RoomEvents.seq(f));
        assertEquals("alice", bob.expect(BodyCase.MEMBER_BACK).getMemberBack().getName());
        assertEquals("alice", carol.await(ServerFrame::hasMemberBack).getMemberBack().getName());

        // The room carries on, alice's turn included, and she hears everything live.
        bob.say("tea", "four");
        carol.await(f2 -> f2.hasTurnGranted() && f2.getTurnGranted().getHolder().equals("carol"));
        carol.say("tea", "five");
        assertEquals("four", back.expect(BodyCase.SAID).getSaid().getText());
        assertEquals("carol", back.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        assertEquals("five", back.expect(BodyCase.SAID).getSaid().getText());
        assertEquals("alice", back.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        long id = back.say("tea", "I am back");
        assertEquals(id, back.expect(BodyCase.SAID).getRequestId());
        assertEquals("I am back", bob.await(f2 -> f2.hasSaid() && f2.getSaid().getSpeaker().equals("alice"))
                .getSaid().getText());

        // The token was used (alice sent frames after her Welcome): no node takes it again.
        for (HotPochatoServer node : List.of(a, b)) {
            TestClient thief = track(TestClient.connect(address(node)));
            thief.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                    .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setResumeToken(token)
                    .putLastSeq("tea", aliceSaw)));
            thief.expectError(Error.Code.RESUME_FAILED);
        }
        // Node a let the session go.
        awaitSessions(a, 0);
    }

    @Test
    void aHalfOpenSessionOnOneNodeIsTakenOverOnTheOtherAsOnOneNode() throws Exception {
        CuttableProxy proxy = new CuttableProxy(address(a));
        closeables.add(proxy);
        TestClient alice = member(new InetSocketAddress("127.0.0.1", proxy.port()), "alice", "tea");
        TestClient bob = member(address(b), "bob", "tea");
        alice.drain("tea");
        bob.drain("tea");
        long aliceSaw = alice.lastSeq("tea");
        proxy.freeze(); // alice's laptop slept: node a still thinks she is connected, and she holds the turn

        TestClient back = track(TestClient.resume(address(b), alice, Map.of("tea", aliceSaw)));
        assertTrue(back.welcome().getResumed());
        // As on one node: she went away (the turn she held passed on), then came back.
        List<BodyCase> replay = new ArrayList<>();
        ServerFrame f;
        while ((f = back.next()).getBodyCase() != BodyCase.MEMBER_BACK) {
            replay.add(f.getBodyCase());
        }
        assertEquals(List.of(BodyCase.MEMBER_AWAY, BodyCase.TURN_GRANTED, BodyCase.TURN_TIME_LEFT), replay);
        assertEquals("alice", bob.expect(BodyCase.MEMBER_AWAY).getMemberAway().getName());
        assertEquals("bob", bob.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        assertEquals("alice", bob.expect(BodyCase.MEMBER_BACK).getMemberBack().getName());
        awaitSessions(a, 0); // node a closed the old connection and let the session go
        a.close(); // a graceful stop: its members leave their rooms, but alice is node b's now
        a = null;

        long id = bob.say("tea", "welcome back");
        bob.await(f2 -> f2.getRequestId() == id);
        assertEquals("welcome back", back.await(ServerFrame::hasSaid).getSaid().getText());
        assertEquals("alice", back.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
    }

    @Test
    void aResumeRefusedForItsCredentialsOnAnotherNodeChangesNothing() throws Exception {
        a.close();
        b.close();
        Authenticator onlyGood = (name, token, remote) -> java.util.concurrent.CompletableFuture.completedFuture(
                token.equals("good"));
        a = node(ServerOptions.builder().authenticator(onlyGood));
        b = node(ServerOptions.builder().authenticator(onlyGood));
        TestClient alice = track(TestClient.connect(address(a)));
        alice.hello("alice", "good");
        alice.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea")));
        alice.expect(BodyCase.JOINED);
        TestClient bob = track(TestClient.connect(address(b)));
        bob.hello("bob", "good");
        bob.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea")));
        bob.expect(BodyCase.JOINED);
        alice.drain("tea");
        bob.drain("tea");

        // Someone with alice's token but not her credentials, on node b: refused, and alice's session
        // stays hers, connected to node a, present in the room.
        TestClient thief = track(TestClient.connect(address(b)));
        thief.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                .setResumeToken(alice.welcome().getResumeToken()).setAuthToken("bad")));
        thief.expectError(Error.Code.UNAUTHENTICATED);
        long id = alice.say("tea", "still here");
        assertEquals(id, alice.expect(BodyCase.SAID).getRequestId());
        assertEquals("still here", bob.expect(BodyCase.SAID).getSaid().getText());
        assertEquals(1, a.sessionCount());
    }

    @Test
    void aTokenThatNeverWasIsRefusedOnEveryNode() throws Exception {
        TestClient alice = member(address(a), "alice", "tea");
        String real = alice.welcome().getResumeToken();
        for (String token : List.of("", "nonsense", "zz.abc", real.substring(0, real.indexOf('.') + 1) + "AAAAAAAAAAAAAAAAAAAAAA")) {
            TestClient thief = track(TestClient.connect(address(b)));
            thief.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                    .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setResumeToken(token)));
            thief.expectError(Error.Code.RESUME_FAILED);
        }
        alice.drain("tea"); // still hers, untouched
        assertEquals(1, a.sessionCount());
    }

    private static void awaitSessions(HotPochatoServer node, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (node.sessionCount() != expected) {
            if (System.nanoTime() > deadline) {
                fail("the node keeps " + node.sessionCount() + " sessions, not " + expected);
            }
            Thread.sleep(20); // polling another component's state, with a deadline
        }
    }
}
