package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.EndRule;
import dev.hotpochato.protocol.v1.EndRules;
import dev.hotpochato.protocol.v1.FloorState;
import dev.hotpochato.protocol.v1.FloorUpdate;
import dev.hotpochato.protocol.v1.Grant;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ListRooms;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.MemberMoved;
import dev.hotpochato.protocol.v1.MemberMuted;
import dev.hotpochato.protocol.v1.Move;
import dev.hotpochato.protocol.v1.Mute;
import dev.hotpochato.protocol.v1.RaiseHand;
import dev.hotpochato.protocol.v1.Remove;
import dev.hotpochato.protocol.v1.Revoke;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.RoomSummary;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.protocol.v1.TurnPolicy;
import dev.hotpochato.protocol.v1.Withdraw;
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
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cluster mode end to end: two server nodes in this JVM share one real redis-server (started by
 * {@link RedisServer}); clients on different nodes meet in the same rooms, and every rule, order
 * and error is the one a single node gives.
 */
class ClusterEndToEndTest {

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

    private HotPochatoServer node() throws InterruptedException {
        return HotPochatoServer.start(ServerOptions.builder()
                .bindAddress("127.0.0.1").port(0).maxFrameBytes(4096).maxTextBytes(1024)
                .resumeGrace(Duration.ZERO).workerThreads(2).cluster(REDIS.uri()).build());
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

    private TestClient client(HotPochatoServer node, String name) throws InterruptedException {
        TestClient c = TestClient.hello(new InetSocketAddress("127.0.0.1", node.port()), name);
        clients.add(c);
        return c;
    }

    /** Members joined in order, alternating between the nodes, everything up to the first turn read. */
    private List<TestClient> room(String room, RoomOptions options, String... names) throws InterruptedException {
        List<TestClient> members = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            TestClient c = client(i % 2 == 0 ? a : b, names[i]);
            c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room).setOptions(options)));
            c.expect(BodyCase.JOINED);
            members.add(c);
        }
        for (TestClient c : members) {
            c.drain(room); // the joins of the later members and the first TurnGranted
        }
        return members;
    }

    @Test
    void clientsOnTwoNodesTakeTurnsInRoundRobinOrder() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob", "carol");
        for (int round = 0; round < 3; round++) {
            for (int speaker = 0; speaker < 3; speaker++) {
                TestClient holder = m.get(speaker);
                String text = holder.name() + " says " + round;
                long id = holder.say("tea", text);
                String next = m.get((speaker + 1) % 3).name();
                for (TestClient c : m) {
                    ServerFrame said = c.expect(BodyCase.SAID);
                    assertEquals(text, said.getSaid().getText());
                    assertEquals(holder.name(), said.getSaid().getSpeaker());
                    assertEquals(c == holder ? id : 0, said.getRequestId(), "only the speaker's copy echoes its request");
                    assertEquals(next, c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
                }
            }
        }
        for (TestClient c : m) {
            c.expectNothingMore("tea");
        }
    }

    @Test
    void sayOutOfTurnOnTheOtherNodeIsRefusedAsOnOneNode() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob");
        m.get(1).say("tea", "me first!");
        Error error = m.get(1).expectError(Error.Code.NOT_YOUR_TURN);
        assertTrue(error.getMessage().contains("alice"), error.getMessage());
        m.get(0).expectNothingMore("tea");
        assertTrue(m.get(1).isOpen(), "a refused Say is not fatal");
        m.get(0).say("tea", "my turn indeed");
        assertEquals("my turn indeed", m.get(1).expect(BodyCase.SAID).getSaid().getText());
        assertEquals("bob", m.get(1).expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
    }

    @Test
    void whatIsPublishedWhileANodeIsNotSubscribedIsReadFromTheStream() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob");
        // Both nodes lose their subscriptions (as a network blip would); Lettuce reconnects within
        // about 50 ms, and a message published in between is gone for good (pub/sub is at most once).
        assertTrue(REDIS.command("CLIENT KILL TYPE pubsub").startsWith(":"));
        m.get(0).say("tea", "while nobody listened");
        assertEquals("while nobody listened", m.get(1).expect(BodyCase.SAID).getSaid().getText());
        assertEquals("bob", m.get(1).expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        long id = m.get(1).say("tea", "heard you");
        assertEquals("heard you", m.get(0).await(f -> f.hasSaid() && f.getSaid().getSpeaker().equals("bob"))
                .getSaid().getText());
        assertEquals(id, m.get(1).expect(BodyCase.SAID).getRequestId());
        assertEquals("alice", m.get(1).expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        m.get(1).expectNothingMore("tea"); // nothing twice: not from the stream and the channel both
    }

    @Test
    void joinErrorsAreThoseOfOneNode() throws Exception {
        room("tea", RoomOptions.getDefaultInstance(), "alice", "bob");
        TestClient again = client(b, "alice");
        again.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea")));
        again.expectError(Error.Code.NAME_TAKEN);
        TestClient stranger = client(a, "dave");
        stranger.say("tea", "hi");
        stranger.expectError(Error.Code.NOT_A_MEMBER);
        stranger.say("nowhere", "hi");
        stranger.expectError(Error.Code.UNKNOWN_ROOM);
    }

    private static FloorUpdate floor(TestClient c, FloorState state, String name) throws InterruptedException {
        FloorUpdate u = c.expect(BodyCase.FLOOR_UPDATE).getFloorUpdate();
        assertEquals(state, u.getState(), () -> c + ": " + u);
        assertEquals(name, u.getName());
        return u;
    }

    @Test
    void aHandRaisedOnOneNodeQueuesAndIsGrantedForEveryNode() throws Exception {
        // alice and carol on node a, bob on node b.
        List<TestClient> m = room("q", RoomOptions.newBuilder().setPolicy(TurnPolicy.QUEUE).build(),
                "alice", "bob", "carol");
        long id = m.get(1).send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("q")));
        for (TestClient c : m) {
            ServerFrame pending = c.expect(BodyCase.FLOOR_UPDATE);
            assertEquals(FloorState.PENDING, pending.getFloorUpdate().getState());
            assertEquals(c == m.get(1) ? id : 0, pending.getRequestId(), "the requester's copy echoes its request");
            floor(c, FloorState.GRANTED, "bob");
            assertEquals("bob", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        }
        m.get(2).send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("q")));
        for (TestClient c : m) {
            assertEquals(List.of("carol"), floor(c, FloorState.PENDING, "carol").getQueueList());
        }
        m.get(0).send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("q")));
        for (TestClient c : m) {
            assertEquals(List.of("carol", "alice"), floor(c, FloorState.PENDING, "alice").getQueueList());
        }
        m.get(2).send(ClientFrame.newBuilder().setWithdraw(Withdraw.newBuilder().setRoom("q")));
        for (TestClient c : m) {
            assertEquals(List.of("alice"), floor(c, FloorState.WITHDRAWN, "carol").getQueueList());
        }
        m.get(1).say("q", "from node b");
        for (TestClient c : m) {
            assertEquals("from node b", c.expect(BodyCase.SAID).getSaid().getText());
            floor(c, FloorState.RELEASED, "bob");
            floor(c, FloorState.GRANTED, "alice");
            assertEquals("alice", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        }
        m.get(0).pass("q");
        for (TestClient c : m) {
            c.expect(BodyCase.PASSED);
            floor(c, FloorState.RELEASED, "alice");
            c.expect(BodyCase.FLOOR_IDLE);
            c.expectNothingMore("q");
        }
    }

    @Test
    void aChairOnOneNodeGrantsRevokesMutesAndRemovesAMemberOnTheOther() throws Exception {
        // The chair on node a, bob on node b.
        List<TestClient> m = room("mod", RoomOptions.newBuilder().setPolicy(TurnPolicy.MODERATED)
                .setTurnTimeoutMs(60_000).build(), "chair", "bob");
        TestClient chair = m.get(0);
        TestClient bob = m.get(1);
        bob.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("mod")));
        for (TestClient c : m) {
            floor(c, FloorState.PENDING, "bob");
        }
        chair.send(ClientFrame.newBuilder().setGrant(Grant.newBuilder().setRoom("mod").setTalkTimeMs(30_000)));
        for (TestClient c : m) {
            assertEquals("chair", floor(c, FloorState.GRANTED, "bob").getBy());
            assertEquals(30_000, c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getDurationMs());
        }
        chair.send(ClientFrame.newBuilder().setRevoke(Revoke.newBuilder().setRoom("mod").setReason("off topic")));
        for (TestClient c : m) {
            assertEquals("off topic", floor(c, FloorState.REVOKED, "bob").getReason());
            c.expect(BodyCase.FLOOR_IDLE);
        }
        bob.say("mod", "but...");
        bob.expectError(Error.Code.NOT_YOUR_TURN);
        chair.send(ClientFrame.newBuilder().setMute(Mute.newBuilder().setRoom("mod").setMember("bob").setMuted(true)));
        for (TestClient c : m) {
            MemberMuted muted = c.expect(BodyCase.MEMBER_MUTED).getMemberMuted();
            assertTrue(muted.getMuted());
            assertEquals("bob", muted.getName());
        }
        bob.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("mod")));
        bob.expectError(Error.Code.MUTED);
        chair.send(ClientFrame.newBuilder().setRemove(Remove.newBuilder().setRoom("mod").setMember("bob")
                .setReason("spam")));
        ServerFrame left = bob.expect(BodyCase.LEFT);
        assertEquals(MemberLeft.Reason.REMOVED, left.getLeft().getReason(), "told on its own node");
        assertEquals("chair", left.getLeft().getBy());
        assertEquals("spam", left.getLeft().getMessage());
        assertEquals(MemberLeft.Reason.REMOVED, chair.expect(BodyCase.MEMBER_LEFT).getMemberLeft().getReason());
        bob.say("mod", "still here?");
        bob.expectError(Error.Code.NOT_A_MEMBER);
        bob.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("mod")));
        bob.expect(BodyCase.JOINED); // its room slot was given back on its own node
    }

    @Test
    void aRevokeWithAGraceEndsTheTurnAtTheShorterDeadlineOnEveryNode() throws Exception {
        // A long turn, a short grace: the revoke moves the same turn's deadline, and the nodes' timers with it.
        List<TestClient> m = room("grace", RoomOptions.newBuilder().setPolicy(TurnPolicy.MODERATED)
                .setTurnTimeoutMs(60_000).setRevokeGraceMs(300).build(), "chair", "bob");
        TestClient chair = m.get(0);
        chair.send(ClientFrame.newBuilder().setGrant(Grant.newBuilder().setRoom("grace").setMember("bob")));
        for (TestClient c : m) {
            floor(c, FloorState.GRANTED, "bob");
            assertEquals(60_000, c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getDurationMs());
        }
        chair.send(ClientFrame.newBuilder().setRevoke(Revoke.newBuilder().setRoom("grace").setReason("wrap up")));
        for (TestClient c : m) {
            assertEquals(300, floor(c, FloorState.REVOKED, "bob").getTalkTimeMs(), "bob may finish for 300 ms");
        }
        for (TestClient c : m) {
            assertEquals("bob", c.expect(BodyCase.TURN_EXPIRED).getTurnExpired().getName(), "well before 60 s");
            floor(c, FloorState.RELEASED, "bob");
            c.expect(BodyCase.FLOOR_IDLE);
        }
    }

    @Test
    void anAudienceMemberOnOneNodeIsPromotedByAChairOnTheOther() throws Exception {
        List<TestClient> m = room("stage", RoomOptions.getDefaultInstance(), "host", "guest");
        TestClient fan = client(b, "fan");
        fan.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("stage").setAudience(true)));
        assertEquals(List.of("fan"), fan.expect(BodyCase.JOINED).getJoined().getRoom().getAudienceList());
        fan.expect(BodyCase.MEMBER_MOVED);
        for (TestClient c : m) {
            c.expect(BodyCase.MEMBER_JOINED);
            assertTrue(c.expect(BodyCase.MEMBER_MOVED).getMemberMoved().getAudience());
        }
        fan.say("stage", "can I?");
        fan.expectError(Error.Code.NOT_YOUR_TURN);
        fan.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("stage")));
        floor(fan, FloorState.PENDING, "fan");
        m.get(0).send(ClientFrame.newBuilder().setMove(Move.newBuilder().setRoom("stage").setMember("fan")));
        MemberMoved moved = fan.expect(BodyCase.MEMBER_MOVED).getMemberMoved();
        assertEquals("host", moved.getBy());
        assertTrue(!moved.getAudience());
        floor(fan, FloorState.ACCEPTED, "fan");
        m.get(0).say("stage", "over to the guest");
        m.get(1).await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("guest"));
        m.get(1).say("stage", "and to the fan");
        fan.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("fan")); // a speaker now
        long id = fan.say("stage", "hello from the stage");
        assertEquals(id, fan.expect(BodyCase.SAID).getRequestId());
        m.get(0).await(f -> f.hasSaid() && f.getSaid().getText().equals("hello from the stage"));
    }

    @Test
    void aRoomsTimeRunsOutOnceAndClosesItForEveryNode() throws Exception {
        // Long enough for both to join on a loaded machine; the room then ends by itself.
        RoomOptions options = RoomOptions.newBuilder().setEnd(EndRules.newBuilder().setAfterMs(1_500)).build();
        List<TestClient> m = room("brief", options, "ann", "ben");
        for (TestClient c : m) {
            ServerFrame closed = c.await(ServerFrame::hasRoomClosed);
            assertEquals(EndRule.AFTER_TIME, closed.getRoomClosed().getEndedBy());
        }
        for (TestClient c : m) {
            // Both nodes woke the room; only the first commit ended it: nothing came before this answer.
            c.say("brief", "anyone?");
            c.expectError(Error.Code.UNKNOWN_ROOM);
        }
    }

    @Test
    void aHolderSaysAsManyMessagesAsATurnAllowsFromEitherNode() throws Exception {
        RoomOptions options = RoomOptions.newBuilder().setMessagesPerTurn(2)
                .setEnd(EndRules.newBuilder().setAfterTurns(2)).build();
        List<TestClient> m = room("two", options, "ann", "ben");
        m.get(0).say("two", "one");
        m.get(0).say("two", "two");
        for (TestClient c : m) {
            assertEquals("one", c.expect(BodyCase.SAID).getSaid().getText());
            assertEquals("two", c.expect(BodyCase.SAID).getSaid().getText());
            assertEquals("ben", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        }
        m.get(1).say("two", "three");
        for (TestClient c : m) {
            assertEquals("three", c.expect(BodyCase.SAID).getSaid().getText());
        }
        m.get(1).pass("two");
        for (TestClient c : m) {
            c.expect(BodyCase.PASSED);
            assertEquals(EndRule.AFTER_TURNS, c.expect(BodyCase.ROOM_CLOSED).getRoomClosed().getEndedBy());
        }
    }

    @Test
    void aTurnTimeoutFiresExactlyOnceAcrossNodes() throws Exception {
        List<TestClient> m = room("quick", RoomOptions.newBuilder().setTurnTimeoutMs(300).build(), "alice", "bob");
        for (String[] turn : new String[][] {{"alice", "bob"}, {"bob", "alice"}, {"alice", "bob"}}) {
            for (TestClient c : m) {
                assertEquals(turn[0], c.expect(BodyCase.TURN_EXPIRED).getTurnExpired().getName());
                assertEquals(turn[1], c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
            }
        }
        // Both nodes armed each timer; the seqs show no second expiry of any turn slipped in between.
        m.get(0).say("quick", "still me? no");
        m.get(0).expectError(Error.Code.NOT_YOUR_TURN);
    }

    @Test
    void theHolderLeavingOnOneNodeMovesTheTurnOnTheOther() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob", "carol");
        m.get(0).close();
        for (TestClient c : m.subList(1, 3)) {
            ServerFrame left = c.expect(BodyCase.MEMBER_LEFT);
            assertEquals("alice", left.getMemberLeft().getName());
            assertEquals(MemberLeft.Reason.DISCONNECTED, left.getMemberLeft().getReason());
            assertEquals("bob", c.expect(BodyCase.CHAIR_CHANGED).getChairChanged().getName(), "the chair's heir");
            assertEquals("bob", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        }
    }

    @Test
    void listRoomsShowsTheRoomsOfEveryNode() throws Exception {
        room("apple", RoomOptions.getDefaultInstance(), "alice");
        TestClient onB = client(b, "bob");
        onB.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("banana")));
        onB.expect(BodyCase.JOINED);
        TestClient asker = client(a, "carol");
        asker.send(ClientFrame.newBuilder().setListRooms(ListRooms.getDefaultInstance()));
        List<RoomSummary> rooms = asker.expect(BodyCase.ROOM_LIST).getRoomList().getRoomsList();
        assertEquals(List.of("apple", "banana"), rooms.stream().map(RoomSummary::getName).toList());
        assertEquals(1, rooms.get(1).getMembers());
        // The last member leaving closes the room, for every node: eventually (its leave is on its way).
        onB.close();
        List<String> names = List.of();
        for (int i = 0; i < 500; i++) {
            asker.send(ClientFrame.newBuilder().setListRooms(ListRooms.getDefaultInstance()));
            names = asker.expect(BodyCase.ROOM_LIST).getRoomList().getRoomsList().stream().map(RoomSummary::getName).toList();
            if (!names.contains("banana")) {
                break;
            }
        }
        assertEquals(List.of("apple"), names);
    }

    @Test
    void manyTalkersOnBothNodesSeeOneOrder() throws Exception {
        int n = 4;
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch quiet = new CountDownLatch(n);
        List<Talker> talkers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Talker t = new Talker(client(i % 2 == 0 ? a : b, "t" + i), List.of("busy", "calm"),
                    RoomOptions.newBuilder().setTurnTimeoutMs(2_000).build(), ready, quiet);
            talkers.add(t);
            Thread th = new Thread(t, "talker-" + i);
            threads.add(th);
            th.start();
        }
        assertTrue(ready.await(30, java.util.concurrent.TimeUnit.SECONDS), "everyone joined");
        Thread.sleep(1_500); // a bounded conversation: how much is said does not matter, only that all agree
        talkers.forEach(Talker::stop);
        for (Thread th : threads) {
            th.join(60_000);
        }
        for (Talker t : talkers) {
            assertNull(t.failure, () -> t.name + " failed: " + t.failure);
        }
        for (String room : List.of("busy", "calm")) {
            long latest = talkers.stream().mapToLong(t -> t.joinedAfter.get(room)).max().orElseThrow();
            List<ServerFrame> reference = null;
            for (Talker t : talkers) {
                List<ServerFrame> seen = t.events.get(room);
                // Compare from the last joiner's start: everyone saw the same events in the same order.
                List<ServerFrame> tail = seen.subList((int) (latest - t.joinedAfter.get(room)), seen.size());
                if (reference == null) {
                    reference = tail;
                    assertTrue(tail.stream().anyMatch(ServerFrame::hasSaid), "something was said in " + room);
                } else {
                    assertEquals(reference, tail, t.name + " saw another order in " + room);
                }
            }
        }
    }

    @Test
    void strangersOnOneNodeAreMatchedAndConverse() throws Exception {
        TestClient x = client(b, "xena");
        TestClient y = client(b, "yuri");
        x.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        y.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        String room = x.expect(BodyCase.PAIRED).getPaired().getRoom();
        assertEquals(room, y.expect(BodyCase.PAIRED).getPaired().getRoom());
        assertTrue(room.startsWith("~pair-"), room);
        x.await(ServerFrame::hasTurnGranted);
        y.await(ServerFrame::hasTurnGranted);
    }

    /** Waits, up to a bounded deadline, until Redis's lobby holds {@code n} waiters (the matchers' requests have landed). */
    private static void awaitLobby(int n) throws Exception {
        long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
        String seen;
        do {
            seen = REDIS.command("LLEN hp:lobby");
            if (seen.equals(":" + n)) {
                return;
            }
        } while (System.nanoTime() < deadline);
        throw new AssertionError("the lobby holds " + seen + " waiters, not " + n);
    }

    private static void match(TestClient c) {
        c.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
    }

    @Test
    void strangersOnTwoNodesArePairedIntoOneRoomAndAlternate() throws Exception {
        TestClient x = client(a, "xena");
        TestClient y = client(b, "yuri");
        long xId = x.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        awaitLobby(1);
        long yId = y.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        ServerFrame xp = x.expect(BodyCase.PAIRED);
        ServerFrame yp = y.expect(BodyCase.PAIRED);
        assertEquals(xId, xp.getRequestId(), "each Paired answers its own Match");
        assertEquals(yId, yp.getRequestId());
        String room = xp.getPaired().getRoom();
        assertEquals(room, yp.getPaired().getRoom(), "one room for both");
        assertTrue(room.startsWith("~pair-"), room);
        assertEquals("yuri", xp.getPaired().getPartner());
        assertEquals("xena", yp.getPaired().getPartner());
        assertTrue(xp.getPaired().getFirst(), "the longer waiter speaks first");
        assertTrue(!yp.getPaired().getFirst());
        // As from one server: each its Joined, then the turn to the first.
        assertEquals(List.of("xena"), x.expect(BodyCase.JOINED).getJoined().getRoom().getMembersList().stream()
                .map(dev.hotpochato.protocol.v1.Member::getName).toList());
        assertEquals("yuri", x.expect(BodyCase.MEMBER_JOINED).getMemberJoined().getName());
        assertEquals(2, y.expect(BodyCase.JOINED).getJoined().getRoom().getMembersCount());
        for (TestClient c : List.of(x, y)) {
            assertEquals("xena", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        }
        for (int round = 0; round < 2; round++) {
            x.say(room, "x" + round);
            for (TestClient c : List.of(x, y)) {
                assertEquals("x" + round, c.expect(BodyCase.SAID).getSaid().getText());
                assertEquals("yuri", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
            }
            y.say(room, "y" + round);
            for (TestClient c : List.of(x, y)) {
                assertEquals("y" + round, c.expect(BodyCase.SAID).getSaid().getText());
                assertEquals("xena", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
            }
        }
        awaitLobby(0);
        y.close();
        assertEquals("your partner left", x.await(ServerFrame::hasRoomClosed).getRoomClosed().getReason());
    }

    @Test
    void aCancelledOrDisconnectedMatcherIsNoLongerPaired() throws Exception {
        TestClient x = client(a, "xena");
        match(x);
        awaitLobby(1);
        x.send(ClientFrame.newBuilder().setCancelMatch(dev.hotpochato.protocol.v1.CancelMatch.getDefaultInstance()));
        x.expect(BodyCase.MATCH_CANCELLED);
        awaitLobby(0);
        x.send(ClientFrame.newBuilder().setCancelMatch(dev.hotpochato.protocol.v1.CancelMatch.getDefaultInstance()));
        x.expectError(Error.Code.NOT_MATCHING);

        TestClient gone = client(a, "gone");
        match(gone);
        awaitLobby(1);
        gone.close();
        awaitLobby(0); // a waiter whose connection is lost leaves the lobby

        TestClient y = client(b, "yuri");
        match(y);
        awaitLobby(1);
        match(y);
        y.expectError(Error.Code.ALREADY_MATCHING); // and never paired with itself
        match(x);
        assertEquals("yuri", x.expect(BodyCase.PAIRED).getPaired().getPartner());
        assertEquals("xena", y.expect(BodyCase.PAIRED).getPaired().getPartner());
    }

    @Test
    void threeMatchersOnThreeNodesPairTwoAndLeaveOneWaiting() throws Exception {
        HotPochatoServer c3 = node();
        try {
            TestClient x = client(a, "xena");
            TestClient y = client(b, "yuri");
            TestClient z = client(c3, "zoe");
            match(x);
            awaitLobby(1);
            match(y);
            ServerFrame xp = x.expect(BodyCase.PAIRED);
            ServerFrame yp = y.expect(BodyCase.PAIRED);
            assertEquals(xp.getPaired().getRoom(), yp.getPaired().getRoom());
            awaitLobby(0);
            match(z);
            awaitLobby(1);
            z.expectNothingMore(); // waiting: nobody else asked

            // The same name as the waiter does not pair (a room's names differ); the next one does,
            // with the longest waiter.
            TestClient namesake = client(a, "zoe");
            match(namesake);
            awaitLobby(2);
            namesake.expectNothingMore();
            TestClient w = client(b, "walt");
            match(w);
            assertEquals("zoe", w.expect(BodyCase.PAIRED).getPaired().getPartner());
            String room = z.expect(BodyCase.PAIRED).getPaired().getRoom();
            assertTrue(!room.equals(xp.getPaired().getRoom()), "nobody is paired twice");
            awaitLobby(1);
            namesake.expectNothingMore();
        } finally {
            c3.close();
        }
    }

    @Test
    void matchersArrivingAtOnceOnBothNodesArePairedOnceEach() throws Exception {
        List<TestClient> matchers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            matchers.add(client(i % 2 == 0 ? a : b, "m" + i));
        }
        for (TestClient m : matchers) {
            match(m);
        }
        java.util.Map<String, List<String>> rooms = new java.util.HashMap<>();
        for (TestClient m : matchers) {
            ServerFrame paired = m.expect(BodyCase.PAIRED);
            rooms.computeIfAbsent(paired.getPaired().getRoom(), r -> new ArrayList<>()).add(m.name());
            assertTrue(!paired.getPaired().getPartner().equals(m.name()), "not paired with itself");
        }
        assertEquals(4, rooms.size(), () -> "four pairs: " + rooms);
        rooms.values().forEach(pair -> assertEquals(2, pair.size(), () -> "two in each room: " + rooms));
        awaitLobby(0);
    }

    @Test
    void aWaiterOfANodeThatStoppedRenewingItsLeaseIsNotPaired() throws Exception {
        // A node that crashed with a waiter: its entry stays in the lobby, but its lease is gone.
        assertEquals(":1", REDIS.command("RPUSH hp:lobby 999999:77:1:ghost"));
        TestClient x = client(a, "xena");
        match(x);
        long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
        String head;
        while (!(head = String.valueOf(REDIS.bulk("LINDEX hp:lobby 0"))).endsWith(":xena")) {
            assertTrue(System.nanoTime() < deadline, "x waits in the lobby, not " + head);
        }
        assertEquals(":1", REDIS.command("LLEN hp:lobby"), "the ghost is gone from the lobby");
        x.expectNothingMore(); // not paired with it
    }

    @Test
    void aWaiterWhosePairRoomNeverAppearsWaitsAgain() throws Exception {
        TestClient x = client(a, "xena");
        match(x);
        awaitLobby(1);
        // Another node takes x out of the lobby and tells x's node, then dies before making the room.
        String entry = REDIS.bulk("LPOP hp:lobby");
        String[] parts = entry.split(":", 4);
        assertEquals(":1", REDIS.command("HSET hp:lobby:claims " + parts[1] + " ~pair-never"));
        assertTrue(REDIS.command("PUBLISH hp:lobby:" + parts[0] + " " + parts[1] + ":~pair-never").startsWith(":"));
        // After ClusterRoomStore.ADOPT_MILLIS (10 s) x's node gives up on that room and x waits again.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!REDIS.command("LLEN hp:lobby").equals(":1")) {
            assertTrue(System.nanoTime() < deadline, "x is back in the lobby");
            Thread.sleep(100); // polling Redis through a 10 s wall-clock wait of the node, not timing a race
        }
        assertEquals(null, REDIS.bulk("HGET hp:lobby:claims " + parts[1]), "the claim is forgotten");
        TestClient y = client(b, "yuri");
        match(y);
        assertEquals("yuri", x.expect(BodyCase.PAIRED).getPaired().getPartner(), "its Match answered once, by this pair");
        assertEquals("xena", y.expect(BodyCase.PAIRED).getPaired().getPartner());
    }

    @Test
    void aNodeCannotStartWithoutRedis() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HotPochatoServer.start(
                ServerOptions.builder().bindAddress("127.0.0.1").port(0).cluster("redis://127.0.0.1:1").build()));
        assertTrue(e.getMessage().startsWith("--cluster: cannot use Redis at 127.0.0.1:1"), e.getMessage());
    }
}
