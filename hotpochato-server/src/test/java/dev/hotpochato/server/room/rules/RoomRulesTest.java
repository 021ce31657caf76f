package dev.hotpochato.server.room.rules;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The state machine's contract, without a store: what a store may rely on when it keeps, copies,
 * compares or replays states and outcomes. (The rules themselves are specified through the store
 * by RoomTest, RoomResumeTest and MatchmakerTest.)
 */
class RoomRulesTest {

    private static final RoomSettings SETTINGS = new RoomSettings(30_000, 10, "", false, 100, 8);
    private static final long NOW = 1_000_000;

    private final RoomOutcome out = new RoomOutcome();

    private RoomState apply(RoomState state, RoomCommand command) {
        RoomRules.apply(state, command, NOW, out);
        return out.state();
    }

    private RoomState twoMembers() {
        RoomState s = apply(null, new RoomCommand.Join("r", 1, "a", 11, "", true, SETTINGS));
        return apply(s, new RoomCommand.Join("r", 2, "b", 12, "", true, SETTINGS));
    }

    @Test
    void aJoinOfANewNameCreatesTheRoomAtVersionOne() {
        RoomState s = apply(null, new RoomCommand.Join("r", 1, "a", 11, "", true, SETTINGS));
        assertNotNull(s);
        assertEquals(1, s.version());
        assertTrue(out.changed());
        assertEquals(List.of(), out.events(), "the creator's join is not an event: there is nobody to tell");
        RoomReply.Joined joined = assertInstanceOf(RoomReply.Joined.class, out.replies().get(0));
        assertEquals(11, joined.requestId());
        assertEquals(0, joined.afterSeq());
        assertEquals(List.of(new RoomMember(1, "a", false, 0)), out.admitted());
    }

    @Test
    void aRefusedCreationLeavesNoRoom() {
        assertNull(apply(null, new RoomCommand.Join("r", 1, "a", 11, "", false, SETTINGS)));
        assertFalse(out.changed());
        assertEquals(Refusal.TOO_MANY_ROOMS,
                assertInstanceOf(RoomReply.Refused.class, out.replies().get(0)).refusal());
    }

    @Test
    void everyChangeIsOneVersionUpAndEventsAreNumberedWithoutGaps() {
        RoomState s = twoMembers();
        assertEquals(2, s.version());
        long seq = s.seq();
        apply(s, new RoomCommand.Say("r", 1, 5, "hi"));
        assertEquals(3, s.version());
        assertEquals(List.of(seq + 1, seq + 2), out.events().stream().map(RoomEvent::seq).toList());
        assertEquals(seq + 2, s.seq());
        assertEquals(1, out.receiptSessionId());
        assertEquals(5, out.receiptRequestId());
        assertEquals(seq + 1, out.receiptSeq());
        assertEquals(2, out.nextHolderSessionId());
        assertTrue(out.deadlineChanged());
        assertEquals(NOW + 30_000, s.deadlineMillis());
    }

    @Test
    void aCopyIsIndependentAndAppliesTheSame() {
        RoomState s = twoMembers();
        RoomState copy = s.copy();
        apply(copy, new RoomCommand.Say("r", 1, 5, "hi"));
        List<RoomEvent> fromCopy = List.copyOf(out.events());
        assertEquals(2, s.version(), "the original did not move");
        assertEquals("a", s.holder().name());
        apply(s, new RoomCommand.Say("r", 1, 5, "hi"));
        assertEquals(fromCopy, out.events(), "same state, command and time: same outcome");
        assertEquals(copy.toString(), s.toString());
    }

    @Test
    void aRestoredStateIsTheStateItWasTakenFrom() {
        RoomState s = twoMembers();
        apply(s, new RoomCommand.Invite("r", 1, 3, "c"));
        RoomState restored = RoomState.restore(s.name(), s.settings(), s.isPrivate(), s.creatorSessionId(),
                s.members(), s.invited(), s.holderIndex(), s.turn(), s.deadlineMillis(), s.seq(), s.isClosed(),
                s.version(), s.floor());
        assertEquals(s.toString(), restored.toString());
        assertEquals(s.invited(), restored.invited());
        apply(restored, new RoomCommand.Pass("r", 1, 0));
        assertEquals("b", restored.holder().name());
    }

