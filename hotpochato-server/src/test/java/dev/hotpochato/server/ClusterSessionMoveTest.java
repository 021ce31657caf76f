package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Leave;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.RoomClosed;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session that moves to another node, and what its rooms and its former node make of it: the
 * rooms its record lists are the rooms that have it as a member, whichever node commits; a node that
 * has not heard that the session moved (its {@code moved} message was lost) acts for it no more, not
 * even when it stops; and a room that closed while the member was away is reported on its resume on
 * any node as one node reports it.
 */
class ClusterSessionMoveTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private final List<HotPochatoServer> nodes = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void flush() throws Exception {
        assertEquals("+OK", REDIS.command("FLUSHALL"));
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        nodes.forEach(HotPochatoServer::close);
    }

    /** A cluster node; quick liveness, so that a node that stops heartbeating is declared dead in seconds. */
    private HotPochatoServer node() throws InterruptedException {
        return start(ServerOptions.builder().clusterHeartbeat(Duration.ofMillis(200))
                .clusterNodeTimeout(Duration.ofSeconds(2)).cluster(REDIS.uri()));
    }

    private HotPochatoServer start(ServerOptions.Builder options) throws InterruptedException {
        HotPochatoServer node = HotPochatoServer.start(options.bindAddress("127.0.0.1").port(0)
                .resumeGrace(Duration.ofSeconds(30)).workerThreads(2).build());
        nodes.add(node);
        return node;
    }

    private static InetSocketAddress address(HotPochatoServer node) {
        return new InetSocketAddress("127.0.0.1", node.port());
    }

    private TestClient track(TestClient c) {
        clients.add(c);
        return c;
    }

    private TestClient member(HotPochatoServer node, String name, String room) throws InterruptedException {
        TestClient c = track(TestClient.hello(address(node), name));
        c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room)
                .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(120_000))));
        c.expect(BodyCase.JOINED);
        return c;
    }

    /**
     * What a node's lost {@code moved} message leaves behind: Redis says {@code moved} now belongs to
     * the node of {@code owner} (as after a Resume there), and the node that had it never heard.
     */
    private static void moveWithoutTelling(TestClient moved, TestClient owner) throws Exception {
        String gen = recordHas(owner, "o");
        assertEquals(":0", REDIS.command("HSET " + record(moved) + " o " + gen)); // o was there: now changed
    }

    /** The key of {@code c}'s session's record (a Welcome gives the id in hex). */
    private static String record(TestClient c) {
        return "hp:session:" + Long.parseUnsignedLong(c.welcome().getSessionId(), 16);
    }

    private static String recordHas(TestClient c, String field) throws Exception {
        return REDIS.bulk("HGET " + record(c) + " " + field);
    }

    @Test
    void aJoinOfASessionThatMovedIsNotAppliedByTheNodeItLeft() throws Exception {
        HotPochatoServer a = node();
        HotPochatoServer b = node();
        TestClient alice = member(a, "alice", "tea");
        TestClient bob = member(b, "bob", "coffee");
        alice.drain("tea");
        bob.drain("coffee");
        long aliceSaw = alice.lastSeq("tea");
        moveWithoutTelling(alice, bob);

        // alice's half-open connection to node a sends a Join that node a commits as hers: refused,
        // and node a lets the session go as if it had heard, closing that connection.
        alice.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("coffee")));
        assertEquals("session resumed on another connection", alice.expectError(Error.Code.PROTOCOL_VIOLATION)
                .getMessage());
        alice.expectClosed();
        bob.expectNothingMore("coffee"); // alice never joined
        assertNull(recordHas(alice, "r.coffee"));
        assertEquals("1", recordHas(alice, "r.tea"));

        // Her record and the rooms agree: on node b she is back in tea, and in nothing else.
        TestClient back = track(TestClient.resume(address(b), alice, Map.of("tea", aliceSaw)));
        assertTrue(back.welcome().getResumed());
        assertEquals("alice", back.await(ServerFrame::hasMemberBack).getMemberBack().getName());
        back.expectNothingMore("tea");
        bob.expectNothingMore("coffee");
    }

    @Test
    void aGracefulStopOfANodeThatMissedAMoveMakesNobodyLeave() throws Exception {
        HotPochatoServer a = node();
        HotPochatoServer b = node();
        TestClient alice = member(a, "alice", "tea");
        TestClient bob = member(b, "bob", "tea");
        alice.drain("tea");
        bob.drain("tea");
        long aliceSaw = alice.lastSeq("tea");
        moveWithoutTelling(alice, bob);

        a.close(); // its members leave their rooms: alice is not its member any more
        nodes.remove(a);
        alice.expectClosed();
        bob.expectNothingMore("tea"); // neither MemberAway nor MemberLeft from node a
        assertEquals("1", recordHas(alice, "r.tea"));

        TestClient back = track(TestClient.resume(address(b), alice, Map.of("tea", aliceSaw)));
        assertTrue(back.welcome().getResumed());
        assertEquals("alice", bob.await(ServerFrame::hasMemberBack).getMemberBack().getName());
        back.await(ServerFrame::hasMemberBack);
        long id = bob.say("tea", "welcome back");
        bob.await(f -> f.getRequestId() == id);
        assertEquals("welcome back", back.await(ServerFrame::hasSaid).getSaid().getText());
    }

    /** The frame one node sends a member resuming after its pair room closed. */
    private static ServerFrame closedWhileAway(String room) {
        return ServerFrame.newBuilder().setRoomClosed(RoomClosed.newBuilder().setRoom(room)
                .setReason("the room closed while you were away")).build();
    }

    /** ann on {@code annNode} and ben on {@code benNode} are paired; returns the pair room. */
    private String pair(TestClient ann, TestClient ben) throws InterruptedException {
        ann.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        ann.expectNothingMore();
        ben.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        String room = ann.expect(BodyCase.PAIRED).getPaired().getRoom();
        assertEquals(room, ben.expect(BodyCase.PAIRED).getPaired().getRoom());
        ann.drain(room);
        ben.drain(room);
        return room;
    }

    /**
     * ann (on {@code annNode}) goes away, ben (on {@code benNode}) leaves their pair room, and ann
     * resumes on {@code resumeOn}: the frame after her Welcome.
     */
    private ServerFrame pairClosedWhileAway(HotPochatoServer annNode, HotPochatoServer benNode,
                                            HotPochatoServer resumeOn) throws InterruptedException {
        TestClient ann = track(TestClient.hello(address(annNode), "ann"));
        TestClient ben = track(TestClient.hello(address(benNode), "ben"));
        String room = pair(ann, ben);
        long annSaw = ann.lastSeq(room);
        ann.close();
        ben.await(ServerFrame::hasMemberAway);
        ben.send(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom(room)));
        ben.await(ServerFrame::hasLeft);
        TestClient back = track(TestClient.resume(address(resumeOn), ann, Map.of(room, annSaw)));
        assertTrue(back.welcome().getResumed());
        ServerFrame told = back.next();
        assertEquals(closedWhileAway(room), told);
        back.expectNothingMore();
        return told;
    }

    @Test
    void aPairThatClosedWhileAwayIsReportedOnResumeOnAnotherNodeAsOnOneNode() throws Exception {
        HotPochatoServer one = start(ServerOptions.builder());
        ServerFrame single = pairClosedWhileAway(one, one, one);
        HotPochatoServer a = node();
        HotPochatoServer b = node();
        ServerFrame cluster = pairClosedWhileAway(a, b, b);
        assertEquals(single.getRoomClosed().getReason(), cluster.getRoomClosed().getReason());
        assertEquals(single.getRoomClosed().getSeq(), cluster.getRoomClosed().getSeq());
    }

    @Test
    void aPairThatClosedWhileItsMembersNodeWasDeadIsReportedOnResumeOnAThirdNode() throws Exception {
        HotPochatoServer a = node();
        HotPochatoServer b = node();
        HotPochatoServer c = node();
        TestClient ann = track(TestClient.hello(address(a), "ann"));
        TestClient ben = track(TestClient.hello(address(b), "ben"));
        String room = pair(ann, ben);
        long annSaw = ann.lastSeq(room);

        a.pauseHeartbeats(true); // node a stops as if paused: another node adopts ann, away
        ben.await(ServerFrame::hasMemberAway);
        ben.send(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom(room)));
        ben.await(ServerFrame::hasLeft);

        TestClient back = track(TestClient.resume(address(c), ann, Map.of(room, annSaw)));
        assertTrue(back.welcome().getResumed());
        assertEquals(closedWhileAway(room), back.next());
        back.expectNothingMore();
    }
}
