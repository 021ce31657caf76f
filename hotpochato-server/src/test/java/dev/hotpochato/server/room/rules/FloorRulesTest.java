package dev.hotpochato.server.room.rules;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The turn policies, messages per turn, talk-time warnings, moderation and end rules, with a hand-driven clock. */
class FloorRulesTest {

    private static final RoomSettings BASE = new RoomSettings(30_000, 10, "", false, 100, 64);

    private final RoomOutcome out = new RoomOutcome();
    private long now = 1_000_000;
    private RoomState s;

    private static FloorRules rules(TurnPolicy policy) {
        return new FloorRules(policy, 1, 0, 0, 0, "", false);
    }

    private void apply(RoomCommand c) {
        RoomRules.apply(s, c, now, out);
        s = out.state();
    }

    /** A room with members a (1, the creator), b (2) and c (3). */
    private void room(FloorRules rules) {
        room(BASE.withFloor(rules));
    }

    private void room(RoomSettings settings) {
        s = null;
        String[] names = {"a", "b", "c"};
        for (int i = 0; i < names.length; i++) {
            apply(new RoomCommand.Join("r", i + 1, names[i], 0, "", true, settings));
        }
    }

    private List<String> events() {
        List<String> l = new ArrayList<>();
        for (RoomEvent e : out.events()) {
            if (e instanceof RoomEvent.FloorUpdate u) {
                l.add(u.state() + " " + u.name() + " " + u.queue() + (u.reason().isEmpty() ? "" : " (" + u.reason() + ")"));
            } else if (e instanceof RoomEvent.TurnGranted g) {
                l.add("turn " + g.holder());
            } else {
                l.add(e.getClass().getSimpleName());
            }
        }
        return l;
    }

    private Refusal refusal() {
        return assertInstanceOf(RoomReply.Refused.class, out.replies().get(0)).refusal();
    }

    private String holder() {
        return s.holder() == null ? null : s.holder().name();
    }

    // ------------------------------------------------------------------ QUEUE

    @Test
    void aQueueRoomStartsIdleAndTheFirstRaisedHandGetsTheFloor() {
        room(rules(TurnPolicy.QUEUE));
        assertNull(holder(), "nobody asked yet");
        assertEquals(List.of("a"), s.view().chairs());
        apply(new RoomCommand.RaiseHand("r", 2, 7));
        assertEquals(List.of("PENDING b [b]", "GRANTED b []", "turn b"), events());
        assertEquals(7, out.receiptRequestId());
        assertEquals(out.events().get(0).seq(), out.receiptSeq());
        assertEquals("b", holder());
    }

    @Test
    void requestsQueueFirstComeFirstServedAndAnEmptyQueueLeavesTheFloorIdle() {
        room(rules(TurnPolicy.QUEUE));
        apply(new RoomCommand.RaiseHand("r", 2, 0));
        apply(new RoomCommand.RaiseHand("r", 3, 0));
        assertEquals(List.of("PENDING c [c]"), events());
        apply(new RoomCommand.RaiseHand("r", 1, 0));
        assertEquals(List.of("PENDING a [c, a]"), events(), "the queue with each position, to all");
        assertEquals(List.of("c", "a"), s.view().queue());
        apply(new RoomCommand.Say("r", 2, 0, "hello"));
        assertEquals(List.of("Said", "RELEASED b [c, a]", "GRANTED c [a]", "turn c"), events());
        apply(new RoomCommand.Pass("r", 3, 0));
        assertEquals(List.of("Passed", "RELEASED c [a]", "GRANTED a []", "turn a"), events());
        now += 30_000;
        apply(new RoomCommand.ExpireTurn("r", s.turn()));
        assertEquals(List.of("TurnExpired", "RELEASED a []", "FloorIdle"), events());
        assertNull(holder());
        assertTrue(out.deadlineChanged(), "the turn timer is cancelled");
        assertEquals(0, s.deadlineMillis());
    }

    @Test
    void aMemberCanWithdrawItsRequestButNotTwiceNorRaiseTwice() {
        room(rules(TurnPolicy.QUEUE));
        apply(new RoomCommand.RaiseHand("r", 2, 0)); // b holds
        apply(new RoomCommand.RaiseHand("r", 2, 0));
        assertEquals(Refusal.ALREADY_REQUESTED, refusal(), "the holder");
        apply(new RoomCommand.RaiseHand("r", 3, 0));
        apply(new RoomCommand.RaiseHand("r", 3, 0));
        assertEquals(Refusal.ALREADY_REQUESTED, refusal());
        apply(new RoomCommand.Withdraw("r", 3, 9));
        assertEquals(List.of("WITHDRAWN c []"), events());
        assertEquals(9, out.receiptRequestId());
        apply(new RoomCommand.Withdraw("r", 3, 9));
        assertEquals(Refusal.NOT_REQUESTED, refusal());
        apply(new RoomCommand.Pass("r", 2, 0));
        assertEquals(List.of("Passed", "RELEASED b []", "FloorIdle"), events(), "c withdrew: nobody is next");
    }

    @Test
    void raisingAHandInARoundRobinRoomIsTheWrongPolicy() {
        room(FloorRules.DEFAULT);
        apply(new RoomCommand.RaiseHand("r", 2, 0));
        assertEquals(Refusal.WRONG_POLICY, refusal());
        assertFalse(out.changed());
    }

