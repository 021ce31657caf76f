package dev.hotpochato.server.room;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.room.RoomFixture.Member;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Members whose connection is lost: away, skipped, and back with nothing missed. */
class RoomResumeTest {

    private final RoomFixture f = new RoomFixture(); // keeps the last 8 events
    private final Member a = f.member("a");
    private final Member b = f.member("b");
    private final Member c = f.member("c");
    private Room room;

    private void threeMembers() {
        f.join(a, "r");
        f.join(b, "r");
        f.join(c, "r");
        room = f.room("r");
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
        room.away(c);
        assertEquals("c", a.last(BodyCase.MEMBER_AWAY).getMemberAway().getName());
        assertTrue(room.isMember(c));
        assertTrue(room.snapshot().getMembers(2).getAway());
        assertEquals(3, room.memberCount());
    }

    @Test
    void awayMemberReceivesNothingLive() {
        threeMembers();
        room.away(c);
        c.drain();
        room.say(a, 1, "c is away");
        c.assertNothing();
    }

    @Test
    void turnOfAnAwayMemberIsSkippedVisibly() {
        threeMembers();
        room.away(b);
        a.drain();
        room.say(a, 1, "b is away");
        List<ServerFrame> got = a.drain();
        assertEquals(List.of(BodyCase.SAID, BodyCase.TURN_SKIPPED, BodyCase.TURN_GRANTED), kinds(got), got::toString);
        assertEquals("b", got.get(1).getTurnSkipped().getName());
        assertEquals("c", got.get(2).getTurnGranted().getHolder());
    }

    @Test
    void holderGoingAwayPassesTheTurnAtOnce() {
        threeMembers();
        room.away(a);
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
        long seen = room.lastSeq();
        room.away(c);
        room.say(a, 1, "one");
        room.say(b, 2, "two"); // c is skipped
        room.say(a, 3, "three");
        c.drain();
        room.back(c, seen);
        List<ServerFrame> got = c.drain();
        long expected = seen + 1;
        for (ServerFrame frame : got.subList(0, got.size() - 1)) {
            assertEquals(expected++, RoomEvents.seq(frame), "replayed in order, without gaps or duplicates");
            assertEquals(0, frame.getRequestId(), "replays carry no request id");
        }
        ServerFrame last = got.get(got.size() - 1);
        assertEquals(BodyCase.MEMBER_BACK, last.getBodyCase(), "then live: its own return");
        assertEquals(expected, RoomEvents.seq(last));
        assertEquals(List.of("one", "two", "three"), got.stream().filter(ServerFrame::hasSaid)
                .map(x -> x.getSaid().getText()).toList());
        assertEquals("c", a.last(BodyCase.MEMBER_BACK).getMemberBack().getName());
        room.say(b, 4, "live again");
        assertEquals("live again", c.last(BodyCase.SAID).getSaid().getText());
    }

    @Test
    void memberTooFarBehindIsToldHistoryWasLostAndGetsASnapshot() {
        threeMembers();
        long seen = room.lastSeq();
        room.away(c);
        for (int i = 0; i < 10; i++) {
            Member holder = (Member) room.holder();
            room.pass(holder, i);
        }
        c.drain();
        room.back(c, seen);
        List<ServerFrame> got = c.drain();
        assertEquals(List.of(BodyCase.HISTORY_LOST, BodyCase.JOINED, BodyCase.MEMBER_BACK), kinds(got));
        assertEquals(seen, got.get(0).getHistoryLost().getLastSeenSeq());
        assertTrue(got.get(0).getHistoryLost().getOldestSeq() > seen + 1);
        assertEquals(room.lastSeq() - 1, got.get(1).getJoined().getRoom().getLastSeq(),
                "the snapshot is as of just before its MemberBack");
    }

    @Test
    void withEveryoneAwayTurnsStopUntilSomeoneIsBack() {
        f.join(a, "r");
        f.join(b, "r");
        room = f.room("r");
        room.away(a);
        room.away(b);
        assertNull(room.holder());
        assertEquals(0, f.clock.pending());
        room.back(b, room.lastSeq());
        assertEquals("b", room.holder().name());
    }

    @Test
    void awayMemberThatNeverReturnsLeavesWithTheGivenReason() {
        threeMembers();
        room.away(c);
        room.leave(c, 0, MemberLeft.Reason.TIMED_OUT);
        assertEquals(MemberLeft.Reason.TIMED_OUT, a.last(BodyCase.MEMBER_LEFT).getMemberLeft().getReason());
        assertFalse(room.isMember(c));
    }
}
