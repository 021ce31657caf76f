package dev.hotpochato.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Turn policies through the library, against a real server: raised hands, a chair, moderation, end rules. */
class FloorTest extends ServerFixture {

    /** A room's floor events as short lines. */
    static final class FloorLog implements RoomListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onFloorUpdate(RoomHandle room, FloorUpdate u) {
            events.add(u.state() + " " + u.member() + " " + u.queue() + (u.by().isEmpty() ? "" : " by " + u.by())
                    + (u.reason().isEmpty() ? "" : " (" + u.reason() + ")"));
        }

        @Override
        public void onFloorIdle(RoomHandle room) {
            events.add("idle");
        }

        @Override
        public void onTurnGranted(RoomHandle room, Turn turn) {
            events.add("turn " + turn.holder());
        }

        @Override
        public void onChairChanged(RoomHandle room, String name, String by) {
            events.add("chair " + name + " by " + by);
        }

        @Override
        public void onChairSteppedDown(RoomHandle room, String name) {
            events.add("stepped down " + name);
        }

        @Override
        public void onMemberMoved(RoomHandle room, String name, boolean audience, String by) {
            events.add("moved " + name + (audience ? " to the audience" : " to the speakers") + " by " + by);
        }

        @Override
        public void onMemberMuted(RoomHandle room, String name, boolean muted, String by) {
            events.add((muted ? "muted " : "unmuted ") + name);
        }

        @Override
        public void onTurnWarning(RoomHandle room, Duration remaining) {
            events.add("warning");
        }

        @Override
        public void onRoomEnded(RoomHandle room, EndRule rule, String reason) {
            events.add("ended " + rule);
        }

        @Override
        public void onRoomClosed(RoomHandle room, String reason) {
            events.add("closed " + reason);
        }

        @Override
        public void onMemberLeft(RoomHandle room, String name, LeaveReason reason) {
            events.add("left " + name + " " + reason);
        }

        @Override
        public void onMemberRemoved(RoomHandle room, String name, String by, String message) {
            events.add("removed " + name + " by " + by + ": " + message);
        }

        @Override
        public void onUnchanged(RoomHandle room, String name, String state) {
            events.add("unchanged " + name + " " + state);
        }

        @Override
        public void onSaid(RoomHandle room, Message message) {
            events.add("said " + message.speaker() + ": " + message.text());
        }