    @Test
    void aQueuedMemberWhoGoesAwayIsWithdrawnAndAnAwayHolderReleasesTheFloor() {
        room(rules(TurnPolicy.QUEUE));
        apply(new RoomCommand.RaiseHand("r", 2, 0));
        apply(new RoomCommand.RaiseHand("r", 3, 0));
        apply(new RoomCommand.RaiseHand("r", 1, 0));
        apply(new RoomCommand.Away("r", 3));
        assertEquals(List.of("MemberAway", "WITHDRAWN c [a] (away)"), events());
        apply(new RoomCommand.Away("r", 2));
        assertEquals(List.of("MemberAway", "RELEASED b [a] (away)", "GRANTED a []", "turn a"), events());
    }

    // ------------------------------------------------------------------ MODERATED

    @Test
    void inAModeratedRoomOnlyAChairGrantsTheFloorToTheHeadOfTheQueueOrAnyMember() {
        room(rules(TurnPolicy.MODERATED));
        apply(new RoomCommand.RaiseHand("r", 2, 0));
        assertEquals(List.of("PENDING b [b]"), events(), "a raised hand waits for the chair");
        apply(new RoomCommand.Grant("r", 3, 4, "", 0));
        assertEquals(Refusal.NOT_A_CHAIR, refusal());
        apply(new RoomCommand.Grant("r", 1, 4, "", 5_000));
        assertEquals(List.of("GRANTED b []", "turn b"), events());
        assertEquals(now + 5_000, s.deadlineMillis(), "the talk time of this grant");
        assertEquals(4, out.receiptRequestId());
        assertEquals(out.events().get(0).seq(), out.receiptSeq());
        assertEquals("a", ((RoomEvent.FloorUpdate) out.events().get(0)).by());
        apply(new RoomCommand.Grant("r", 1, 0, "c", 0));
        assertEquals(Refusal.FLOOR_TAKEN, refusal());
        apply(new RoomCommand.Say("r", 2, 0, "done"));
        assertEquals(List.of("Said", "RELEASED b []", "FloorIdle"), events(), "the chair decides who is next");
        apply(new RoomCommand.Grant("r", 1, 0, "c", 0));
        assertEquals(List.of("GRANTED c []", "turn c"), events(), "c never asked: a chair may call on anyone");
        assertEquals(now + 30_000, s.deadlineMillis(), "no talk time: the room's");
    }

    @Test
    void grantsAreRefusedWithTypedCauses() {
        room(rules(TurnPolicy.MODERATED));
        apply(new RoomCommand.Grant("r", 1, 0, "", 0));
        assertEquals(Refusal.NOT_REQUESTED, refusal(), "nobody queued");
        apply(new RoomCommand.Grant("r", 1, 0, "zed", 0));
        assertEquals(Refusal.UNKNOWN_MEMBER, refusal());
        apply(new RoomCommand.Grant("r", 1, 0, "b", 30_001));
        assertEquals(Refusal.INVALID_OPTION, refusal(), "above the room's turn limit");
        apply(new RoomCommand.Away("r", 2));
        apply(new RoomCommand.Grant("r", 1, 0, "b", 0));
        assertEquals(Refusal.MEMBER_AWAY, refusal());
        room(rules(TurnPolicy.QUEUE));
        apply(new RoomCommand.Grant("r", 1, 0, "b", 0));
        assertEquals(Refusal.WRONG_POLICY, refusal());
    }

    @Test
    void aChairRevokesTheFloorAndDeniesRequestsWithAReason() {
        room(rules(TurnPolicy.MODERATED));
        apply(new RoomCommand.Revoke("r", 1, 0, "why"));
        assertEquals(Refusal.FLOOR_IDLE, refusal());
        apply(new RoomCommand.Grant("r", 1, 0, "b", 0));
        apply(new RoomCommand.RaiseHand("r", 3, 0));
        apply(new RoomCommand.Revoke("r", 2, 0, "mine"));
        assertEquals(Refusal.NOT_A_CHAIR, refusal());
        apply(new RoomCommand.Revoke("r", 1, 5, "off topic"));
        assertEquals(List.of("REVOKED b [c] (off topic)", "FloorIdle"), events());
        assertEquals(5, out.receiptRequestId());
        assertEquals(out.events().get(0).seq(), out.receiptSeq());
        assertNull(holder());
        apply(new RoomCommand.Deny("r", 1, 6, "b", "no"));
        assertEquals(Refusal.NOT_REQUESTED, refusal());
        apply(new RoomCommand.Deny("r", 1, 6, "c", "not now"));
        assertEquals(List.of("DENIED c [] (not now)"), events());
        apply(new RoomCommand.Deny("r", 1, 6, "c", "x".repeat(RoomRules.MAX_REASON_CHARS + 1)));
        assertEquals(Refusal.INVALID_OPTION, refusal());
    }