    @Test
    void aRefusalOrANoOpChangesNothing() {
        RoomState s = twoMembers();
        String before = s.toString();
        for (RoomCommand c : List.of(new RoomCommand.Say("r", 2, 1, "not yours"), new RoomCommand.Pass("r", 9, 1),
                new RoomCommand.ExpireTurn("r", 99), new RoomCommand.Away("r", 9), new RoomCommand.Back("r", 9, 0),
                new RoomCommand.Leave("r", 9, 0, LeaveReason.DISCONNECTED))) {
            apply(s, c);
            assertFalse(out.changed(), c::toString);
            assertEquals(List.of(), out.events());
            assertEquals(before, s.toString());
        }
    }

    @Test
    void aStaleTimerIsANoOpAndTheCurrentOneExpiresTheTurn() {
        RoomState s = twoMembers();
        long turn = s.turn();
        apply(s, new RoomCommand.Pass("r", 1, 0));
        apply(s, new RoomCommand.ExpireTurn("r", turn));
        assertFalse(out.changed(), "a turn that already ended");
        apply(s, new RoomCommand.ExpireTurn("r", s.turn()));
        assertInstanceOf(RoomEvent.TurnExpired.class, out.events().get(0));
        assertEquals("a", s.holder().name());
    }

    @Test
    void theLastMemberLeavingClosesTheRoomSilently() {
        RoomState s = apply(null, new RoomCommand.Join("r", 1, "a", 11, "", true, SETTINGS));
        apply(s, new RoomCommand.Leave("r", 1, 4, LeaveReason.LEFT));
        assertTrue(s.isClosed());
        assertEquals(List.of(new RoomMember(1, "a", false, 0)), out.removed());
        assertInstanceOf(RoomReply.Left.class, out.replies().get(0));
        apply(s, new RoomCommand.Say("r", 1, 5, "hello?"));
        assertNull(out.state(), "a closed room is no room");
        assertEquals(Refusal.UNKNOWN_ROOM, assertInstanceOf(RoomReply.Refused.class, out.replies().get(0)).refusal());
    }

    @Test
    void aResumeAsksForTheKeptEventsSinceTheLaterOfLastSeenAndItsJoin() {
        RoomState s = twoMembers();
        apply(s, new RoomCommand.Say("r", 1, 0, "one"));
        apply(s, new RoomCommand.Join("r", 3, "c", 13, "", true, SETTINGS));
        long joinedAt = s.member(3).joinedSeq();
        apply(s, new RoomCommand.Away("r", 3));
        long seqBeforeBack = s.seq();
        apply(s, new RoomCommand.Back("r", 3, 0));
        RoomReply.Replay replay = assertInstanceOf(RoomReply.Replay.class, out.replies().get(0));
        assertEquals(joinedAt + 1, replay.fromSeq());
        assertEquals(seqBeforeBack, replay.toSeq());
        assertEquals(seqBeforeBack, replay.afterSeq(), "before its MemberBack");
        RoomReply.TurnTimeLeft left = assertInstanceOf(RoomReply.TurnTimeLeft.class, out.replies().get(1));
        assertEquals(30_000, left.remainingMillis());
        assertInstanceOf(RoomEvent.MemberBack.class, out.events().get(0));
    }

    @Test
    void aPairsRoomIsPrivateAndStartsWithTheFirstsTurn() {
        RoomState s = apply(null, new RoomCommand.AdmitPair("~pair-1", SETTINGS.forPair(),
                new RoomCommand.Pairing(1, "a", 21), new RoomCommand.Pairing(2, "b", 22)));
        assertTrue(s.isPrivate());
        assertEquals("a", s.holder().name());
        assertFalse(s.isVisibleTo(3));
        assertEquals(List.of(RoomReply.Paired.class, RoomReply.Paired.class, RoomReply.Joined.class,
                RoomReply.Joined.class), out.replies().stream().map(Object::getClass).toList());
        assertTrue(RoomRules.joinNeedsSlot(null, 3, "c", ""));
        assertFalse(RoomRules.joinNeedsSlot(s, 3, "c", ""), "a private room refuses before any slot is taken");
    }
}
