package dev.hotpochato.server.room;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.room.RoomFixture.Member;
import dev.hotpochato.server.room.rules.LeaveReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Members whose connection is lost: away, skipped, and back with nothing missed. Run against every store. */
@ParameterizedClass
@EnumSource(RoomFixture.Store.class)
class RoomResumeTest {

    private final RoomFixture f; // keeps the last 8 events
    private final Member a;
    private final Member b;
    private final Member c;

    RoomResumeTest(RoomFixture.Store store) {
        f = new RoomFixture(store);
        a = f.member("a");
        b = f.member("b");
        c = f.member("c");
    }

    private void threeMembers() {
        f.join(a, "r");
        f.join(b, "r");
        f.join(c, "r");
        a.drain();
        b.drain();
        c.drain();
    }

    private static List<BodyCase> kinds(List<ServerFrame> frames) {
        return frames.stream().map(ServerFrame::getBodyCase).toList();
    }

    @Test
    void awayMemberKeepsItsSeatAndOthersAreTold() {
        threeMembers();
        f.away(c, "r");
        assertEquals("c", a.last(BodyCase.MEMBER_AWAY).getMemberAway().getName());
        assertTrue(f.state("r").isMember(c.id));
        assertTrue(f.state("r").members().get(2).away());
        assertEquals(3, f.state("r").members().size());
    }

    @Test
    void awayMemberReceivesNothingLive() {
        threeMembers();
        f.away(c, "r");
        c.drain();
        f.say(a, "r", 1, "c is away");
        c.assertNothing();
    }

    @Test
    void turnOfAnAwayMemberIsSkippedVisibly() {
        threeMembers();
        f.away(b, "r");
        a.drain();
        f.say(a, "r", 1, "b is away");
        List<ServerFrame> got = a.drain();
        assertEquals(List.of(BodyCase.SAID, BodyCase.TURN_SKIPPED, BodyCase.TURN_GRANTED), kinds(got), got::toString);
        assertEquals("b", got.get(1).getTurnSkipped().getName());
        assertEquals("c", got.get(2).getTurnGranted().getHolder());
    }

    @Test
    void holderGoingAwayPassesTheTurnAtOnce() {
        threeMembers();
        f.away(a, "r");
        List<ServerFrame> got = b.drain();
        assertEquals(List.of(BodyCase.MEMBER_AWAY, BodyCase.TURN_GRANTED), kinds(got));
        assertEquals("b", got.get(1).getTurnGranted().getHolder());
        f.clock.advance(60_000); // a's old deadline must not fire
        assertFalse(b.received(ServerFrame::hasTurnExpired) && b.last(BodyCase.TURN_EXPIRED)
                .getTurnExpired().getName().equals("a"));
    }

    @Test
    void backMemberGetsExactlyWhatItMissedInOrder() {
        threeMembers();
        long seen = f.state("r").seq();
        f.away(c, "r");
        f.say(a, "r", 1, "one");
        f.say(b, "r", 2, "two"); // c is skipped
        f.say(a, "r", 3, "three");
        c.drain();
        f.back(c, "r", seen);
        List<ServerFrame> got = c.drain();
        long expected = seen + 1;
        for (ServerFrame frame : got.subList(0, got.size() - 2)) {
            assertEquals(expected++, RoomEvents.seq(frame), "replayed in order, without gaps or duplicates");
            assertEquals(0, frame.getRequestId(), "replays carry no request id");
        }
        assertEquals(BodyCase.TURN_TIME_LEFT, got.get(got.size() - 2).getBodyCase(), "then how long the turn has left");
        ServerFrame last = got.get(got.size() - 1);
        assertEquals(BodyCase.MEMBER_BACK, last.getBodyCase(), "then live: its own return");
        assertEquals(expected, RoomEvents.seq(last));
        assertEquals(List.of("one", "two", "three"), got.stream().filter(ServerFrame::hasSaid)
                .map(x -> x.getSaid().getText()).toList());
        assertEquals("c", a.last(BodyCase.MEMBER_BACK).getMemberBack().getName());
        f.say(b, "r", 4, "live again");
        assertEquals("live again", c.last(BodyCase.SAID).getSaid().getText());
    }

    @Test
    void memberTooFarBehindIsToldHistoryWasLostAndGetsASnapshot() {
        threeMembers();
        long seen = f.state("r").seq();
        f.away(c, "r");
        for (int i = 0; i < 10; i++) {
            f.pass(f.holderAmong("r", a, b, c), "r", i);
        }
        c.drain();
        f.back(c, "r", seen);
        List<ServerFrame> got = c.drain();
        assertEquals(List.of(BodyCase.HISTORY_LOST, BodyCase.JOINED, BodyCase.TURN_TIME_LEFT, BodyCase.MEMBER_BACK),
                kinds(got));
        assertEquals(seen, got.get(0).getHistoryLost().getLastSeenSeq());
        assertTrue(got.get(0).getHistoryLost().getOldestSeq() > seen + 1);
        assertEquals(f.state("r").seq() - 1, got.get(1).getJoined().getRoom().getLastSeq(),
                "the snapshot is as of just before its MemberBack");
    }

    @Test
    void withEveryoneAwayTurnsStopUntilSomeoneIsBack() {
        f.join(a, "r");
        f.join(b, "r");
        f.away(a, "r");
        f.away(b, "r");
        assertNull(f.holder("r"));
        assertEquals(0, f.clock.pending());
        f.back(b, "r", f.state("r").seq());
        assertEquals("b", f.holder("r"));
    }