    @Test
    void withARevokeGraceTheRevokedHolderMayFinishOnceUntilTheGraceRunsOut() {
        room(new FloorRules(TurnPolicy.MODERATED, 3, 0, 0, 0, "", false, 5_000));
        apply(new RoomCommand.Grant("r", 1, 0, "b", 0));
        apply(new RoomCommand.Revoke("r", 1, 9, "wrap up"));
        assertEquals(List.of("REVOKED b [] (wrap up)"), events(), "told at once; the floor is not free yet");
        assertEquals(5_000, ((RoomEvent.FloorUpdate) out.events().get(0)).talkTimeMillis());
        assertEquals(9, out.receiptRequestId());
        assertTrue(out.deadlineChanged(), "the store's timer moves to the grace's end");
        assertEquals("b", holder());
        assertEquals(now + 5_000, s.deadlineMillis());
        apply(new RoomCommand.Grant("r", 1, 0, "c", 0));
        assertEquals(Refusal.FLOOR_TAKEN, refusal());
        apply(new RoomCommand.Say("r", 2, 0, "my last word"));
        assertEquals(List.of("Said", "RELEASED b []", "FloorIdle"), events(),
                "one Say finishes, though three a turn are allowed");

        apply(new RoomCommand.Grant("r", 1, 0, "c", 0));
        apply(new RoomCommand.Revoke("r", 1, 0, "now"));
        apply(new RoomCommand.Revoke("r", 1, 0, "I said now"));
        assertEquals(List.of("REVOKED c [] (I said now)", "FloorIdle"), events(), "a second Revoke ends it at once");
        assertNull(holder());

        apply(new RoomCommand.Grant("r", 1, 0, "b", 0));
        long turn = s.turn();
        apply(new RoomCommand.Revoke("r", 1, 0, ""));
        now += 5_000;
        apply(new RoomCommand.ExpireTurn("r", turn));
        assertEquals(List.of("TurnExpired", "RELEASED b []", "FloorIdle"), events(), "or the grace runs out");

        apply(new RoomCommand.Grant("r", 1, 0, "b", 1_000));
        apply(new RoomCommand.Revoke("r", 1, 0, ""));
        assertEquals(1_000, ((RoomEvent.FloorUpdate) out.events().get(0)).talkTimeMillis(),
                "never longer than the turn had left");
        apply(new RoomCommand.Pass("r", 2, 0));
        assertEquals(List.of("Passed", "RELEASED b []", "FloorIdle"), events());
        apply(new RoomCommand.Grant("r", 1, 0, "b", 0));
        apply(new RoomCommand.Say("r", 2, 0, "one"));
        assertEquals("b", holder(), "a new turn has no grace pending: three messages again");
    }

    @Test
    void chairsAppointChairsAndTheLongestPresentMemberSucceedsTheLastChair() {
        room(rules(TurnPolicy.MODERATED));
        apply(new RoomCommand.AppointChair("r", 2, 0, "c"));
        assertEquals(Refusal.NOT_A_CHAIR, refusal());
        apply(new RoomCommand.AppointChair("r", 1, 3, "c"));
        RoomEvent.ChairChanged appointed = assertInstanceOf(RoomEvent.ChairChanged.class, out.events().get(0));
        assertEquals("c", appointed.name());
        assertEquals("a", appointed.by());
        apply(new RoomCommand.AppointChair("r", 1, 3, "c"));
        assertEquals(Refusal.ALREADY_CHAIR, refusal());
        apply(new RoomCommand.Leave("r", 1, 0, LeaveReason.LEFT));
        assertEquals(List.of("MemberLeft"), events(), "c is still a chair: no succession");
        assertEquals(List.of("c"), s.view().chairs());
        apply(new RoomCommand.Leave("r", 3, 0, LeaveReason.DISCONNECTED));
        assertEquals(List.of("MemberLeft", "ChairChanged"), events());
        RoomEvent.ChairChanged heir = (RoomEvent.ChairChanged) out.events().get(1);
        assertEquals("b", heir.name());
        assertEquals("", heir.by(), "by succession");
        apply(new RoomCommand.Join("r", 4, "d", 0, "", true, BASE));
        apply(new RoomCommand.Grant("r", 2, 0, "d", 0));
        assertEquals("d", holder(), "the heir chairs");
    }

    @Test
    void everyChairActOnAMemberAsksChairThenReasonThenMemberAndChangesNothingWhenRefused() {
        String tooLong = "x".repeat(RoomRules.MAX_REASON_CHARS + 1);
        List<java.util.function.BiFunction<Long, String, RoomCommand>> acts = List.of(
                (who, name) -> new RoomCommand.Deny("r", who, 7, name, tooLong),
                (who, name) -> new RoomCommand.Remove("r", who, 7, name, tooLong),
                (who, name) -> new RoomCommand.AppointChair("r", who, 7, name),
                (who, name) -> new RoomCommand.Mute("r", who, 7, name, true),
                (who, name) -> new RoomCommand.Move("r", who, 7, name, true));
        for (var act : acts) {
            room(rules(TurnPolicy.MODERATED));
            long version = s.version();
            apply(act.apply(2L, "zed"));
            assertEquals(Refusal.NOT_A_CHAIR, refusal(), "the chair first: " + act.apply(2L, "zed"));
            apply(act.apply(9L, "zed"));
            assertEquals(Refusal.NOT_A_MEMBER, refusal(), "a stranger is not a member: " + act.apply(9L, "zed"));
            apply(act.apply(1L, "zed"));
            RoomCommand c = act.apply(1L, "zed");
            boolean hasReason = c instanceof RoomCommand.Deny || c instanceof RoomCommand.Remove;
            assertEquals(hasReason ? Refusal.INVALID_OPTION : Refusal.UNKNOWN_MEMBER, refusal(),
                    "then the reason, then the member: " + c);
            assertEquals(7, ((RoomReply.Refused) out.replies().get(0)).requestId(), "the refusal answers the request");
            assertTrue(out.events().isEmpty(), "a refusal tells nobody else");
            assertEquals(version, s.version(), "and changes nothing: " + c);
        }
    }

