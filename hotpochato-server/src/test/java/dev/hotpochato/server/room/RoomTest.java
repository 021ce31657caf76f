package dev.hotpochato.server.room;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.RoomSnapshot;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.room.RoomFixture.Member;
import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.RoomRules;
import dev.hotpochato.server.room.rules.RoomState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The turn rules, through the store as the network layer drives it: run against every store. */
@ParameterizedClass
@EnumSource(RoomFixture.Store.class)
class RoomTest {

    private final RoomFixture f;

    RoomTest(RoomFixture.Store store) {
        f = new RoomFixture(store);
    }

    private void roomOf(Member a, Member b, Member c) {
        f.join(a, "r");
        f.join(b, "r");
        if (c != null) {
            f.join(c, "r");
        }
        a.drain();
        b.drain();
        if (c != null) {
            c.drain();
        }
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
        roomOf(a, b, c);
        List<String> holders = new ArrayList<>();
        Member[] order = {a, b, c, a, b, c};
        for (Member speaker : order) {
            holders.add(f.holder("r"));
            f.say(speaker, "r", 1, "hi from " + speaker.name);
        }
        assertEquals(List.of("a", "b", "c", "a", "b", "c"), holders);
        assertEquals("a", f.holder("r"));
    }

    @Test
    void newcomerJoinsTheEndOfTheRotation() {
        Member a = f.member("a");
        Member b = f.member("b");
        roomOf(a, b, null);
        f.say(a, "r", 1, "one"); // b holds
        Member c = f.member("c");
        f.join(c, "r");
        f.say(b, "r", 2, "two");
        assertEquals("c", f.holder("r"), "after b comes the newcomer, not a");
        f.say(c, "r", 3, "three");
        assertEquals("a", f.holder("r"));
    }

    @Test
    void sayIsBroadcastToEveryMemberAndEndsTheTurn() {
        Member a = f.member("a");
        Member b = f.member("b");
        Member c = f.member("c");
        roomOf(a, b, c);
        f.say(a, "r", 5, "hello");
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
        roomOf(a, b, c);
        long seq = f.state("r").seq();
        long turn = f.state("r").turn();
        f.say(b, "r", 9, "me first");
        Error error = b.last(BodyCase.ERROR).getError();
        assertEquals(Error.Code.NOT_YOUR_TURN, error.getCode());
        assertEquals(9, b.inbox.get(0).getRequestId());
        assertEquals(1, b.drain().size());
        a.assertNothing();
        c.assertNothing();
        assertEquals("a", f.holder("r"));
        assertEquals(seq, f.state("r").seq());
        assertEquals(turn, f.state("r").turn());
    }

    @Test
    void passIsBroadcastAndEndsTheTurn() {
        Member a = f.member("a");
        Member b = f.member("b");
        roomOf(a, b, null);
        f.pass(a, "r", 3);
        assertEquals("a", b.drain().get(0).getPassed().getName());
        assertEquals(3, a.drain().get(0).getRequestId());
        assertEquals("b", f.holder("r"));
        f.pass(a, "r", 4);
        assertEquals(Error.Code.NOT_YOUR_TURN, a.last(BodyCase.ERROR).getError().getCode());
    }

    @Test
    void emptyOrTooLongTextIsRefusedAndTheTurnStays() {
        Member a = f.member("a");
        Member b = f.member("b");
        roomOf(a, b, null);
        f.say(a, "r", 1, "");
        assertEquals(Error.Code.EMPTY_TEXT, a.last(BodyCase.ERROR).getError().getCode());
        f.say(a, "r", 2, "ü".repeat(9)); // 18 UTF-8 bytes, over the fixture's 16
        assertEquals(Error.Code.TEXT_TOO_LONG, a.last(BodyCase.ERROR).getError().getCode());
        b.assertNothing();
        assertEquals("a", f.holder("r"));
        f.say(a, "r", 3, "ü".repeat(8)); // exactly 16 bytes
        assertEquals("b", f.holder("r"));
    }

    @Test
    void turnExpiresWhenItsTimeRunsOut() {
        Member a = f.member("a");
        Member b = f.member("b");
        roomOf(a, b, null);
        f.clock.advance(29_999);
        b.assertNothing();
        f.clock.advance(1);
        List<ServerFrame> got = b.drain();
        assertEquals(List.of(BodyCase.TURN_EXPIRED, BodyCase.TURN_GRANTED), got.stream().map(ServerFrame::getBodyCase).toList());
        assertEquals("a", got.get(0).getTurnExpired().getName());
        assertEquals("b", f.holder("r"));
        f.clock.advance(30_000);
        assertEquals("a", f.holder("r"), "the potato keeps moving with nobody speaking");
    }

    @Test
    void turnThatEndedEarlyDoesNotExpireLater() {
        Member a = f.member("a");
        Member b = f.member("b");
        roomOf(a, b, null);
        f.clock.advance(20_000);
        f.say(a, "r", 1, "in time");
        a.drain();
        f.clock.advance(15_000); // past a's old deadline, inside b's new one
        a.assertNothing();
        assertEquals("b", f.holder("r"));
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
        roomOf(a, b, c);
        f.say(a, "r", 1, "x"); // b holds
        c.drain();
        f.leave(b, "r", 2, LeaveReason.DISCONNECTED);
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
        roomOf(a, b, c);
        f.pass(a, "r", 1);
        f.pass(b, "r", 2); // c holds
        f.leave(c, "r", 3, LeaveReason.LEFT);
        assertEquals("a", f.holder("r"));
    }

