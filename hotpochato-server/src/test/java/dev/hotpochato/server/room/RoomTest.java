package dev.hotpochato.server.room;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.RoomSnapshot;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.room.RoomFixture.Member;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RoomTest {

    private final RoomFixture f = new RoomFixture();

    private Room roomOf(Member a, Member b, Member c) {
        f.join(a, "r");
        f.join(b, "r");
        if (c != null) {
            f.join(c, "r");
        }
        Room room = f.room("r");
        a.drain();
        b.drain();
        if (c != null) {
            c.drain();
        }
        return room;
    }

    private static String holderGranted(Member m) {
        return m.last(BodyCase.TURN_GRANTED).getTurnGranted().getHolder();
    }

    @Test
    void roomWaitsUntilItHasTwoMembers() {
        Member alice = f.member("alice");
        ServerFrame joined = f.join(alice, "r");
        RoomSnapshot snapshot = joined.getJoined().getRoom();
        assertTrue(snapshot.getWaiting());
        assertEquals("", snapshot.getHolder());
        assertFalse(alice.received(ServerFrame::hasTurnGranted));
        assertEquals(0, f.clock.pending(), "no timer runs while the room waits");
    }

    @Test
    void firstTurnGoesToFirstJoinerWhenSecondArrives() {
        Member alice = f.member("alice");
        Member bob = f.member("bob");
        f.join(alice, "r");
        ServerFrame joined = f.join(bob, "r");
        assertEquals(List.of("alice", "bob"),
                joined.getJoined().getRoom().getMembersList().stream().map(m -> m.getName()).toList());
        assertEquals("bob", alice.last(BodyCase.MEMBER_JOINED).getMemberJoined().getName());
        assertEquals("alice", holderGranted(alice));
        assertEquals("alice", holderGranted(bob));
        assertEquals(1, bob.last(BodyCase.TURN_GRANTED).getTurnGranted().getTurn());
        assertEquals(1_030_000, bob.last(BodyCase.TURN_GRANTED).getTurnGranted().getDeadlineMs());
    }

    @Test
    void turnsGoRoundRobinInJoinOrder() {
        Member a = f.member("a");
        Member b = f.member("b");
        Member c = f.member("c");
        Room room = roomOf(a, b, c);
        List<String> holders = new ArrayList<>();
        Member[] order = {a, b, c, a, b, c};
        for (Member speaker : order) {
            holders.add(room.holder().name());
            room.say(speaker, 1, "hi from " + speaker.name);
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), holders);
        assertEquals("a", room.holder().name());
    }

    @Test
    void newcomerJoinsTheEndOfTheRotation() {
        Member a = f.member("a");
        Member b = f.member("b");
        Room room = roomOf(a, b, null);
        room.say(a, 1, "one"); // b holds
        Member c = f.member("c");
        f.join(c, "r");
        room.say(b, 2, "two");
        assertEquals("c", room.holder().name(), "after b comes the newcomer, not a");
        room.say(c, 3, "three");
        assertEquals("a", room.holder().name());
    }

    @Test
    void sayIsBroadcastToEveryMemberAndEndsTheTurn() {
        Member a = f.member("a");
        Member b = f.member("b");
        Member c = f.member("c");
        Room room = roomOf(a, b, c);
        room.say(a, 5, "hello");
        for (Member m : List.of(a, b, c)) {
            List<ServerFrame> got = m.drain();
            assertEquals(List.of(BodyCase.SAID, BodyCase.TURN_GRANTED), got.stream().map(ServerFrame::getBodyCase).toList());
            assertEquals("hello", got.get(0).getSaid().getText());
            assertEquals("a", got.get(0).getSaid().getSpeaker());
            assertEquals("b", got.get(1).getTurnGranted().getHolder());
            assertEquals(m == a ? 5 : 0, got.get(0).getRequestId(), "only the speaker's copy echoes its request id");
        }
    }

    @Test
    void sayOutOfTurnIsRefusedAndChangesNothing() {
        Member a = f.member("a");
        Member b = f.member("b");
        Member c = f.member("c");
        Room room = roomOf(a, b, c);
        long seq = room.lastSeq();
        long turn = room.turn();
        room.say(b, 9, "me first");
        Error error = b.last(BodyCase.ERROR).getError();
        assertEquals(Error.Code.NOT_YOUR_TURN, error.getCode());
        assertEquals(9, b.inbox.get(0).getRequestId());
        assertEquals(1, b.drain().size());
        a.assertNothing();
        c.assertNothing();
        assertEquals("a", room.holder().name());
        assertEquals(seq, room.lastSeq());
        assertEquals(turn, room.turn());
    }

    @Test
    void passIsBroadcastAndEndsTheTurn() {
        Member a = f.member("a");
        Member b = f.member("b");
        Room room = roomOf(a, b, null);
        room.pass(a, 3);
        assertEquals("a", b.drain().get(0).getPassed().getName());
        assertEquals(3, a.drain().get(0).getRequestId());
        assertEquals("b", room.holder().name());
        room.pass(a, 4);
        assertEquals(Error.Code.NOT_YOUR_TURN, a.last(BodyCase.ERROR).getError().getCode());
    }

    @Test
    void emptyOrTooLongTextIsRefusedAndTheTurnStays() {
        Member a = f.member("a");
        Member b = f.member("b");
        Room room = roomOf(a, b, null);
        room.say(a, 1, "");
        assertEquals(Error.Code.EMPTY_TEXT, a.last(BodyCase.ERROR).getError().getCode());
        room.say(a, 2, "ü".repeat(9)); // 18 UTF-8 bytes, over the fixture's 16
        assertEquals(Error.Code.TEXT_TOO_LONG, a.last(BodyCase.ERROR).getError().getCode());
        b.assertNothing();
        assertEquals("a", room.holder().name());
        room.say(a, 3, "ü".repeat(8)); // exactly 16 bytes
        assertEquals("b", room.holder().name());
    }

    @Test
    void turnExpiresWhenItsTimeRunsOut() {
        Member a = f.member("a");
        Member b = f.member("b");
        Room room = roomOf(a, b, null);
        f.clock.advance(29_999);
        b.assertNothing();
        f.clock.advance(1);
        List<ServerFrame> got = b.drain();
        assertEquals(List.of(BodyCase.TURN_EXPIRED, BodyCase.TURN_GRANTED), got.stream().map(ServerFrame::getBodyCase).toList());
        assertEquals("a", got.get(0).getTurnExpired().getName());
        assertEquals("b", room.holder().name());
        f.clock.advance(30_000);
        assertEquals("a", room.holder().name(), "the potato keeps moving with nobody speaking");
    }

    @Test
    void turnThatEndedEarlyDoesNotExpireLater() {
        Member a = f.member("a");
        Member b = f.member("b");
        Room room = roomOf(a, b, null);
        f.clock.advance(20_000);
        room.say(a, 1, "in time");
        a.drain();
        f.clock.advance(15_000); // past a's old deadline, inside b's new one
        a.assertNothing();
        assertEquals("b", room.holder().name());
    }

    @Test
    void zeroTimeoutMeansTurnsNeverExpire() {
        Member a = f.member("a");
        Member b = f.member("b");
        f.join(a, "slow", RoomOptions.newBuilder().setTurnTimeoutMs(0).build(), "");
        f.join(b, "slow");
        assertEquals(0, b.last(BodyCase.TURN_GRANTED).getTurnGranted().getDeadlineMs());
        f.clock.advance(Long.MAX_VALUE / 4);
        assertFalse(b.received(ServerFrame::hasTurnExpired));
    }

    @Test
    void optionsApplyOnlyWhenTheJoinCreatesTheRoom() {
        Member a = f.member("a");
        Member b = f.member("b");
        f.join(a, "r", RoomOptions.newBuilder().setTurnTimeoutMs(5_000).build(), "");
        ServerFrame joined = f.join(b, "r", RoomOptions.newBuilder().setTurnTimeoutMs(99_000).build(), "");
        assertEquals(5_000, joined.getJoined().getRoom().getOptions().getTurnTimeoutMs());
    }

    @Test
    void holderLeavingPassesTheTurnAtOnce() {
        Member a = f.member("a");
        Member b = f.member("b");
        Member c = f.member("c");
        Room room = roomOf(a, b, c);
        room.say(a, 1, "x"); // b holds
        c.drain();
        room.leave(b, 2, MemberLeft.Reason.DISCONNECTED);
        List<ServerFrame> got = c.drain();
        assertEquals(List.of(BodyCase.MEMBER_LEFT, BodyCase.TURN_GRANTED), got.stream().map(ServerFrame::getBodyCase).toList());
        assertEquals(MemberLeft.Reason.DISCONNECTED, got.get(0).getMemberLeft().getReason());
        assertEquals("c", got.get(1).getTurnGranted().getHolder());
    }

    @Test
    void lastHolderInRotationLeavingWrapsToTheFirst() {
        Member a = f.member("a");
        Member b = f.member("b");
        Member c = f.member("c");
        Room room = roomOf(a, b, c);
        room.pass(a, 1);
        room.pass(b, 2); // c holds
        room.leave(c, 3, MemberLeft.Reason.LEFT);
        assertEquals("a", room.holder().name());
    }

    @Test
    void anotherMemberLeavingClosesTheGap() {
        Member a = f.member("a");
        Member b = f.member("b");
        Member c = f.member("c");
        Room room = roomOf(a, b, c);
        room.say(a, 1, "x"); // b holds
        room.leave(a, 2, MemberLeft.Reason.LEFT);
        assertEquals("b", room.holder().name(), "the holder keeps its turn");
        assertFalse(c.received(f2 -> f2.hasTurnGranted() && f2.getTurnGranted().getHolder().equals("b")
                && f2.getTurnGranted().getTurn() > 2));
        room.say(b, 3, "y");
        assertEquals("c", room.holder().name());
        room.say(c, 4, "z");
        assertEquals("b", room.holder().name());
    }

    @Test
    void leaverGetsLeftAndOthersGetMemberLeft() {
        Member a = f.member("a");
        Member b = f.member("b");
        Room room = roomOf(a, b, null);
        room.leave(a, 8, MemberLeft.Reason.LEFT);
        assertEquals(BodyCase.LEFT, a.inbox.get(0).getBodyCase());
        assertEquals(8, a.inbox.get(0).getRequestId());
        assertEquals(MemberLeft.Reason.LEFT, b.last(BodyCase.MEMBER_LEFT).getMemberLeft().getReason());
        assertTrue(room.snapshot().getWaiting(), "one member left: the room waits again");
        assertEquals(0, f.clock.pending());
    }

    @Test
    void lastMemberLeavingRemovesTheRoom() {
        Member a = f.member("a");
        f.join(a, "r");
        Room room = f.room("r");
        room.leave(a, 1, MemberLeft.Reason.LEFT);
        assertTrue(room.isClosed());
        assertNull(f.room("r"));
        assertEquals(0, f.shard.roomCount());
    }

    @Test
    void leavingARoomOneIsNotInIsRefused() {
        Member a = f.member("a");
        Member b = f.member("b");
        f.join(a, "r");
        f.room("r").leave(b, 4, MemberLeft.Reason.LEFT);
        assertEquals(Error.Code.NOT_A_MEMBER, b.last(BodyCase.ERROR).getError().getCode());
    }

    @Test
    void namesAreUniqueWithinARoom() {
        f.join(f.member("sam"), "r");
        ServerFrame reply = f.join(f.member("sam"), "r");
        assertEquals(Error.Code.NAME_TAKEN, reply.getError().getCode());
        assertEquals(BodyCase.JOINED, f.join(f.member("sam"), "other").getBodyCase(), "another room is fine");
    }

    @Test
    void joiningTwiceIsRefused() {
        Member a = f.member("a");
        f.join(a, "r");
        assertEquals(Error.Code.ALREADY_MEMBER, f.join(a, "r").getError().getCode());
    }

    @Test
    void fullRoomRefusesNewcomers() {
        f.join(f.member("a"), "r", RoomOptions.newBuilder().setMaxMembers(2).build(), "");
        f.join(f.member("b"), "r");
        assertEquals(Error.Code.ROOM_FULL, f.join(f.member("c"), "r").getError().getCode());
    }

    @Test
    void roomSlotsOfAClientAreLimited() {
        Member a = new Member(500, "a", 1);
        f.join(a, "one");
        assertEquals(Error.Code.TOO_MANY_ROOMS, f.join(a, "two").getError().getCode());
        assertNull(f.room("two"), "a room whose creator was refused is not left behind");
        f.room("one").leave(a, 1, MemberLeft.Reason.LEFT);
        assertEquals(BodyCase.JOINED, f.join(a, "two").getBodyCase(), "leaving gives the slot back");
    }

    @Test
    void passwordRoomAdmitsOnlyThoseWhoKnowIt() {
        f.join(f.member("a"), "vault", RoomOptions.newBuilder().setPassword("sesame").build(), "");
        assertEquals(Error.Code.WRONG_PASSWORD, f.join(f.member("b"), "vault").getError().getCode());
        assertEquals(Error.Code.WRONG_PASSWORD, f.join(f.member("c"), "vault", RoomOptions.getDefaultInstance(), "guess").getError().getCode());
        ServerFrame ok = f.join(f.member("d"), "vault", RoomOptions.getDefaultInstance(), "sesame");
        assertEquals(BodyCase.JOINED, ok.getBodyCase());
        assertEquals("********", ok.getJoined().getRoom().getOptions().getPassword(), "the password is never echoed");
    }

    @Test
    void inviteOnlyRoomAdmitsTheInvitedOnly() {
        Member owner = f.member("owner");
        f.join(owner, "club", RoomOptions.newBuilder().setInviteOnly(true).build(), "");
        Room club = f.room("club");
        assertEquals(Error.Code.NOT_INVITED, f.join(f.member("crasher"), "club").getError().getCode());
        Member guest = f.member("guest");
        club.invite(owner, 5, "guest");
        assertEquals(BodyCase.INVITED, owner.last(BodyCase.INVITED).getBodyCase());
        assertEquals(BodyCase.JOINED, f.join(guest, "club").getBodyCase());
        club.invite(guest, 6, "friend");
        assertEquals(Error.Code.NOT_INVITED, guest.last(BodyCase.ERROR).getError().getCode(),
                "only the creator may invite");
        club.invite(f.member("outsider"), 7, "friend");
        club.leave(owner, 8, MemberLeft.Reason.LEFT);
        assertEquals(BodyCase.JOINED, f.join(owner, "club").getBodyCase(), "the creator may always come back");
    }

    @Test
    void creatorOfAPasswordRoomNeedNotRepeatThePassword() {
        ServerFrame created = f.join(f.member("a"), "vault", RoomOptions.newBuilder().setPassword("sesame").build(), "");
        assertEquals(BodyCase.JOINED, created.getBodyCase());
    }

    @Test
    void sequenceNumbersHaveNoGaps() {
        Member a = f.member("a");
        Member b = f.member("b");
        f.join(a, "r");
        f.join(b, "r");
        Room room = f.room("r");
        room.say(a, 1, "x");
        room.pass(b, 2);
        f.clock.advance(30_000);
        Member c = f.member("c");
        f.join(c, "r");
        room.leave(c, 3, MemberLeft.Reason.LEFT);
        long expected = 1;
        for (ServerFrame frame : a.inbox) {
            long seq = RoomEvents.seq(frame);
            if (seq > 0) {
                assertEquals(expected++, seq, () -> "seq gap at " + frame);
            }
        }
        assertEquals(room.lastSeq(), expected - 1);
    }
}