    @Test
    void aChairStepsDownAndTheLastChairsStepIsFollowedByTheLongestPresentOtherMember() {
        room(rules(TurnPolicy.MODERATED));
        apply(new RoomCommand.StepDown("r", 2, 4));
        assertEquals(Refusal.NOT_A_CHAIR, refusal());
        apply(new RoomCommand.AppointChair("r", 1, 0, "c"));
        apply(new RoomCommand.StepDown("r", 1, 4));
        assertEquals(List.of("ChairChanged"), events(), "c still chairs: no succession");
        RoomEvent.ChairChanged down = (RoomEvent.ChairChanged) out.events().get(0);
        assertTrue(down.steppedDown());
        assertEquals("a", down.name());
        assertEquals(4, out.receiptRequestId());
        assertEquals(List.of("c"), s.view().chairs());
        apply(new RoomCommand.StepDown("r", 3, 0));
        assertEquals(List.of("ChairChanged", "ChairChanged"), events());
        RoomEvent.ChairChanged heir = (RoomEvent.ChairChanged) out.events().get(1);
        assertEquals("a", heir.name(), "a was present longest; c, stepping down, is left out");
        assertFalse(heir.steppedDown());
        assertEquals("", heir.by());
        assertEquals(List.of("a"), s.view().chairs());

        apply(new RoomCommand.Leave("r", 2, 0, LeaveReason.LEFT));
        apply(new RoomCommand.Leave("r", 3, 0, LeaveReason.LEFT));
        long version = s.version();
        apply(new RoomCommand.StepDown("r", 1, 5));
        assertInstanceOf(RoomReply.StepDownUnchanged.class, out.replies().get(0), "alone: a room always has a chair");
        assertTrue(out.events().isEmpty());
        assertEquals(version, s.version());
        assertEquals(List.of("a"), s.view().chairs());
    }

    // ------------------------------------------------------------------ moderation (every policy)

    @Test
    void aMutedMemberIsPassedOverInRoundRobinAndLosesTheTurnItHeld() {
        room(FloorRules.DEFAULT);
        assertEquals("a", holder());
        apply(new RoomCommand.Mute("r", 2, 0, "c", true));
        assertEquals(Refusal.NOT_A_CHAIR, refusal());
        apply(new RoomCommand.Mute("r", 1, 8, "b", true));
        assertEquals(List.of("MemberMuted"), events());
        assertEquals(8, out.receiptRequestId());
        apply(new RoomCommand.Pass("r", 1, 0));
        assertEquals(List.of("Passed", "turn c"), events(), "b is muted: passed over");
        apply(new RoomCommand.Mute("r", 1, 0, "c", true));
        assertEquals(List.of("MemberMuted", "REVOKED c [] (muted)", "turn a"), events());
        apply(new RoomCommand.Mute("r", 1, 0, "c", true));
        assertInstanceOf(RoomReply.MuteUnchanged.class, out.replies().get(0));
        assertFalse(out.changed(), "muting a muted member changes nothing");
        apply(new RoomCommand.Mute("r", 1, 0, "b", false));
        apply(new RoomCommand.Pass("r", 1, 0));
        assertEquals(List.of("Passed", "turn b"), events(), "unmuted: back in the rotation");
    }

    @Test
    void aMutedMemberCannotAskForNorBeGrantedTheFloorAndItsRequestIsDenied() {
        room(rules(TurnPolicy.MODERATED));
        apply(new RoomCommand.RaiseHand("r", 2, 0));
        apply(new RoomCommand.Mute("r", 1, 0, "b", true));
        assertEquals(List.of("MemberMuted", "DENIED b [] (muted)"), events());
        apply(new RoomCommand.RaiseHand("r", 2, 0));
        assertEquals(Refusal.MUTED, refusal());
        apply(new RoomCommand.Grant("r", 1, 0, "b", 0));
        assertEquals(Refusal.MUTED, refusal());
        assertEquals(List.of("b"), s.view().muted());
    }

    @Test
    void aChairRemovesAMemberWhoIsToldWhyAndLosesItsInvitation() {
        room(new RoomSettings(30_000, 10, "", true, 100, 64, FloorRules.DEFAULT));
        s = null;
        apply(new RoomCommand.Join("r", 1, "a", 0, "", true, new RoomSettings(30_000, 10, "", true, 100, 64)));
        apply(new RoomCommand.Invite("r", 1, 0, "b"));
        apply(new RoomCommand.Join("r", 2, "b", 0, "", true, BASE));
        apply(new RoomCommand.Remove("r", 2, 0, "a", "bye"));
        assertEquals(Refusal.NOT_A_CHAIR, refusal());
        apply(new RoomCommand.Remove("r", 1, 6, "b", "spam"));
        RoomEvent.MemberRemoved removed = assertInstanceOf(RoomEvent.MemberRemoved.class, out.events().get(0));
        assertEquals("b", removed.name());
        assertEquals("a", removed.by());
        assertEquals("spam", removed.message());
        RoomReply.Removed told = assertInstanceOf(RoomReply.Removed.class, out.replies().get(0));
        assertEquals(2, told.sessionId());
        assertEquals(6, out.receiptRequestId());
        assertEquals(removed.seq(), out.receiptSeq());
        assertEquals(List.of(2L), out.removed().stream().map(RoomMember::sessionId).toList());
        assertFalse(s.invited().contains("b"));
        assertNull(holder(), "a is alone");
        apply(new RoomCommand.Join("r", 2, "b", 0, "", true, BASE));
        assertEquals(Refusal.NOT_INVITED, refusal());
    }