    @Test
    void awayMemberThatNeverReturnsLeavesWithTheGivenReason() {
        threeMembers();
        f.away(c, "r");
        f.leave(c, "r", 0, LeaveReason.TIMED_OUT);
        assertEquals(MemberLeft.Reason.TIMED_OUT, a.last(BodyCase.MEMBER_LEFT).getMemberLeft().getReason());
        assertFalse(f.state("r").isMember(c.id));
    }

    @Test
    void aMemberLeavingARoomOutOfItsResumeIsReplayedFromItsOwnJoinNotFromTheStart() {
        f.join(a, "r");
        f.join(b, "r");
        f.say(a, "r", 1, "before c");
        f.join(c, "r");
        long joinedAt = c.last(BodyCase.JOINED).getJoined().getRoom().getLastSeq();
        f.say(b, "r", 2, "after c");
        f.away(c, "r");
        c.drain();
        f.back(c, "r", 0); // the Resume left the room out of last_seq
        List<ServerFrame> got = c.drain();
        assertEquals(List.of(BodyCase.SAID, BodyCase.TURN_GRANTED, BodyCase.MEMBER_AWAY, BodyCase.TURN_GRANTED,
                BodyCase.TURN_TIME_LEFT, BodyCase.MEMBER_BACK), kinds(got), got::toString);
        assertEquals(joinedAt + 1, RoomEvents.seq(got.get(0)), "from the first event after its own MemberJoined");
        assertEquals("after c", got.get(0).getSaid().getText());
        assertFalse(got.stream().anyMatch(x -> x.hasSaid() && x.getSaid().getText().equals("before c")));
        assertFalse(got.stream().anyMatch(ServerFrame::hasMemberJoined), "not even its own MemberJoined");
    }

    @Test
    void aLastSeqFromBeforeTheMembersJoinCountsFromItsJoin() {
        f.join(a, "r");
        f.join(b, "r");
        f.pass(a, "r", 1);
        f.join(c, "r");
        long joinedAt = c.last(BodyCase.JOINED).getJoined().getRoom().getLastSeq();
        f.away(c, "r");
        c.drain();
        f.back(c, "r", 1);
        List<ServerFrame> got = c.drain();
        assertEquals(joinedAt + 1, RoomEvents.seq(got.get(0)));
        assertEquals(BodyCase.MEMBER_AWAY, got.get(0).getBodyCase());
    }

    @Test
    void aMemberWhoseEventsSinceItsJoinAreNoLongerKeptGetsHistoryLostNotOlderEvents() {
        threeMembers();
        f.away(c, "r");
        for (int i = 0; i < 10; i++) {
            f.pass(f.holderAmong("r", a, b, c), "r", i);
        }
        c.drain();
        f.back(c, "r", 0);
        List<ServerFrame> got = c.drain();
        assertEquals(List.of(BodyCase.HISTORY_LOST, BodyCase.JOINED, BodyCase.TURN_TIME_LEFT, BodyCase.MEMBER_BACK),
                kinds(got));
        assertEquals(0, got.get(0).getHistoryLost().getLastSeenSeq());
    }

    @Test
    void aResumedMemberIsToldTheTimeLeftInTheCurrentTurnNotTheFullTurnOfAReplayedGrant() {
        threeMembers();
        long seen = f.state("r").seq();
        f.away(c, "r");
        f.say(a, "r", 1, "one"); // b's turn, granted now with 30 s
        f.clock.advance(28_000);
        c.drain();
        f.back(c, "r", seen);
        List<ServerFrame> got = c.drain();
        assertEquals(List.of(BodyCase.SAID, BodyCase.TURN_GRANTED, BodyCase.TURN_TIME_LEFT, BodyCase.MEMBER_BACK),
                kinds(got.subList(1, got.size())), got::toString);
        assertEquals(30_000, got.get(2).getTurnGranted().getDurationMs(), "the replayed grant is as it was sent");
        var left = got.get(3).getTurnTimeLeft();
        assertEquals("r", left.getRoom());
        assertEquals("b", left.getHolder());
        assertEquals(got.get(2).getTurnGranted().getTurn(), left.getTurn());
        assertEquals(2_000, left.getRemainingMs());
        assertEquals(got.get(2).getTurnGranted().getDeadlineMs(), left.getDeadlineMs());
        assertEquals(0, got.get(3).getRequestId());
    }

    @Test
    void noTimeLeftIsSentWhenNoTurnRunsOrTurnsHaveNoLimit() {
        Member x = f.member("x");
        Member y = f.member("y");
        f.join(x, "slow", dev.hotpochato.protocol.v1.RoomOptions.newBuilder().setTurnTimeoutMs(0).build(), "");
        f.join(y, "slow");
        long seen = f.state("slow").seq();
        f.away(y, "slow");
        y.drain();
        f.back(y, "slow", seen);
        assertFalse(y.received(ServerFrame::hasTurnTimeLeft), y.kinds());

        f.join(a, "r");
        f.away(a, "r"); // alone and away: no turn runs
        a.drain();
        f.back(a, "r", f.state("r").seq());
        assertFalse(a.received(ServerFrame::hasTurnTimeLeft), a.kinds());
    }
}