    @Test
    void anotherMemberLeavingClosesTheGap() {
        Member a = f.member("a");
        Member b = f.member("b");
        Member c = f.member("c");
        roomOf(a, b, c);
        f.say(a, "r", 1, "x"); // b holds
        f.leave(a, "r", 2, LeaveReason.LEFT);
        assertEquals("b", f.holder("r"), "the holder keeps its turn");
        assertFalse(c.received(f2 -> f2.hasTurnGranted() && f2.getTurnGranted().getHolder().equals("b")
                && f2.getTurnGranted().getTurn() > 2));
        f.say(b, "r", 3, "y");
        assertEquals("c", f.holder("r"));
        f.say(c, "r", 4, "z");
        assertEquals("b", f.holder("r"));
    }

    @Test
    void leaverGetsLeftAndOthersGetMemberLeft() {
        Member a = f.member("a");
        Member b = f.member("b");
        roomOf(a, b, null);
        f.leave(a, "r", 8, LeaveReason.LEFT);
        assertEquals(BodyCase.LEFT, a.inbox.get(0).getBodyCase());
        assertEquals(8, a.inbox.get(0).getRequestId());
        assertEquals(MemberLeft.Reason.LEFT, b.last(BodyCase.MEMBER_LEFT).getMemberLeft().getReason());
        assertNull(f.state("r").holder(), "one member left: the room waits again");
        assertEquals(0, f.clock.pending());
    }

    @Test
    void lastMemberLeavingRemovesTheRoom() {
        Member a = f.member("a");
        f.join(a, "r");
        f.leave(a, "r", 1, LeaveReason.LEFT);
        assertNull(f.state("r"));
        assertTrue(f.publicRooms().isEmpty());
    }

    @Test
    void leavingARoomOneIsNotInIsRefused() {
        Member a = f.member("a");
        Member b = f.member("b");
        f.join(a, "r");
        f.leave(b, "r", 4, LeaveReason.LEFT);
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
        assertNull(f.state("two"), "a room whose creator was refused is not left behind");
        f.leave(a, "one", 1, LeaveReason.LEFT);
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
        assertEquals(Error.Code.NOT_INVITED, f.join(f.member("crasher"), "club").getError().getCode());
        Member guest = f.member("guest");
        f.invite(owner, "club", 5, "guest");
        assertEquals(BodyCase.INVITED, owner.last(BodyCase.INVITED).getBodyCase());
        assertEquals(BodyCase.JOINED, f.join(guest, "club").getBodyCase());
        f.invite(guest, "club", 6, "friend");
        assertEquals(Error.Code.NOT_INVITED, guest.last(BodyCase.ERROR).getError().getCode(),
                "only the creator may invite");
        Member outsider = f.member("outsider");
        f.invite(outsider, "club", 7, "friend");
        assertEquals(Error.Code.NOT_A_MEMBER, outsider.last(BodyCase.ERROR).getError().getCode());
        f.leave(owner, "club", 8, LeaveReason.LEFT);
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
        f.say(a, "r", 1, "x");
        f.pass(b, "r", 2);
        f.clock.advance(30_000);
        Member c = f.member("c");
        f.join(c, "r");
        f.leave(c, "r", 3, LeaveReason.LEFT);
        long expected = 1;
        for (ServerFrame frame : a.inbox) {
            long seq = RoomEvents.seq(frame);
            if (seq > 0) {
                assertEquals(expected++, seq, () -> "seq gap at " + frame);
            }
        }
        assertEquals(f.state("r").seq(), expected - 1);
    }

    @Test
    void aRoomKeepsABoundedNumberOfInvitationsAndRefusesMoreWithATypedError() {
        Member owner = f.member("owner");
        f.join(owner, "club", RoomOptions.newBuilder().setInviteOnly(true).build(), "");
        // The creator's own name is the first invitation.
        for (int i = 1; i < RoomRules.MAX_INVITATIONS; i++) {
            f.invite(owner, "club", i, "guest" + i);
            assertEquals(i, owner.last(BodyCase.INVITED).getRequestId());
        }
        assertEquals(RoomRules.MAX_INVITATIONS, f.state("club").invited().size());
        owner.drain();
        f.invite(owner, "club", 500, "one-too-many");
        Error refused = owner.last(BodyCase.ERROR).getError();
        assertEquals(Error.Code.TOO_MANY_INVITATIONS, refused.getCode());
        assertEquals(500, owner.inbox.get(0).getRequestId());
        assertEquals("club", refused.getRoom());
        assertEquals(RoomRules.MAX_INVITATIONS, f.state("club").invited().size(), "nothing was kept");
        assertEquals(Error.Code.NOT_INVITED, f.join(f.member("one-too-many"), "club").getError().getCode());

        f.invite(owner, "club", 501, "guest7");
        assertEquals(501, owner.last(BodyCase.INVITED).getRequestId(), "inviting a name again needs no new place");
        assertEquals(BodyCase.JOINED, f.join(f.member("guest7"), "club").getBodyCase());
    }

    @Test
    void aRefusalChangesNeitherTheStateNorItsVersion() {
        Member a = f.member("a");
        Member b = f.member("b");
        roomOf(a, b, null);
        RoomState before = f.state("r");
        f.say(b, "r", 1, "not my turn");
        f.say(a, "r", 2, "");
        f.pass(b, "r", 3);
        f.join(f.member("a"), "r"); // NAME_TAKEN
        f.invite(b, "r", 4, "x");  // only the creator may
        RoomState after = f.state("r");
        assertEquals(before.version(), after.version());
        assertEquals(before.toString(), after.toString());
        f.say(a, "r", 5, "now");
        assertTrue(f.state("r").version() > before.version(), "a change is a new version");
    }
}