    @Test
    void aPairsPrivateRoomHasNoChairs() {
        s = null;
        apply(new RoomCommand.AdmitPair("~p", BASE.forPair(), new RoomCommand.Pairing(1, "a", 0),
                new RoomCommand.Pairing(2, "b", 0)));
        apply(new RoomCommand.Remove("~p", 1, 0, "b", ""));
        assertEquals(Refusal.NOT_A_CHAIR, refusal());
    }

    @Test
    void aChairMayNotRemoveDenyOrMuteItselfAndIsToldSoWithoutAnyChange() {
        room(rules(TurnPolicy.MODERATED));
        apply(new RoomCommand.RaiseHand("r", 1, 0));
        for (RoomCommand c : List.of(new RoomCommand.Remove("r", 1, 7, "a", "bye"),
                new RoomCommand.Deny("r", 1, 7, "a", "no"), new RoomCommand.Mute("r", 1, 7, "a", true))) {
            long version = s.version();
            apply(c);
            assertEquals(Refusal.SELF_TARGETED, refusal(), c.toString());
            assertEquals(7, ((RoomReply.Refused) out.replies().get(0)).requestId());
            assertTrue(out.events().isEmpty(), "nobody else hears of it: " + c);
            assertEquals(version, s.version(), "and nothing changes: " + c);
        }
        assertEquals(List.of("a"), s.view().queue(), "the hand is still up: Withdraw takes it down");
        assertEquals(1, s.members().stream().filter(m -> m.name().equals("a")).count());
    }

    @Test
    void aChairMayUnmuteMoveAndGrantItself() {
        room(rules(TurnPolicy.MODERATED));
        apply(new RoomCommand.AppointChair("r", 1, 0, "b"));
        apply(new RoomCommand.Mute("r", 2, 0, "a", true));
        assertEquals(List.of("a"), s.view().muted());
        apply(new RoomCommand.Mute("r", 1, 3, "a", false));
        assertEquals(List.of("MemberMuted"), events(), "a chair muted by another takes its voice back");
        assertEquals(List.of(), s.view().muted());
        apply(new RoomCommand.Move("r", 1, 0, "a", true));
        assertEquals(List.of("MemberMoved"), events());
        apply(new RoomCommand.Move("r", 1, 0, "a", false));
        assertEquals(List.of("MemberMoved"), events());
        apply(new RoomCommand.Grant("r", 1, 0, "a", 0));
        assertEquals(List.of("GRANTED a []", "turn a"), events());
    }

    @Test
    void aChairRevokingItsOwnTurnEndsItAtOnceWithoutTheGrace() {
        room(new FloorRules(TurnPolicy.MODERATED, 1, 0, 0, 0, "", false, 5_000));
        apply(new RoomCommand.Grant("r", 1, 0, "a", 0));
        apply(new RoomCommand.Revoke("r", 1, 4, "done"));
        assertEquals(List.of("REVOKED a [] (done)", "FloorIdle"), events(), "no time to finish: it chose to stop");
        assertEquals(4, out.receiptRequestId());
        assertNull(holder());
        apply(new RoomCommand.Grant("r", 1, 0, "b", 0));
        apply(new RoomCommand.Revoke("r", 1, 0, "wrap up"));
        assertEquals(List.of("REVOKED b [] (wrap up)"), events(), "another holder still gets the grace");
    }

    // ------------------------------------------------------------------ why it is not your turn

    private String whyNot(long sessionId) {
        apply(new RoomCommand.Say("r", sessionId, 0, "may I?"));
        RoomReply.Refused refused = assertInstanceOf(RoomReply.Refused.class, out.replies().get(0));
        assertEquals(Refusal.NOT_YOUR_TURN, refused.refusal(), "the code is the same whatever the cause");
        return refused.message();
    }

    @Test
    void notYourTurnSaysWhyInEveryPolicy() {
        s = null;
        apply(new RoomCommand.Join("r", 1, "a", 0, "", true, BASE));
        assertEquals("r is waiting for a second member", whyNot(1));
        apply(new RoomCommand.Join("r", 2, "b", 0, "", true, BASE));
        assertEquals("a holds the floor in r", whyNot(2));
        apply(new RoomCommand.Join("r", 4, "d", 0, "", true, BASE, true));
        assertEquals("you are in the audience of r: raise your hand to speak", whyNot(4));
        apply(new RoomCommand.RaiseHand("r", 4, 0));
        assertEquals("you are in the audience of r: your hand is raised, number 1 in the queue", whyNot(4));
        apply(new RoomCommand.Mute("r", 1, 0, "b", true));
        assertEquals("you are muted in r", whyNot(2));

        room(rules(TurnPolicy.QUEUE));
        assertEquals("the floor is idle in r: raise your hand", whyNot(2));
        apply(new RoomCommand.RaiseHand("r", 2, 0));
        assertEquals("b holds the floor in r: raise your hand", whyNot(3));
        apply(new RoomCommand.RaiseHand("r", 1, 0));
        apply(new RoomCommand.RaiseHand("r", 3, 0));
        assertEquals("b holds the floor in r: your hand is raised, number 2 in the queue", whyNot(3));

        room(rules(TurnPolicy.MODERATED));
        assertEquals("the floor is idle in r: raise your hand; a chair gives the floor", whyNot(2));
        assertEquals("the floor is idle in r: as a chair, grant it (to yourself too)", whyNot(1));
        apply(new RoomCommand.RaiseHand("r", 2, 0));
        assertEquals("the floor is idle in r: your hand is raised, number 1 in the queue; a chair gives the floor",
                whyNot(2));
        apply(new RoomCommand.Mute("r", 1, 0, "c", true));
        assertEquals("you are muted in r", whyNot(3));
    }

