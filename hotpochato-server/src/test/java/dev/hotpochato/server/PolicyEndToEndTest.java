package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.AppointChair;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.EndRule;
import dev.hotpochato.protocol.v1.EndRules;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.FloorState;
import dev.hotpochato.protocol.v1.FloorUpdate;
import dev.hotpochato.protocol.v1.Grant;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.Mute;
import dev.hotpochato.protocol.v1.RaiseHand;
import dev.hotpochato.protocol.v1.Remove;
import dev.hotpochato.protocol.v1.Revoke;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.RoomSnapshot;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.protocol.v1.TurnPolicy;
import dev.hotpochato.protocol.v1.Withdraw;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The turn policies as clients see them: real sockets on 127.0.0.1, an ephemeral port. */
class PolicyEndToEndTest {

    private HotPochatoServer server;
    private InetSocketAddress address;
    final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = HotPochatoServer.start(ServerOptions.builder()
                .bindAddress("127.0.0.1").port(0).maxFrameBytes(4096).maxTextBytes(1024)
                .resumeGrace(Duration.ZERO).build());
        address = new InetSocketAddress("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        server.close();
    }

    /** Where the {@code i}-th client of a test connects: the one server here; two nodes in {@link ClusterPolicyEndToEndTest}. */
    InetSocketAddress address(int i) {
        return address;
    }