        void skipTo(String expected) throws InterruptedException {
            String got;
            do {
                got = events.poll(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(got, "no " + expected);
            } while (!got.equals(expected));
        }

        void expect(String... expected) throws InterruptedException {
            for (String e : expected) {
                String got = events.poll(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertEquals(e, got);
            }
        }
    }

    private RoomHandle join(String name, String room, JoinOptions options, FloorLog log) throws Exception {
        RoomHandle r = Futures.await(connect(name).join(room, options));
        r.addListener(log);
        return r;
    }

    private static ErrorCode code(java.util.concurrent.CompletableFuture<?> f) {
        Throwable t = Futures.failure(f);
        if (t instanceof CompletionException c) {
            t = c.getCause();
        }
        return assertInstanceOf(ServerErrorException.class, t).code();
    }

    @Test
    void inAQueueRoomARaisedHandGetsTheTurnAndTheHandlerIsCalledAsEver() throws Exception {
        JoinOptions queue = JoinOptions.builder().policy(TurnPolicy.QUEUE).build();
        FloorLog aliceLog = new FloorLog();
        RoomHandle alice = join("alice", "q-room", queue, aliceLog);
        RoomHandle bob = join("bob", "q-room", JoinOptions.defaults(), new FloorLog());
        assertEquals(TurnPolicy.QUEUE, bob.policy(), "the policy in force, whoever asks");
        assertEquals(List.of("alice"), bob.chairs());
        assertTrue(alice.isChair());
        assertTrue(bob.turn().isEmpty(), "nobody asked: the floor is idle");
        BlockingQueue<MyTurn> bobTurns = new LinkedBlockingQueue<>();
        bob.onMyTurn(bobTurns::add);

        Futures.await(bob.raiseHand());
        MyTurn turn = bobTurns.poll(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertNotNull(turn, "the turn came to bob's handler");
        aliceLog.expect("PENDING bob [bob]", "GRANTED bob []", "turn bob");
        Futures.await(alice.raiseHand());
        aliceLog.expect("PENDING alice [alice]");
        assertEquals(List.of("alice"), alice.queue(), "her own view is up to date when her request completes");
        assertEquals(ErrorCode.ALREADY_REQUESTED, code(alice.raiseHand()));
        Futures.await(alice.withdraw());
        aliceLog.expect("WITHDRAWN alice []");
        Futures.await(turn.say("hello"));
        aliceLog.expect("said bob: hello", "RELEASED bob []", "idle");
        assertTrue(alice.turn().isEmpty());
    }

    @Test
    void aChairProgramGrantsRevokesDeniesMutesAndRemoves() throws Exception {
        JoinOptions moderated = JoinOptions.builder().policy(TurnPolicy.MODERATED).build();
        FloorLog chairLog = new FloorLog();
        FloorLog bobLog = new FloorLog();
        RoomHandle chair = join("chair", "mod-room", moderated, chairLog);
        RoomHandle bob = join("bob", "mod-room", JoinOptions.defaults(), bobLog);
        RoomHandle carol = join("carol", "mod-room", JoinOptions.defaults(), new FloorLog());

        assertEquals(ErrorCode.NOT_A_CHAIR, code(bob.grant("bob")));
        assertEquals(ErrorCode.NOT_REQUESTED, code(chair.grantNext()));
        Futures.await(bob.raiseHand());
        Futures.await(carol.raiseHand());
        Futures.await(chair.grantNext());
        chairLog.expect("PENDING bob [bob]", "PENDING carol [bob, carol]", "GRANTED bob [carol] by chair", "turn bob");
        assertEquals(ErrorCode.FLOOR_TAKEN, code(chair.grant("carol")));
        Futures.await(chair.revoke("off topic"));
        chairLog.expect("REVOKED bob [carol] by chair (off topic)", "idle");
        bobLog.expect("PENDING bob [bob]", "PENDING carol [bob, carol]", "GRANTED bob [carol] by chair", "turn bob",
                "REVOKED bob [carol] by chair (off topic)", "idle");
        assertTrue(bob.turn().isEmpty());
        Futures.await(chair.deny("carol", "later"));
        chairLog.expect("DENIED carol [] by chair (later)");
        Futures.await(chair.mute("bob", true));
        chairLog.expect("muted bob");
        assertEquals(java.util.Set.of("bob"), chair.muted());
        assertEquals(ErrorCode.MUTED, code(bob.raiseHand()));
        Futures.await(chair.appointChair("carol"));
        chairLog.expect("chair carol by chair");
        Futures.await(carol.remove("bob", "spam"));
        bobLog.expect("DENIED carol [] by chair (later)", "muted bob", "chair carol by chair",
                "removed bob by carol: spam", "closed removed by carol: spam");
        assertTrue(!bob.isOpen());
        chairLog.expect("left bob REMOVED", "removed bob by carol: spam");
        assertEquals(List.of("chair", "carol"), chair.members());
        assertEquals(List.of("chair", "carol"), chair.chairs());
    }

    @Test
    void aRevokedHolderMayFinishWithinTheRoomsGrace() throws Exception {
        JoinOptions graceful = JoinOptions.builder().policy(TurnPolicy.MODERATED).revokeGrace(Duration.ofSeconds(20))
                .build();
        FloorLog log = new FloorLog();
        SyncRoom chair = connect("chair").sync().join("grace-room", graceful);
        chair.async().addListener(log);
        SyncRoom bob = connect("bob").sync().join("grace-room");
        FloorLog bobLog = new FloorLog();
        bob.async().addListener(bobLog);
        chair.grant("bob");
        MyTurn turn = bob.awaitMyTurn();
        chair.revoke("wrap up");
        log.expect("GRANTED bob [] by chair", "turn bob", "REVOKED bob [] by chair (wrap up)");
        // Until the grace ends, bob still holds the floor, in everyone's view and in his turn's.
        assertEquals("bob", chair.async().holder().orElseThrow(), "the chair still sees bob hold it");
        assertTrue(chair.async().turn().orElseThrow().isRevoked());
        bobLog.skipTo("REVOKED bob [] by chair (wrap up)"); // bob's own copy may come a moment after the chair's
        assertTrue(bob.async().turn().orElseThrow().isRevoked());
        assertTrue(bob.async().isMyTurn(), "the revoked holder may still finish");
        assertEquals(1, bob.async().messagesLeft(), "one last thing");
        assertTrue(turn.turn().isRevoked(), "the handed-out turn follows the revoke");
        Duration left = turn.timeLeft().orElseThrow();
        assertTrue(left.compareTo(Duration.ofSeconds(20)) <= 0 && left.compareTo(Duration.ofSeconds(10)) > 0,
                "the grace is its time left: " + left);
        turn.say("my last word").join();
        log.expect("said bob: my last word", "RELEASED bob []", "idle");
        assertTrue(bob.async().turn().isEmpty(), "one thing said in the grace ends the turn");
        assertEquals(0, bob.async().messagesLeft());
    }

    @Test
    void aRevokeWithoutAGraceEndsTheTurnAtOnce() throws Exception {
        SyncRoom chair = connect("chair").sync().join("nograce-room",
                JoinOptions.builder().policy(TurnPolicy.MODERATED).build());
        FloorLog bobLog = new FloorLog();
        SyncRoom bob = connect("bob").sync().join("nograce-room");
        bob.async().addListener(bobLog);
        chair.grant("bob");
        bobLog.expect("GRANTED bob [] by chair", "turn bob");
        chair.revoke("stop");
        bobLog.expect("REVOKED bob [] by chair (stop)", "idle");
        assertTrue(bob.async().turn().isEmpty());
    }

    @Test
    void aChairRequestThatChangesNothingIsAnsweredToTheChairAlone() throws Exception {
        FloorLog chairLog = new FloorLog();
        FloorLog bobLog = new FloorLog();
        RoomHandle chair = join("chair", "same-room", JoinOptions.defaults(), chairLog);
        RoomHandle bob = join("bob", "same-room", JoinOptions.defaults(), bobLog);
        Futures.await(chair.mute("bob", false));
        chairLog.skipTo("unchanged bob unmuted");
        Futures.await(chair.move("bob", false));
        chairLog.expect("unchanged bob speakers");
        Futures.await(chair.mute("bob", true));
        Futures.await(chair.mute("bob", true));
        chairLog.expect("muted bob", "unchanged bob muted");
        Futures.await(bob.leave());
        chairLog.expect("left bob LEFT");
        Futures.await(chair.stepDown());
        chairLog.expect("unchanged chair chair");
        assertTrue(bobLog.events.stream().noneMatch(e -> e.startsWith("unchanged")), bobLog.events::toString);
    }

    private static ErrorCode refusal(org.junit.jupiter.api.function.Executable call) {
        return org.junit.jupiter.api.Assertions.assertThrows(ServerErrorException.class, call).code();
    }

    @Test
    void theBlockingFacadeHasEveryFloorMethodAndThrowsTheServersTypedRefusal() throws Exception {
        JoinOptions moderated = JoinOptions.builder().policy(TurnPolicy.MODERATED).build();
        FloorLog log = new FloorLog();
        SyncRoom chair = connect("chair").sync().join("sync-room", moderated);
        chair.async().addListener(log);
        SyncRoom bob = connect("bob").sync().join("sync-room");
        SyncRoom carol = connect("carol").sync().join("sync-room");

        assertEquals(ErrorCode.NOT_A_CHAIR, refusal(() -> bob.appointChair("bob")));
        assertEquals(ErrorCode.NOT_REQUESTED, refusal(chair::grantNext));
        bob.raiseHand();
        carol.raiseHand();
        assertEquals(ErrorCode.ALREADY_REQUESTED, refusal(carol::raiseHand));
        chair.grantNext();
        log.expect("PENDING bob [bob]", "PENDING carol [bob, carol]", "GRANTED bob [carol] by chair", "turn bob");
        assertTrue(bob.awaitMyTurn(Duration.ofSeconds(EventLog.TIMEOUT_SECONDS)).isPresent());
        assertEquals(ErrorCode.FLOOR_TAKEN, refusal(() -> chair.grant("carol")));
        chair.revoke("enough");
        log.expect("REVOKED bob [carol] by chair (enough)", "idle");
        carol.withdraw();
        log.expect("WITHDRAWN carol []");
        assertEquals(ErrorCode.NOT_REQUESTED, refusal(carol::withdraw));
        bob.raiseHand();
        chair.deny("bob", "not now");
        log.expect("PENDING bob [bob]", "DENIED bob [] by chair (not now)");

        chair.grant("carol", Duration.ofSeconds(5));
        log.expect("GRANTED carol [] by chair", "turn carol");
        carol.awaitMyTurn().say("brief");
        log.expect("said carol: brief", "RELEASED carol []", "idle");

        chair.mute("bob", true);
        log.expect("muted bob");
        assertEquals(ErrorCode.MUTED, refusal(bob::raiseHand));
        chair.mute("bob", false);
        log.expect("unmuted bob");
        chair.move("bob", true);
        log.expect("moved bob to the audience by chair");
        assertEquals(java.util.Set.of("bob"), chair.async().audience());
        chair.move("bob", false);
        log.expect("moved bob to the speakers by chair");
        chair.appointChair("carol");
        log.expect("chair carol by chair");
        carol.remove("bob", "bye");
        log.expect("left bob REMOVED", "removed bob by carol: bye");
        assertEquals(List.of("chair", "carol"), chair.async().members());
        chair.stepDown();
        log.expect("stepped down chair");
        assertEquals(List.of("carol"), chair.async().chairs());
        assertEquals(ErrorCode.NOT_A_CHAIR, refusal(chair::stepDown));
        carol.stepDown();
        log.expect("stepped down carol", "chair chair by ");
        assertEquals(List.of("chair"), chair.async().chairs(), "the longest-present other member succeeds");
    }

    @Test
    void aHolderMaySayAsManyThingsAsTheRoomAllowsThenTheRoomEndsOnItsStopPhrase() throws Exception {
        JoinOptions options = JoinOptions.builder().messagesPerTurn(2).stopPhrase("that is all").build();
        FloorLog log = new FloorLog();
        RoomHandle ann = join("ann", "mpt-room", options, log);
        RoomHandle ben = join("ben", "mpt-room", JoinOptions.defaults(), new FloorLog());
        // ben asked for nothing: the rules in force are the creator's, as the server reported them.
        assertEquals(2, ben.rules().messagesPerTurn());
        assertEquals("that is all", ben.rules().stopPhrase());
        assertEquals(TurnPolicy.ROUND_ROBIN, ben.rules().policy());
        log.expect("turn ann");
        assertEquals(2, ann.messagesLeft());
        Futures.await(ann.say("one"));
        assertTrue(ann.isMyTurn(), "one of two: the turn goes on");
        assertEquals(1, ann.messagesLeft());
        Futures.await(ann.say("two"));
        log.expect("said ann: one", "said ann: two", "turn ben");
        Futures.await(ben.say("That Is All, folks"));
        log.expect("said ben: That Is All, folks", "ended STOP_PHRASE",
                "closed the room ended: the stop phrase was said");
        assertTrue(!ann.isOpen());
    }

    @Test
    void theHolderIsWarnedBeforeItsTalkTimeRunsOut() throws Exception {
        JoinOptions options = JoinOptions.builder().policy(TurnPolicy.MODERATED).warning(Duration.ofMillis(900)).build();
        RoomHandle chair = join("chair", "warn-room", options, new FloorLog());
        FloorLog bobLog = new FloorLog();
        join("bob", "warn-room", JoinOptions.defaults(), bobLog);
        Futures.await(chair.grant("bob", Duration.ofSeconds(1)));
        bobLog.expect("GRANTED bob [] by chair", "turn bob", "warning", "RELEASED bob []", "idle");
    }

    @Test
    void anAudienceMemberIsMovedToTheSpeakersByAChair() throws Exception {
        FloorLog fanLog = new FloorLog();
        RoomHandle host = join("host", "stage-room", JoinOptions.defaults(), new FloorLog());
        join("guest", "stage-room", JoinOptions.defaults(), new FloorLog());
        RoomHandle fan = join("fan", "stage-room", JoinOptions.builder().audience(true).build(), fanLog);
        assertTrue(fan.isAudience());
        assertEquals(ErrorCode.NOT_A_CHAIR, code(fan.move("fan", false)));
        Futures.await(fan.raiseHand());
        fanLog.skipTo("PENDING fan [fan]"); // the MemberMoved of its own audience join may come before the listener

        Futures.await(host.move("fan", false));
        fanLog.expect("moved fan to the speakers by host", "ACCEPTED fan [] by host");
        assertTrue(!fan.isAudience());
    }
}