    // ------------------------------------------------------------------ audience

    @Test
    void anAudienceMemberListensOutsideTheRotationUntilAChairMovesItToTheSpeakers() {
        room(FloorRules.DEFAULT);
        apply(new RoomCommand.Join("r", 4, "d", 0, "", true, BASE, true));
        assertEquals(List.of("MemberJoined", "MemberMoved"), events(), "the others learn that d is audience");
        assertEquals(List.of("d"), s.view().audience());
        apply(new RoomCommand.Pass("r", 1, 0));
        apply(new RoomCommand.Pass("r", 2, 0));
        apply(new RoomCommand.Pass("r", 3, 0));
        assertEquals(List.of("Passed", "turn a"), events(), "d is audience: not in the rotation");
        apply(new RoomCommand.Say("r", 4, 0, "me?"));
        assertEquals(Refusal.NOT_YOUR_TURN, refusal());
        apply(new RoomCommand.RaiseHand("r", 4, 3));
        assertEquals(List.of("PENDING d [d]"), events(), "in round robin only the audience raises hands");
        apply(new RoomCommand.Move("r", 2, 0, "d", false));
        assertEquals(Refusal.NOT_A_CHAIR, refusal());
        apply(new RoomCommand.Move("r", 1, 5, "d", false));
        assertEquals(List.of("MemberMoved", "ACCEPTED d []"), events());
        assertEquals(5, out.receiptRequestId());
        apply(new RoomCommand.Pass("r", 1, 0));
        apply(new RoomCommand.Pass("r", 2, 0));
        apply(new RoomCommand.Pass("r", 3, 0));
        assertEquals(List.of("Passed", "turn d"), events(), "a speaker now");
        apply(new RoomCommand.Move("r", 1, 0, "d", true));
        assertEquals(List.of("MemberMoved", "REVOKED d [] (moved to the audience)", "turn a"), events());
        apply(new RoomCommand.Move("r", 1, 0, "d", true));
        assertInstanceOf(RoomReply.MoveUnchanged.class, out.replies().get(0));
        assertFalse(out.changed());
    }

    @Test
    void inAQueueRoomAnAudienceMembersGrantedHandMovesItToTheSpeakers() {
        room(rules(TurnPolicy.QUEUE));
        apply(new RoomCommand.Join("r", 4, "d", 0, "", true, BASE, true));
        apply(new RoomCommand.RaiseHand("r", 4, 0));
        assertEquals(List.of("PENDING d [d]", "MemberMoved", "GRANTED d []", "turn d"), events());
        assertEquals(List.of(), s.view().audience());
    }

    @Test
    void inRoundRobinTheAudienceCountsTowardTwoMembersSoALecturesOneSpeakerHasTheFloor() {
        s = null;
        apply(new RoomCommand.Join("r", 1, "a", 0, "", true, BASE));
        assertNull(holder());
        apply(new RoomCommand.Join("r", 2, "b", 0, "", true, BASE, true));
        assertEquals(List.of("MemberJoined", "MemberMoved", "turn a"), events(), "a speaker and an audience");
        apply(new RoomCommand.Say("r", 1, 0, "today: floor control"));
        assertEquals(List.of("Said", "turn a"), events(), "the lone speaker keeps speaking, turn after turn");
        apply(new RoomCommand.Leave("r", 2, 0, LeaveReason.LEFT));
        assertNull(holder(), "alone again: the room waits");
        apply(new RoomCommand.Join("r", 3, "c", 0, "", true, BASE, true));
        assertEquals("a", holder(), "an audience member's return starts turns again");
    }

    @Test
    void inQueueAndModeratedRoomsAnAudienceJoinGivesNobodyTheFloor() {
        for (TurnPolicy policy : List.of(TurnPolicy.QUEUE, TurnPolicy.MODERATED)) {
            s = null;
            RoomSettings settings = BASE.withFloor(rules(policy));
            apply(new RoomCommand.Join("r", 1, "a", 0, "", true, settings));
            apply(new RoomCommand.Join("r", 2, "b", 0, "", true, settings, true));
            assertEquals(List.of("MemberJoined", "MemberMoved"), events(), policy + ": announced, nothing granted");
            apply(new RoomCommand.Join("r", 3, "c", 0, "", true, settings));
            apply(new RoomCommand.Join("r", 4, "d", 0, "", true, settings, true));
            assertEquals(List.of("MemberJoined", "MemberMoved"), events(), policy.toString());
            apply(new RoomCommand.Away("r", 4));
            apply(new RoomCommand.Back("r", 4, s.seq()));
            assertEquals(List.of("MemberBack"), events(), policy + ": nor does its return");
            assertNull(holder(), policy + ": the floor stays idle until someone raises a hand");
            assertTrue(s.view().waiting());
        }
    }