    /** Clients that have all joined {@code room}, in order, with everything so far read; the creator's Joined returned. */
    private List<TestClient> room(String room, RoomOptions options, List<RoomSnapshot> snapshots, String... names)
            throws InterruptedException {
        List<TestClient> members = new ArrayList<>();
        for (String name : names) {
            TestClient c = TestClient.hello(address(members.size()), name);
            clients.add(c);
            c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room).setOptions(options)));
            snapshots.add(c.expect(BodyCase.JOINED).getJoined().getRoom());
            members.add(c);
        }
        for (TestClient c : members) {
            c.drain(room);
        }
        return members;
    }

    private static FloorUpdate floor(TestClient c, FloorState state, String name) throws InterruptedException {
        FloorUpdate u = c.expect(BodyCase.FLOOR_UPDATE).getFloorUpdate();
        assertEquals(state, u.getState(), () -> c + ": " + u);
        assertEquals(name, u.getName());
        return u;
    }

    @Test
    void aQueueRoomGivesTheFloorToRaisedHandsInOrderAndGoesIdle() throws Exception {
        List<RoomSnapshot> joined = new ArrayList<>();
        List<TestClient> m = room("q", RoomOptions.newBuilder().setPolicy(TurnPolicy.QUEUE).build(), joined,
                "alice", "bob", "carol");
        assertEquals(TurnPolicy.QUEUE, joined.get(2).getOptions().getPolicy(), "Joined reports the policy");
        assertEquals(List.of("alice"), joined.get(2).getChairsList());
        assertTrue(joined.get(2).getWaiting(), "nobody asked yet: the floor is idle");

        long id = m.get(1).send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("q")));
        for (TestClient c : m) {
            ServerFrame pending = c.expect(BodyCase.FLOOR_UPDATE);
            assertEquals(c == m.get(1) ? id : 0, pending.getRequestId());
            assertEquals(FloorState.PENDING, pending.getFloorUpdate().getState());
            assertEquals(List.of("bob"), pending.getFloorUpdate().getQueueList());
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
        m.get(0).send(ClientFrame.newBuilder().setWithdraw(Withdraw.newBuilder().setRoom("q")));
        m.get(0).send(ClientFrame.newBuilder().setWithdraw(Withdraw.newBuilder().setRoom("q")));
        m.get(0).expect(BodyCase.FLOOR_UPDATE);
        m.get(0).expectError(Error.Code.NOT_REQUESTED);
        m.get(1).say("q", "hello");
        for (TestClient c : m) {
            if (c != m.get(0)) {
                floor(c, FloorState.WITHDRAWN, "alice");
            }
            c.expect(BodyCase.SAID);
            floor(c, FloorState.RELEASED, "bob");
            floor(c, FloorState.GRANTED, "carol");
            assertEquals("carol", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        }
        m.get(2).pass("q");
        for (TestClient c : m) {
            c.expect(BodyCase.PASSED);
            floor(c, FloorState.RELEASED, "carol");
            c.expect(BodyCase.FLOOR_IDLE);
        }
    }

    @Test
    void listRoomsShowsEachRoomsPolicy() throws Exception {
        List<RoomSnapshot> joined = new ArrayList<>();
        room("l-mod", RoomOptions.newBuilder().setPolicy(TurnPolicy.MODERATED).build(), joined, "ann");
        room("l-queue", RoomOptions.newBuilder().setPolicy(TurnPolicy.QUEUE).build(), joined, "ben");
        TestClient asker = room("l-rr", RoomOptions.getDefaultInstance(), joined, "cat").get(0);
        asker.send(ClientFrame.newBuilder().setListRooms(dev.hotpochato.protocol.v1.ListRooms.getDefaultInstance()));
        Map<String, TurnPolicy> policies = new HashMap<>();
        asker.expect(BodyCase.ROOM_LIST).getRoomList().getRoomsList()
                .forEach(r -> policies.put(r.getName(), r.getPolicy()));
        assertEquals(Map.of("l-mod", TurnPolicy.MODERATED, "l-queue", TurnPolicy.QUEUE, "l-rr", TurnPolicy.ROUND_ROBIN),
                policies);
    }

    @Test
    void aChairGrantsWithTalkTimeWarnsRevokesMutesAndRemoves() throws Exception {
        List<RoomSnapshot> joined = new ArrayList<>();
        RoomOptions options = RoomOptions.newBuilder().setPolicy(TurnPolicy.MODERATED).setTurnTimeoutMs(60_000)
                .setWarningMs(200).build();
        List<TestClient> m = room("mod", options, joined, "chair", "bob", "carol");
        TestClient chair = m.get(0);
        TestClient bob = m.get(1);
        TestClient carol = m.get(2);
        bob.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("mod")));
        for (TestClient c : m) {
            floor(c, FloorState.PENDING, "bob");
        }
        carol.send(ClientFrame.newBuilder().setGrant(Grant.newBuilder().setRoom("mod")));
        carol.expectError(Error.Code.NOT_A_CHAIR);
        long id = chair.send(ClientFrame.newBuilder().setGrant(Grant.newBuilder().setRoom("mod").setTalkTimeMs(400)));
        for (TestClient c : m) {
            ServerFrame granted = c.expect(BodyCase.FLOOR_UPDATE);
            assertEquals(c == chair ? id : 0, granted.getRequestId());
            assertEquals("chair", granted.getFloorUpdate().getBy());
            assertEquals(400, granted.getFloorUpdate().getTalkTimeMs());
            assertEquals(400, c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getDurationMs());
        }
        ServerFrame warning = bob.expect(BodyCase.TURN_WARNING);
        assertTrue(warning.getTurnWarning().getRemainingMs() <= 200, warning.toString());
        for (TestClient c : m) {
            c.expect(BodyCase.TURN_EXPIRED);
            floor(c, FloorState.RELEASED, "bob");
            c.expect(BodyCase.FLOOR_IDLE);
        }
        chair.send(ClientFrame.newBuilder().setGrant(Grant.newBuilder().setRoom("mod").setMember("carol")));
        for (TestClient c : m) {
            floor(c, FloorState.GRANTED, "carol");
            c.expect(BodyCase.TURN_GRANTED);
        }
        chair.send(ClientFrame.newBuilder().setRevoke(Revoke.newBuilder().setRoom("mod").setReason("time's up")));
        for (TestClient c : m) {
            assertEquals("time's up", floor(c, FloorState.REVOKED, "carol").getReason());
            c.expect(BodyCase.FLOOR_IDLE);
        }
        chair.send(ClientFrame.newBuilder().setMute(Mute.newBuilder().setRoom("mod").setMember("bob").setMuted(true)));
        for (TestClient c : m) {
            assertTrue(c.expect(BodyCase.MEMBER_MUTED).getMemberMuted().getMuted());
        }
        bob.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("mod")));
        bob.expectError(Error.Code.MUTED);
        chair.send(ClientFrame.newBuilder().setAppointChair(AppointChair.newBuilder().setRoom("mod").setMember("carol")));
        for (TestClient c : m) {
            assertEquals("carol", c.expect(BodyCase.CHAIR_CHANGED).getChairChanged().getName());
        }
        carol.send(ClientFrame.newBuilder().setRemove(Remove.newBuilder().setRoom("mod").setMember("bob")
                .setReason("spam")));
        ServerFrame left = bob.expect(BodyCase.LEFT);
        assertEquals(MemberLeft.Reason.REMOVED, left.getLeft().getReason());
        assertEquals("carol", left.getLeft().getBy());
        assertEquals("spam", left.getLeft().getMessage());
        for (TestClient c : List.of(chair, carol)) {
            MemberLeft gone = c.expect(BodyCase.MEMBER_LEFT).getMemberLeft();
            assertEquals(MemberLeft.Reason.REMOVED, gone.getReason());
            assertEquals("bob", gone.getName());
        }
        bob.say("mod", "still here?");
        bob.expectError(Error.Code.NOT_A_MEMBER);
    }

    @Test
    void aRoomEndsOnItsStopPhraseAndSaysWhichRuleFired() throws Exception {
        RoomOptions options = RoomOptions.newBuilder().setEnd(EndRules.newBuilder().setStopPhrase("TERMINATE")
                .setAfterTurns(50)).setMessagesPerTurn(2).build();
        List<TestClient> m = room("end", options, new ArrayList<>(), "ann", "ben");
        m.get(0).say("end", "first");
        m.get(0).say("end", "we are done: terminate");
        for (TestClient c : m) {
            assertEquals("first", c.expect(BodyCase.SAID).getSaid().getText());
            c.expect(BodyCase.SAID);
            ServerFrame closed = c.expect(BodyCase.ROOM_CLOSED);
            assertEquals(EndRule.STOP_PHRASE, closed.getRoomClosed().getEndedBy());
        }
        m.get(0).say("end", "anyone?");
        m.get(0).expectError(Error.Code.UNKNOWN_ROOM);
    }

    @Test
    void aRoomEndsAfterItsTurnCount() throws Exception {
        RoomOptions options = RoomOptions.newBuilder().setEnd(EndRules.newBuilder().setAfterTurns(2)).build();
        List<TestClient> m = room("count", options, new ArrayList<>(), "ann", "ben");
        m.get(0).say("count", "one");
        m.get(1).expect(BodyCase.SAID);
        m.get(1).expect(BodyCase.TURN_GRANTED);
        m.get(1).pass("count");
        for (TestClient c : m) {
            ServerFrame closed = c.await(f -> f.hasRoomClosed());
            assertEquals(EndRule.AFTER_TURNS, closed.getRoomClosed().getEndedBy());
        }
    }

    @Test
    void badFloorOptionsAreRefusedAtJoin() throws Exception {
        TestClient c = TestClient.hello(address(0), "ann");
        clients.add(c);
        c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("x")
                .setOptions(RoomOptions.newBuilder().setMessagesPerTurn(101))));
        c.expectError(Error.Code.INVALID_OPTION);
        c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("x")
                .setOptions(RoomOptions.newBuilder().setEnd(EndRules.newBuilder().setStopPhrase("x".repeat(101))))));
        c.expectError(Error.Code.INVALID_OPTION);
        c.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("x")));
        c.expectError(Error.Code.UNKNOWN_ROOM);
    }

    @Test
    void aMemberResumingAQueueRoomGetsTheFloorEventsItMissedWithoutGaps() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerOptions.builder().resumeGrace(Duration.ofSeconds(30)))) {
            List<TestClient> m = f.room("rq", RoomOptions.newBuilder().setPolicy(TurnPolicy.QUEUE).build(),
                    "alice", "bob", "carol");
            TestClient alice = m.get(0);
            TestClient bob = m.get(1);
            TestClient carol = m.get(2);
            carol.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("rq")));
            for (TestClient c : m) {
                floor(c, FloorState.PENDING, "carol");
                floor(c, FloorState.GRANTED, "carol");
                c.expect(BodyCase.TURN_GRANTED);
            }
            long carolSaw = carol.lastSeq("rq");
            carol.close();
            for (TestClient c : List.of(alice, bob)) {
                c.expect(BodyCase.MEMBER_AWAY);
                assertEquals("away", floor(c, FloorState.RELEASED, "carol").getReason());
                c.expect(BodyCase.FLOOR_IDLE);
            }
            bob.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("rq")));
            for (TestClient c : List.of(alice, bob)) {
                floor(c, FloorState.PENDING, "bob");
                floor(c, FloorState.GRANTED, "bob");
                c.expect(BodyCase.TURN_GRANTED);
            }
            alice.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("rq")));
            for (TestClient c : List.of(alice, bob)) {
                assertEquals(List.of("alice"), floor(c, FloorState.PENDING, "alice").getQueueList());
            }

            TestClient back = f.track(TestClient.resume(f.address, carol, java.util.Map.of("rq", carolSaw)));
            List<ServerFrame> replay = new ArrayList<>();
            ServerFrame frame;
            while ((frame = back.next()).getBodyCase() != BodyCase.MEMBER_BACK) {
                if (frame.getBodyCase() != BodyCase.TURN_TIME_LEFT) {
                    replay.add(frame);
                }
            }
            assertEquals(List.of(BodyCase.MEMBER_AWAY, BodyCase.FLOOR_UPDATE, BodyCase.FLOOR_IDLE, BodyCase.FLOOR_UPDATE,
                    BodyCase.FLOOR_UPDATE, BodyCase.TURN_GRANTED, BodyCase.FLOOR_UPDATE),
                    replay.stream().map(ServerFrame::getBodyCase).toList());
            long seq = carolSaw;
            for (ServerFrame r : replay) {
                assertEquals(++seq, dev.hotpochato.protocol.RoomEvents.seq(r), "no gap, no duplicate");
            }
            assertEquals(seq + 1, frame.getMemberBack().getSeq());
            back.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("rq")));
            assertEquals(List.of("alice", "carol"), floor(back, FloorState.PENDING, "carol").getQueueList(),
                    "back, carol queues behind alice");
        }
    }

    /** Reads {@code n} frames of {@code c}, in order. */
    private static List<ServerFrame> read(TestClient c, int n) throws InterruptedException {
        List<ServerFrame> frames = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            frames.add(c.next());
        }
        return frames;
    }

    /** "KIND seq" of each numbered frame, for comparing what members saw. */
    private static List<String> numbered(List<ServerFrame> frames) {
        return frames.stream().filter(f -> dev.hotpochato.protocol.RoomEvents.seq(f) > 0)
                .map(f -> f.getBodyCase() + " " + dev.hotpochato.protocol.RoomEvents.seq(f)).toList();
    }

    @Test
    void inAModeratedRoomEveryoneSeesOneHolderAtATimeInTheSameOrderAndAResumeFillsTheGapExactly() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerOptions.builder().resumeGrace(Duration.ofSeconds(30)))) {
            List<TestClient> m = f.room("rm", RoomOptions.newBuilder().setPolicy(TurnPolicy.MODERATED).build(),
                    "chair", "bob", "carol");
            TestClient chair = m.get(0);
            TestClient bob = m.get(1);
            TestClient carol = m.get(2);
            java.util.Map<TestClient, List<ServerFrame>> seen = new java.util.HashMap<>();
            m.forEach(c -> seen.put(c, new ArrayList<>()));
            bob.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("rm")));
            carol.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("rm")));
            for (TestClient c : m) {
                seen.get(c).addAll(read(c, 2));
            }
            chair.send(ClientFrame.newBuilder().setGrant(dev.hotpochato.protocol.v1.Grant.newBuilder().setRoom("rm")));
            for (TestClient c : m) {
                seen.get(c).addAll(read(c, 2)); // GRANTED bob, TurnGranted bob
            }
            long carolSaw = carol.lastSeq("rm");
            carol.close();
            for (TestClient c : List.of(chair, bob)) {
                seen.get(c).addAll(read(c, 2)); // MemberAway carol, WITHDRAWN carol ("away")
            }
            bob.say("rm", "point one");
            for (TestClient c : List.of(chair, bob)) {
                seen.get(c).addAll(read(c, 3)); // Said, RELEASED bob, FloorIdle
            }
            chair.send(ClientFrame.newBuilder().setGrant(dev.hotpochato.protocol.v1.Grant.newBuilder().setRoom("rm")
                    .setMember("chair")));
            for (TestClient c : List.of(chair, bob)) {
                seen.get(c).addAll(read(c, 2)); // GRANTED chair, TurnGranted chair
            }
            chair.send(ClientFrame.newBuilder().setRevoke(dev.hotpochato.protocol.v1.Revoke.newBuilder().setRoom("rm")
                    .setReason("enough of me")));
            for (TestClient c : List.of(chair, bob)) {
                seen.get(c).addAll(read(c, 2)); // REVOKED chair, FloorIdle
            }

            TestClient back = f.track(TestClient.resume(f.address, carol, java.util.Map.of("rm", carolSaw)));
            List<ServerFrame> replay = new ArrayList<>();
            ServerFrame frame;
            while ((frame = back.next()).getBodyCase() != BodyCase.MEMBER_BACK) {
                replay.add(frame);
            }
            seen.get(carol).addAll(replay);
            seen.get(carol).add(frame);
            for (TestClient c : List.of(chair, bob)) {
                seen.get(c).add(c.expect(BodyCase.MEMBER_BACK));
            }

            List<String> order = numbered(seen.get(chair));
            assertEquals(order, numbered(seen.get(bob)), "everyone sees the same events in the same order");
            assertEquals(order, numbered(seen.get(carol)), "the resumed member too, its gap filled exactly");
            long seq = dev.hotpochato.protocol.RoomEvents.seq(seen.get(chair).get(0));
            for (String e : order) {
                assertEquals(seq++, Long.parseLong(e.substring(e.indexOf(' ') + 1)), "no gap, no duplicate: " + order);
            }
            String holder = null;
            for (ServerFrame e : seen.get(chair)) {
                if (e.hasTurnGranted()) {
                    assertEquals(null, holder, "at most one holder: " + order);
                    holder = e.getTurnGranted().getHolder();
                } else if (e.hasFloorUpdate() && (e.getFloorUpdate().getState() == FloorState.RELEASED
                        || e.getFloorUpdate().getState() == FloorState.REVOKED)) {
                    assertEquals(holder, e.getFloorUpdate().getName());
                    holder = null;
                }
            }
        }
    }

    @Test
    void anAudienceMemberListensRaisesAHandAndIsMovedToTheSpeakers() throws Exception {
        List<TestClient> m = room("stage", RoomOptions.getDefaultInstance(), new ArrayList<>(), "host", "guest");
        TestClient fan = TestClient.hello(address(3), "fan");
        clients.add(fan);
        fan.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("stage").setAudience(true)));
        RoomSnapshot snapshot = fan.expect(BodyCase.JOINED).getJoined().getRoom();
        assertEquals(List.of("fan"), snapshot.getAudienceList());
        assertTrue(fan.expect(BodyCase.MEMBER_MOVED).getMemberMoved().getAudience(), "the joiner's copy too");
        for (TestClient c : m) {
            c.expect(BodyCase.MEMBER_JOINED);
            dev.hotpochato.protocol.v1.MemberMoved joinedAudience = c.expect(BodyCase.MEMBER_MOVED).getMemberMoved();
            assertEquals("fan", joinedAudience.getName());
            assertTrue(joinedAudience.getAudience());
            assertEquals("", joinedAudience.getBy());
        }
        m.get(0).say("stage", "welcome");
        m.get(1).await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("guest"));
        m.get(1).say("stage", "thanks");
        assertEquals("host", fan.await(f -> f.hasTurnGranted() && f.getTurnGranted().getTurn() == 3)
                .getTurnGranted().getHolder(), "the audience is passed over");
        fan.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("stage")));
        floor(fan, FloorState.PENDING, "fan");
        m.get(0).send(ClientFrame.newBuilder().setMove(dev.hotpochato.protocol.v1.Move.newBuilder().setRoom("stage")
                .setMember("fan")));
        dev.hotpochato.protocol.v1.MemberMoved moved = fan.expect(BodyCase.MEMBER_MOVED).getMemberMoved();
        assertEquals("host", moved.getBy());
        assertTrue(!moved.getAudience());
        floor(fan, FloorState.ACCEPTED, "fan");
        m.get(0).await(f -> f.hasTurnGranted() && f.getTurnGranted().getTurn() == 3);
        m.get(0).say("stage", "over to our guest");
        m.get(1).await(f -> f.hasTurnGranted() && f.getTurnGranted().getTurn() == 4);
        m.get(1).say("stage", "and to the fan");
        assertEquals("fan", fan.await(f -> f.hasTurnGranted() && f.getTurnGranted().getTurn() == 5)
                .getTurnGranted().getHolder(), "a speaker now");
    }

    @Test
    void anAudienceJoinGivesNobodyTheFloorInQueueAndModeratedRoomsButALecturesSpeakerGetsIt() throws Exception {
        for (TurnPolicy policy : List.of(TurnPolicy.QUEUE, TurnPolicy.MODERATED)) {
            String room = "stage-" + policy;
            List<TestClient> m = room(room, RoomOptions.newBuilder().setPolicy(policy).build(), new ArrayList<>(),
                    "host", "guest");
            TestClient fan = TestClient.hello(address(2), "fan");
            clients.add(fan);
            fan.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room).setAudience(true)));
            RoomSnapshot snapshot = fan.expect(BodyCase.JOINED).getJoined().getRoom();
            assertTrue(snapshot.getWaiting(), policy + ": the floor stays idle");
            assertEquals(List.of(BodyCase.MEMBER_MOVED), fan.drain(room).stream().map(ServerFrame::getBodyCase).toList(),
                    policy.toString());
            for (TestClient c : m) {
                assertEquals(List.of(BodyCase.MEMBER_JOINED, BodyCase.MEMBER_MOVED),
                        c.drain(room).stream().map(ServerFrame::getBodyCase).toList(), policy + ": announced, no turn");
            }
        }
        // Round robin: the audience counts toward the two members turns need.
        List<TestClient> lecturer = room("lecture", RoomOptions.getDefaultInstance(), new ArrayList<>(), "prof");
        TestClient student = TestClient.hello(address(1), "student");
        clients.add(student);
        student.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("lecture").setAudience(true)));
        student.expect(BodyCase.JOINED);
        student.expect(BodyCase.MEMBER_MOVED);
        assertEquals("prof", student.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        lecturer.get(0).await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("prof"));
        lecturer.get(0).say("lecture", "today: floor control");
        assertEquals("prof", student.await(ServerFrame::hasTurnGranted).getTurnGranted().getHolder(),
                "the lone speaker keeps the floor, turn after turn");
    }
}
