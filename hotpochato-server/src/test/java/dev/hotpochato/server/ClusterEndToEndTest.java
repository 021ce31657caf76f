package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ListRooms;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.RaiseHand;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.RoomSummary;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.protocol.v1.TurnPolicy;
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

    @Test
    void turnPoliciesAudiencesAndFloorRequestsAreRefusedAsUnavailableNotRunDifferently() throws Exception {
        TestClient carol = client(a, "carol");
        carol.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("panel")
                .setOptions(RoomOptions.newBuilder().setPolicy(TurnPolicy.QUEUE))));
        assertTrue(carol.expectError(Error.Code.UNAVAILABLE).getMessage().contains("cluster mode"));
        carol.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("panel").setAudience(true)));
        carol.expectError(Error.Code.UNAVAILABLE);
        TestClient bob = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob").get(1);
        bob.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("tea")));
        bob.expectError(Error.Code.UNAVAILABLE);
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

    @Test
    void aNodeCannotStartWithoutRedis() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HotPochatoServer.start(
                ServerOptions.builder().bindAddress("127.0.0.1").port(0).cluster("redis://127.0.0.1:1").build()));
        assertTrue(e.getMessage().startsWith("--cluster: cannot use Redis at 127.0.0.1:1"), e.getMessage());
    }
}