    @Test
    void theCreatorIsNeverAudience() {
        s = null;
        apply(new RoomCommand.Join("r", 1, "a", 0, "", true, BASE, true));
        assertEquals(List.of(), s.view().audience());
    }

    // ------------------------------------------------------------------ messages per turn and warnings

    @Test
    void aHolderMaySayUpToNThingsAndPassEndsTheTurnEarly() {
        room(new FloorRules(TurnPolicy.ROUND_ROBIN, 3, 0, 0, 0, "", false));
        apply(new RoomCommand.Say("r", 1, 0, "one"));
        assertEquals(List.of("Said"), events());
        assertFalse(out.deadlineChanged(), "the same turn, the same deadline");
        apply(new RoomCommand.Say("r", 1, 0, "two"));
        apply(new RoomCommand.Say("r", 1, 0, "three"));
        assertEquals(List.of("Said", "turn b"), events());
        apply(new RoomCommand.Say("r", 2, 0, "one"));
        apply(new RoomCommand.Pass("r", 2, 0));
        assertEquals(List.of("Passed", "turn c"), events());
        apply(new RoomCommand.Say("r", 3, 0, "one"));
        apply(new RoomCommand.Say("r", 3, 0, "two"));
        assertEquals("c", holder(), "a new turn counts afresh");
    }

    @Test
    void theHolderIsWarnedBeforeItsTurnRunsOut() {
        room(new FloorRules(TurnPolicy.MODERATED, 1, 3_000, 0, 0, "", false));
        apply(new RoomCommand.Grant("r", 1, 0, "b", 10_000));
        assertEquals(now + 7_000, s.wakeAtMillis());
        assertTrue(out.deadlineChanged());
        now += 6_999;
        apply(new RoomCommand.Wake("r"));
        assertFalse(out.changed(), "not due yet");
        now += 1;
        apply(new RoomCommand.Wake("r"));
        RoomReply.TurnWarning warning = assertInstanceOf(RoomReply.TurnWarning.class, out.replies().get(0));
        assertEquals(2, warning.sessionId());
        assertEquals(3_000, warning.remainingMillis());
        assertEquals(s.turn(), warning.turn());
        assertEquals(0, s.wakeAtMillis(), "warned once");
        apply(new RoomCommand.Wake("r"));
        assertFalse(out.changed(), "a duplicate wake-up changes nothing");
        apply(new RoomCommand.Grant("r", 1, 0, "c", 2_000));
        assertEquals(Refusal.FLOOR_TAKEN, refusal());
        apply(new RoomCommand.Pass("r", 2, 0));
        apply(new RoomCommand.Grant("r", 1, 0, "c", 2_000));
        assertEquals(0, s.wakeAtMillis(), "a turn no longer than the warning gets none");
    }

    // ------------------------------------------------------------------ end rules

    private RoomEvent.RoomEnded endedBy() {
        return assertInstanceOf(RoomEvent.RoomEnded.class, out.events().get(out.events().size() - 1));
    }

    @Test
    void aRoomEndsAfterNTurns() {
        room(new FloorRules(TurnPolicy.ROUND_ROBIN, 1, 0, 3, 0, "", false));
        apply(new RoomCommand.Say("r", 1, 0, "1"));
        apply(new RoomCommand.Pass("r", 2, 0));
        assertEquals(2, s.floor().turnsEnded());
        now += 30_000;
        apply(new RoomCommand.ExpireTurn("r", s.turn()));
        assertEquals(EndRule.AFTER_TURNS, endedBy().rule());
        assertEquals(List.of("TurnExpired", "RoomEnded"), events(), "no next turn is granted");
        assertTrue(s.isClosed());
        assertEquals(3, out.removed().size(), "every member's room slot is free");
    }

    @Test
    void aRoomEndsAfterItsTimeOnTheWakeUp() {
        room(new FloorRules(TurnPolicy.QUEUE, 1, 0, 0, 60_000, "", false));
        assertEquals(now + 60_000, s.wakeAtMillis());
        now += 59_999;
        apply(new RoomCommand.Wake("r"));
        assertFalse(out.changed());
        now += 1;
        apply(new RoomCommand.Wake("r"));
        assertEquals(EndRule.AFTER_TIME, endedBy().rule());
        assertEquals("the room ended after 1 min", endedBy().reason(), "said as people read it, not in ms");
        assertTrue(s.isClosed());
    }

    @Test
    void durationsInMessagesReadAsPeopleSayThem() {
        assertEquals("45 s", RoomRules.duration(45_000));
        assertEquals("2 min", RoomRules.duration(120_000));
        assertEquals("1 min 30 s", RoomRules.duration(90_000));
        assertEquals("1500 ms", RoomRules.duration(1_500));
    }

    @Test
    void aRoomEndsWhenTheStopPhraseIsSaidInAnyCase() {
        room(new FloorRules(TurnPolicy.ROUND_ROBIN, 2, 0, 0, 0, "TERMINATE", false));
        apply(new RoomCommand.Say("r", 1, 0, "we should not terminat"));
        assertFalse(s.isClosed());
        apply(new RoomCommand.Say("r", 1, 0, "ok, terminate now"));
        assertEquals(List.of("Said", "RoomEnded"), events(), "said, then ended, mid-turn");
        assertEquals(EndRule.STOP_PHRASE, endedBy().rule());
    }

    @Test
    void endRulesCombinedWithAndAllHaveToHold() {
        room(new FloorRules(TurnPolicy.ROUND_ROBIN, 1, 0, 2, 0, "bye", true));
        apply(new RoomCommand.Say("r", 1, 0, "bye"));
        assertFalse(s.isClosed(), "the phrase alone is not enough");
        apply(new RoomCommand.Say("r", 2, 0, "hm"));
        assertEquals(EndRule.AFTER_TURNS, endedBy().rule(), "the turn count completed the AND");

        room(new FloorRules(TurnPolicy.ROUND_ROBIN, 1, 0, 1, 10_000, "", true));
        apply(new RoomCommand.Pass("r", 1, 0));
        assertFalse(s.isClosed(), "one turn, but not yet the time");
        now += 10_000;
        apply(new RoomCommand.Wake("r"));
        assertEquals(EndRule.AFTER_TIME, endedBy().rule());
    }

    @Test
    void endRulesCombinedWithOrNeedOnlyOne() {
        room(new FloorRules(TurnPolicy.ROUND_ROBIN, 1, 0, 5, 10_000, "bye", false));
        now += 10_000;
        apply(new RoomCommand.Wake("r"));
        assertEquals(EndRule.AFTER_TIME, endedBy().rule());
    }

    @Test
    void aTimeUpThatIsNotEnoughUnderAndIsNotWokenForAgain() {
        room(new FloorRules(TurnPolicy.ROUND_ROBIN, 1, 0, 3, 10_000, "", true));
        now += 10_000;
        apply(new RoomCommand.Wake("r"));
        assertFalse(s.isClosed());
        assertEquals(0, s.wakeAtMillis(), "no wake-up loop once the time is up");
    }

    // ------------------------------------------------------------------ invariants, every policy

    @Test
    void underRandomCommandsEveryPolicyKeepsOneHolderAGaplessSeqAndAConsistentQueue() {
        Random random = new Random(13);
        for (TurnPolicy policy : TurnPolicy.values()) {
            room(new FloorRules(policy, 2, 1_000, 0, 0, "", false));
            Set<Long> members = new HashSet<>(List.of(1L, 2L, 3L));
            long seq = s.seq();
            for (int step = 0; step < 3_000 && s != null; step++) {
                long who = 1 + random.nextInt(5);
                String other = "abcde".substring(random.nextInt(5)).substring(0, 1);
                RoomCommand c = switch (random.nextInt(16)) {
                    case 14 -> new RoomCommand.Move("r", who, 0, other, random.nextBoolean());
                    case 0 -> new RoomCommand.Say("r", who, 0, "x");
                    case 1 -> new RoomCommand.Pass("r", who, 0);
                    case 2 -> new RoomCommand.RaiseHand("r", who, 0);
                    case 3 -> new RoomCommand.Withdraw("r", who, 0);
                    case 4 -> new RoomCommand.Grant("r", who, 0, random.nextBoolean() ? "" : other, 0);
                    case 5 -> new RoomCommand.Revoke("r", who, 0, "r");
                    case 6 -> new RoomCommand.Deny("r", who, 0, other, "d");
                    case 7 -> new RoomCommand.Mute("r", who, 0, other, random.nextBoolean());
                    case 8 -> new RoomCommand.AppointChair("r", who, 0, other);
                    case 9 -> new RoomCommand.Away("r", who);
                    case 10 -> new RoomCommand.Back("r", who, s.seq());
                    case 11 -> new RoomCommand.ExpireTurn("r", s.turn());
                    case 12 -> members.size() > 2 ? new RoomCommand.Leave("r", who, 0, LeaveReason.LEFT)
                            : random.nextBoolean() ? new RoomCommand.Wake("r") : new RoomCommand.StepDown("r", who, 0);
                    default -> new RoomCommand.Join("r", who, "abcde".substring((int) who - 1, (int) who), 0, "",
                            true, BASE, random.nextBoolean());
                };
                now += random.nextInt(500);
                RoomRules.apply(s, c, now, out);
                s = out.state();
                for (RoomEvent e : out.events()) {
                    assertEquals(++seq, e.seq(), policy + ": no gaps, at " + c);
                }
                if (s == null || s.isClosed()) {
                    break;
                }
                members.clear();
                s.members().forEach(m -> members.add(m.sessionId()));
                RoomMember holder = s.holder();
                Floor f = s.floor();
                if (holder != null) {
                    assertFalse(holder.away(), policy + ": an away member never holds the turn");
                    assertFalse(f.isMuted(holder.sessionId()), policy + ": a muted member never holds the turn");
                    assertFalse(f.isQueued(holder.sessionId()), policy + ": the holder is not also queued");
                    assertFalse(f.isAudience(holder.sessionId()), policy + ": the audience never holds the turn");
                }
                assertEquals(new HashSet<>(f.queue()).size(), f.queue().size(), policy + ": no request twice");
                assertTrue(members.containsAll(f.queue()) && members.containsAll(f.chairs())
                        && members.containsAll(f.muted()) && members.containsAll(f.audience()), policy + ": the floor names members only");
                assertFalse(f.chairs().isEmpty(), policy + ": a room always has a chair");
                if (policy == TurnPolicy.ROUND_ROBIN) {
                    assertTrue(f.audience().containsAll(f.queue()), "round robin: only the audience raises hands");
                }
            }
        }
    }
}
