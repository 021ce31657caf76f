package dev.hotpochato.server.room.rules;

import dev.hotpochato.server.room.rules.RoomCommand.AdmitPair;
import dev.hotpochato.server.room.rules.RoomCommand.Away;
import dev.hotpochato.server.room.rules.RoomCommand.Back;
import dev.hotpochato.server.room.rules.RoomCommand.Close;
import dev.hotpochato.server.room.rules.RoomCommand.ExpireTurn;
import dev.hotpochato.server.room.rules.RoomCommand.Invite;
import dev.hotpochato.server.room.rules.RoomCommand.Join;
import dev.hotpochato.server.room.rules.RoomCommand.Leave;
import dev.hotpochato.server.room.rules.RoomCommand.Pass;
import dev.hotpochato.server.room.rules.RoomCommand.Say;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * The turn rules, as a state machine: a room's state and a command in, the new state and what
 * happened out. Pure: no clock (the time is an input), no timers, no I/O, no connections, no wire
 * types; the same state, command and time always give the same outcome. Delivery, history, timers
 * and persistence belong to the store that calls it.
 *
 * <pre>{@code
 * RoomOutcome out = new RoomOutcome();           // one per thread, reused
 * RoomRules.apply(state, new RoomCommand.Say("tea", session, requestId, "hi"), now, out);
 * state = out.state();                           // null if there is no such room (any more)
 * }</pre>
 *
 * <p>Round robin: members take turns in join order; a turn ends when its holder says one thing,
 * passes, leaves, goes away or runs out of time, and goes to the next member who is present, each
 * away member passed over getting a {@code TurnSkipped}. Turns run while at least two members are
 * in the room (audience members count, though only speakers take turns) and someone is present.
 *
 * <p>Other policies ({@link TurnPolicy}) share the floor otherwise: in a {@link TurnPolicy#QUEUE}
 * room members raise a hand and the head of the queue gets the turn; in a
 * {@link TurnPolicy#MODERATED} room a chair grants it. Every public room has chairs (its creator
 * first) who may appoint chairs, mute and remove members; when the last chair leaves, the
 * longest-present member (the first in join order) becomes chair. Every policy honours the room's
 * messages per turn, talk-time warning and end rules ({@link FloorRules}). The floor's state is
 * {@link RoomState#floor()}, replaced whole on every change.
 */
public final class RoomRules {

    /**
     * The most invitations a room keeps (the creator's own name included): a creator inviting more
     * gets {@link Refusal#TOO_MANY_INVITATIONS}. Invitations last for the room's life, so without a
     * cap one client could make the server keep any number of names.
     */
    public static final int MAX_INVITATIONS = 100;

    private RoomRules() {
    }

    /**
     * Applies {@code command} to {@code state} at time {@code nowMillis}, and writes what happened to
     * {@code out} (cleared first). The state is changed in place (copy it first to keep the old
     * one); a refusal changes nothing. {@code state} is null for a room that does not exist: a Join
     * or AdmitPair then creates it, and anything else is refused or ignored.
     */
    public static void apply(RoomState state, RoomCommand command, long nowMillis, RoomOutcome out) {
        out.reset(state);
        if (state != null && state.closed) {
            state = null; // a closed room is gone; a store that still holds it treats it as absent
            out.state(null);
        }
        long wakeBefore = state == null ? 0 : state.wakeAtMillis();
        if (command instanceof Say c) {
            say(state, c, nowMillis, out);
        } else if (command instanceof Pass c) {
            pass(state, c, nowMillis, out);
        } else if (command instanceof ExpireTurn c) {
            expire(state, c, nowMillis, out);
        } else if (command instanceof Join c) {
            join(state, c, nowMillis, out);
        } else if (command instanceof Leave c) {
            leave(state, c, nowMillis, out);
        } else if (command instanceof Invite c) {
            invite(state, c, out);
        } else if (command instanceof Away c) {
            away(state, c, nowMillis, out);
        } else if (command instanceof Back c) {
            back(state, c, nowMillis, out);
        } else if (command instanceof Close c) {
            if (state != null) {
                close(state, c.reason(), out);
            }
        } else if (command instanceof AdmitPair c) {
            admitPair(state, c, nowMillis, out);
        } else if (command instanceof RoomCommand.RaiseHand c) {
            raiseHand(state, c, nowMillis, out);
        } else if (command instanceof RoomCommand.Withdraw c) {
            withdraw(state, c, out);
        } else if (command instanceof RoomCommand.Grant c) {
            grantFloor(state, c, nowMillis, out);
        } else if (command instanceof RoomCommand.Revoke c) {
            revoke(state, c, nowMillis, out);
        } else if (command instanceof RoomCommand.Deny c) {
            deny(state, c, out);
        } else if (command instanceof RoomCommand.AppointChair c) {
            appointChair(state, c, out);
        } else if (command instanceof RoomCommand.StepDown c) {
            stepDown(state, c, out);
        } else if (command instanceof RoomCommand.Mute c) {
            mute(state, c, nowMillis, out);
        } else if (command instanceof RoomCommand.Remove c) {
            remove(state, c, nowMillis, out);
        } else if (command instanceof RoomCommand.Move c) {
            move(state, c, nowMillis, out);
        } else if (command instanceof RoomCommand.Wake c) {
            wake(state, nowMillis, out);
        } else {
            throw new IllegalArgumentException("unknown command " + command);
        }
        if (out.changed() && out.state() != null) {
            out.state().version++;
            // A new wake-up time (a warning, the room's time running out) is the store's timer too.
            out.deadlineChanged(out.state().wakeAtMillis() != wakeBefore);
        }
    }

    /**
     * Whether a {@link Join} gets as far as needing a room slot, so that the caller takes one only
     * then: a Join refused for the password, say, must not count against the session's rooms even
     * for a moment. (The rules ask in this order: membership, visibility, password, invitation,
     * slot, name, capacity.)
     */
    public static boolean joinNeedsSlot(RoomState state, long sessionId, String name, String password) {
        if (state == null || state.closed) {
            return true;
        }
        return state.indexOf(sessionId) < 0 && !state.isPrivate()
                && (state.creatorSessionId < 0 || (passwordMatches(state.settings(), password)
                && (!state.settings().inviteOnly() || state.invited.contains(name))));
    }

    // ------------------------------------------------------------------ membership

    private static void join(RoomState state, Join c, long now, RoomOutcome out) {
        if (state == null) {
            state = RoomState.create(c.room(), c.settings(), false);
            out.state(state);
        }
        String name = state.name();
        if (state.indexOf(c.sessionId()) >= 0) {
            refuse(out, state, c.sessionId(), c.requestId(), Refusal.ALREADY_MEMBER, "already a member of " + name);
        } else if (state.isPrivate()) {
            // Private rooms are only ever entered through pairing; to anyone else they do not exist.
            refuse(out, state, c.sessionId(), c.requestId(), Refusal.UNKNOWN_ROOM, "no room named " + name);
        } else if (state.creatorSessionId >= 0 && !passwordMatches(state.settings(), c.password())) {
            refuse(out, state, c.sessionId(), c.requestId(), Refusal.WRONG_PASSWORD, "wrong password for " + name);
        } else if (state.creatorSessionId >= 0 && state.settings().inviteOnly() && !state.invited.contains(c.name())) {
            refuse(out, state, c.sessionId(), c.requestId(), Refusal.NOT_INVITED, name + " is invite-only");
        } else if (!c.slotTaken()) {
            refuse(out, state, c.sessionId(), c.requestId(), Refusal.TOO_MANY_ROOMS, "already in as many rooms as allowed");
        } else {
            admit(state, c.sessionId(), c.name(), c.requestId(), c.audience() && state.creatorSessionId >= 0, now, out);
        }
        if (state.members.isEmpty()) {
            out.state(null); // the creator was refused: no empty room is left behind
        }
    }

    /** Constant time, so that how long a refusal takes tells nothing about the password. */
    private static boolean passwordMatches(RoomSettings settings, String given) {
        return settings.password().isEmpty() || MessageDigest.isEqual(
                settings.password().getBytes(StandardCharsets.UTF_8),
                (given == null ? "" : given).getBytes(StandardCharsets.UTF_8));
    }

    /** Seats a session whose room slot is taken; false if the room refused it. */
    private static boolean admit(RoomState state, long sessionId, String name, long requestId, boolean audience,
                                 long now, RoomOutcome out) {
        for (RoomMember m : state.members) {
            if (m.name().equals(name)) {
                refuse(out, state, sessionId, requestId, Refusal.NAME_TAKEN,
                        "the name " + name + " is taken in " + state.name());
                return false;
            }
        }
        if (state.members.size() >= state.settings().maxMembers()) {
            refuse(out, state, sessionId, requestId, Refusal.ROOM_FULL,
                    state.name() + " is full (" + state.settings().maxMembers() + " members)");
            return false;
        }
        if (state.creatorSessionId < 0) {
            state.creatorSessionId = sessionId;
            state.invited.add(name); // the creator may always come back
            // The creator is the first chair; a pair's private room has none.
            state.floor = new Floor(state.isPrivate() ? List.of() : List.of(sessionId), List.of(), List.of(), 0, 0,
                    now, false, false, 0);
        }
        if (!state.members.isEmpty()) {
            out.event(new RoomEvent.MemberJoined(++state.seq, sessionId, name));
        }
        RoomMember member = new RoomMember(sessionId, name, false, state.seq);
        state.members.add(member);
        if (audience) {
            state.floor = state.floor.withAudience(Floor.plus(state.floor.audience(), sessionId));
        }
        out.markChanged();
        out.admitted(member);
        out.reply(new RoomReply.Joined(sessionId, requestId, state.seq, state.view()));
        if (audience) { // MemberJoined does not say so: the others learn it from this
            out.event(new RoomEvent.MemberMoved(++state.seq, sessionId, name, true, ""));
        }
        startTurnsIfReady(state, now, out);
        return true;
    }

    private static void admitPair(RoomState state, AdmitPair c, long now, RoomOutcome out) {
        if (state != null) {
            throw new IllegalStateException("a pair's room must be new: " + c.room() + " exists");
        }
        state = RoomState.create(c.room(), c.settings(), true);
        out.state(state);
        RoomCommand.Pairing first = c.first();
        RoomCommand.Pairing second = c.second();
        out.reply(new RoomReply.Paired(first.sessionId(), first.matchRequestId(), 0, second.name(), true));
        out.reply(new RoomReply.Paired(second.sessionId(), second.matchRequestId(), 0, first.name(), false));
        if (!admit(state, first.sessionId(), first.name(), 0, false, now, out)
                || !admit(state, second.sessionId(), second.name(), 0, false, now, out)) {
            throw new IllegalArgumentException("a pair must be two different names: " + c);
        }
    }

    private static void invite(RoomState state, Invite c, RoomOutcome out) {
        if (!visible(state, c.sessionId())) {
            refuseUnknown(out, c.room(), c.sessionId(), c.requestId());
            return;
        }
        String name = state.name();
        if (state.indexOf(c.sessionId()) < 0) {
            refuse(out, state, c.sessionId(), c.requestId(), Refusal.NOT_A_MEMBER, "not a member of " + name);
        } else if (c.sessionId() != state.creatorSessionId) {
            refuse(out, state, c.sessionId(), c.requestId(), Refusal.NOT_INVITED, "only the creator of " + name + " may invite");
        } else if (!state.invited.contains(c.invitee()) && state.invited.size() >= MAX_INVITATIONS) {
            refuse(out, state, c.sessionId(), c.requestId(), Refusal.TOO_MANY_INVITATIONS,
                    name + " has as many invitations as a room may keep (" + MAX_INVITATIONS + ")");
        } else {
            if (state.invited.add(c.invitee())) {
                out.markChanged();
            }
            out.reply(new RoomReply.Invited(c.sessionId(), c.requestId(), state.seq, c.invitee()));
        }
    }

    private static void leave(RoomState state, Leave c, long now, RoomOutcome out) {
        boolean request = c.reason() == LeaveReason.LEFT;
        if (!visible(state, c.sessionId())) {
            if (request) {
                refuseUnknown(out, c.room(), c.sessionId(), c.requestId());
            }
            return;
        }
        int index = state.indexOf(c.sessionId());
        if (index < 0) {
            if (request) {
                refuse(out, state, c.sessionId(), c.requestId(), Refusal.NOT_A_MEMBER, "not a member of " + state.name());
            }
            return;
        }
        if (request) {
            out.reply(new RoomReply.Left(c.sessionId(), c.requestId(), state.seq));
        }
        RoomMember m = state.members.get(index);
        removeMember(state, index, new RoomEvent.MemberLeft(state.seq + 1, m.sessionId(), m.name(), c.reason()), now,
                out);
    }

    /**
     * Takes the member at {@code index} out of the room, announcing it with {@code announcement}
     * (numbered {@code state.seq + 1}): its requests, chair and mute go with it, a turn it held
     * ends, and if it was the last chair, the longest-present member becomes chair.
     */
    private static void removeMember(RoomState state, int index, RoomEvent announcement, long now, RoomOutcome out) {
        boolean wasHolder = index == state.holderIndex;
        RoomMember gone = state.members.remove(index);
        out.removed(gone);
        state.seq++;
        out.event(announcement);
        if (state.isPrivate()) {
            close(state, "your partner left", out);
            return;
        }
        if (state.members.isEmpty()) {
            close(state, null, out);
            return;
        }
        if (index < state.holderIndex) {
            state.holderIndex--;
        } else if (wasHolder) {
            state.holderIndex = -1;
        }
        long id = gone.sessionId();
        Floor f = state.floor;
        if (f.isQueued(id)) {
            state.floor = f.withQueue(Floor.minus(f.queue(), id));
            floorUpdate(state, gone, FloorState.WITHDRAWN, "", "left", 0, out);
        }
        state.floor = state.floor.withMuted(Floor.minus(state.floor.muted(), id))
                .withAudience(Floor.minus(state.floor.audience(), id));
        if (state.floor.isChair(id)) {
            state.floor = state.floor.withChairs(Floor.minus(state.floor.chairs(), id));
            if (state.floor.chairs().isEmpty()) {
                // Documented succession: the member present longest (the first in join order).
                RoomMember heir = state.members.get(0);
                state.floor = state.floor.withChairs(List.of(heir.sessionId()));
                out.event(new RoomEvent.ChairChanged(++state.seq, heir.sessionId(), heir.name(), ""));
            }
        }
        if (wasHolder && turnEnded(state, gone, FloorState.RELEASED, "", "left", now, out)) {
            return;
        }
        if (state.policy() == TurnPolicy.ROUND_ROBIN) {
            if (state.members.size() < 2) {
                stopTurns(state, out);
            } else if (wasHolder) {
                // The member after the one who left now sits at the same index.
                grantFrom(state, index % state.members.size(), now, out);
            }
        } else if (wasHolder) {
            nextFloor(state, now, out);
        }
    }

    private static void away(RoomState state, Away c, long now, RoomOutcome out) {
        int index = state == null ? -1 : state.indexOf(c.sessionId());
        if (index < 0 || state.members.get(index).away()) {
            return;
        }
        RoomMember member = state.members.get(index).withAway(true);
        state.members.set(index, member);
        out.event(new RoomEvent.MemberAway(++state.seq, member.sessionId(), member.name()));
        if (state.floor.isQueued(member.sessionId())) {
            state.floor = state.floor.withQueue(Floor.minus(state.floor.queue(), member.sessionId()));
            floorUpdate(state, member, FloorState.WITHDRAWN, "", "away", 0, out);
        }
        if (index == state.holderIndex) {
            endTurnAndGoOn(state, FloorState.RELEASED, "", "away", now, out);
        }
    }

    /**
     * The member resumed: it is sent what it missed after {@code lastSeenSeq}, but never anything
     * from before it joined (a room the client left out of its Resume counts from its join), then
     * the time left in the current turn, then it is back. If the events it missed are no longer
     * kept, it is told so and sent a fresh snapshot instead.
     */
    private static void back(RoomState state, Back c, long now, RoomOutcome out) {
        int index = state == null ? -1 : state.indexOf(c.sessionId());
        if (index < 0) {
            return;
        }
        RoomMember member = state.members.get(index);
        long sid = member.sessionId();
        long from = Math.max(c.lastSeenSeq(), member.joinedSeq()) + 1;
        long kept = Math.min(state.seq, state.settings().historySize());
        long oldestKept = state.seq - kept + 1;
        if (from < oldestKept || c.lastSeenSeq() > state.seq) {
            out.reply(new RoomReply.HistoryLost(sid, 0, state.seq, oldestKept, c.lastSeenSeq()));
            out.reply(new RoomReply.Joined(sid, 0, state.seq, state.view()));
        } else if (from <= state.seq) {
            out.reply(new RoomReply.Replay(sid, 0, state.seq, from, state.seq));
        }
        RoomMember holder = state.holder();
        if (holder != null && state.deadlineMillis > 0) {
            out.reply(new RoomReply.TurnTimeLeft(sid, 0, state.seq, state.turn, holder.name(),
                    Math.max(0, state.deadlineMillis - now), state.deadlineMillis));
        }
        if (member.away()) {
            state.members.set(index, member.withAway(false));
            out.event(new RoomEvent.MemberBack(++state.seq, sid, member.name()));
            startTurnsIfReady(state, now, out);
        }
        if (state.floor.warnAtMillis() > 0 && state.holderIndex == index) {
            // Its warning may have been missed while it was away; what matters now is the time left.
            out.markChanged();
        }
    }

    /** Closes the room: tells any remaining members why (unless {@code reason} is null), and drops them. */
    private static void close(RoomState state, String reason, RoomOutcome out) {
        stopTurns(state, out);
        if (!state.members.isEmpty() && reason != null) {
            out.event(new RoomEvent.RoomClosed(++state.seq, reason));
        }
        for (int i = state.members.size() - 1; i >= 0; i--) {
            out.removed(state.members.remove(i));
        }
        state.closed = true;
        out.markChanged();
    }

    // ------------------------------------------------------------------ turns

    private static void say(RoomState state, Say c, long now, RoomOutcome out) {
        if (!mayAct(state, c.room(), c.sessionId(), c.requestId(), out)) {
            return;
        }
        String text = c.text();
        if (text.isEmpty()) {
            refuse(out, state, c.sessionId(), c.requestId(), Refusal.EMPTY_TEXT, "say something, or pass");
            return;
        }
        int bytes = Utf8.encodedLength(text);
        if (bytes > state.settings().maxTextBytes()) {
            refuse(out, state, c.sessionId(), c.requestId(), Refusal.TEXT_TOO_LONG,
                    "text of " + bytes + " bytes exceeds the limit of " + state.settings().maxTextBytes());
            return;
        }
        RoomMember speaker = state.members.get(state.holderIndex);
        out.event(new RoomEvent.Said(++state.seq, speaker.sessionId(), speaker.name(), text, now, state.turn));
        receipt(out, c.sessionId(), c.requestId(), state.seq);
        FloorRules rules = state.settings().floor();
        state.floor = state.floor.withSaid(state.floor.saidThisTurn() + 1);
        if (rules.isStopPhraseIn(text)) {
            state.floor = state.floor.withStopPhraseSaid();
            if (ended(state, EndRule.STOP_PHRASE, now, out)) {
                return;
            }
        }
        if (state.floor.saidThisTurn() < rules.messagesPerTurn() && !state.floor.finishing()) {
            return; // the turn goes on: the holder may say more, or pass
        }
        endTurnAndGoOn(state, FloorState.RELEASED, "", "", now, out);
    }

    private static void pass(RoomState state, Pass c, long now, RoomOutcome out) {
        if (!mayAct(state, c.room(), c.sessionId(), c.requestId(), out)) {
            return;
        }
        RoomMember holder = state.members.get(state.holderIndex);
        out.event(new RoomEvent.Passed(++state.seq, holder.sessionId(), holder.name(), state.turn));
        receipt(out, c.sessionId(), c.requestId(), state.seq);
        endTurnAndGoOn(state, FloorState.RELEASED, "", "", now, out);
    }

    /** Without a request id the speaker's copy is like everyone else's: there is nothing to echo. */
    private static void receipt(RoomOutcome out, long sessionId, long requestId, long seq) {
        if (requestId != 0) {
            out.receipt(sessionId, requestId, seq);
        }
    }

    private static boolean mayAct(RoomState state, String room, long sessionId, long requestId, RoomOutcome out) {
        if (!visible(state, sessionId)) {
            refuseUnknown(out, room, sessionId, requestId);
            return false;
        }
        int index = state.indexOf(sessionId);
        if (index < 0) {
            refuse(out, state, sessionId, requestId, Refusal.NOT_A_MEMBER, "not a member of " + state.name());
            return false;
        }
        if (index != state.holderIndex) {
            refuse(out, state, sessionId, requestId, Refusal.NOT_YOUR_TURN, whyNotYourTurn(state, sessionId));
            return false;
        }
        return true;
    }

    /** A duration as people read it in a message: "2 min", "1 min 30 s", "45 s", "1500 ms". */
    static String duration(long millis) {
        if (millis % 1000 != 0) {
            return millis + " ms";
        }
        long minutes = millis / 60_000;
        long seconds = millis / 1000 % 60;
        if (minutes == 0) {
            return seconds + " s";
        }
        return seconds == 0 ? minutes + " min" : minutes + " min " + seconds + " s";
    }

    /**
     * Why a member who does not hold the turn may not Say or Pass, in words that say what it can do
     * (the code is NOT_YOUR_TURN whatever the cause): what keeps it from ever getting the turn
     * first (muted, audience), then who holds it, then why nobody does.
     */
    private static String whyNotYourTurn(RoomState state, long sessionId) {
        String room = state.name();
        Floor f = state.floor;
        boolean raisesHands = state.policy() != TurnPolicy.ROUND_ROBIN;
        int position = f.queue().indexOf(sessionId) + 1;
        String hand = position > 0 ? ": your hand is raised, number " + position + " in the queue"
                : ": raise your hand";
        if (f.isMuted(sessionId)) {
            return "you are muted in " + room;
        }
        if (f.isAudience(sessionId)) {
            return "you are in the audience of " + room + (position > 0 ? hand : ": raise your hand to speak");
        }
        RoomMember holder = state.holder();
        if (holder != null) {
            return holder.name() + " holds the floor in " + room + (raisesHands ? hand : "");
        }
        return switch (state.policy()) {
            case ROUND_ROBIN -> state.members.size() < 2 ? room + " is waiting for a second member"
                    : room + " is waiting for a member who can take the turn";
            case QUEUE -> "the floor is idle in " + room + hand;
            case MODERATED -> "the floor is idle in " + room + (f.isChair(sessionId)
                    ? ": as a chair, grant it (to yourself too)" : hand + "; a chair gives the floor");
        };
    }

    private static void expire(RoomState state, ExpireTurn c, long now, RoomOutcome out) {
        if (state == null || c.turn() != state.turn || state.holderIndex < 0) {
            return; // a stale timer whose turn already ended
        }
        RoomMember holder = state.members.get(state.holderIndex);
        out.event(new RoomEvent.TurnExpired(++state.seq, holder.sessionId(), holder.name(), state.turn));
        endTurnAndGoOn(state, FloorState.RELEASED, "", "", now, out);
    }

    /**
     * The holder's turn ends ({@code how}, with {@code by} and {@code reason} for everyone to see),
     * then, unless that ended the room, the floor goes on as the policy says.
     */
    private static void endTurnAndGoOn(RoomState state, FloorState how, String by, String reason, long now,
                                       RoomOutcome out) {
        int index = state.holderIndex;
        RoomMember holder = state.members.get(index);
        state.holderIndex = -1;
        if (turnEnded(state, holder, how, by, reason, now, out)) {
            return;
        }
        if (state.policy() == TurnPolicy.ROUND_ROBIN) {
            grantFrom(state, (index + 1) % state.members.size(), now, out);
        } else {
            nextFloor(state, now, out);
        }
    }

    /**
     * Counts a turn of {@code holder} as ended (announcing how, where there is a floor to tell of)
     * and applies the end rules; true if that ended the room.
     */
    private static boolean turnEnded(RoomState state, RoomMember holder, FloorState how, String by, String reason,
                                     long now, RoomOutcome out) {
        if (state.policy() != TurnPolicy.ROUND_ROBIN || how == FloorState.REVOKED) {
            floorUpdate(state, holder, how, by, reason, 0, out);
        }
        state.floor = state.floor.withTurnsEnded(state.floor.turnsEnded() + 1).withSaid(0).withWarnAt(0)
                .withFinishing(false);
        out.markChanged();
        return ended(state, EndRule.AFTER_TURNS, now, out);
    }

    /** QUEUE: the head of the queue gets the floor; MODERATED (or nobody queued): the floor is idle. */
    private static void nextFloor(RoomState state, long now, RoomOutcome out) {
        while (state.policy() == TurnPolicy.QUEUE && !state.floor.queue().isEmpty()) {
            RoomMember head = state.member(state.floor.queue().get(0));
            state.floor = state.floor.withQueue(Floor.minus(state.floor.queue(), head.sessionId()));
            if (head.away()) { // (a member going away is withdrawn at once; this is a safety net)
                floorUpdate(state, head, FloorState.WITHDRAWN, "", "away", 0, out);
                continue;
            }
            giveFloor(state, state.indexOf(head.sessionId()), "", state.settings().turnTimeoutMillis(), now, out);
            return;
        }
        stopTurns(state, out);
        out.event(new RoomEvent.FloorIdle(++state.seq));
    }

    /** Announces the grant to the member at {@code index} (already out of the queue) and starts its turn. */
    private static void giveFloor(RoomState state, int index, String by, long timeout, long now, RoomOutcome out) {
        RoomMember m = state.members.get(index);
        if (state.floor.isAudience(m.sessionId())) { // granted: the rule moves it to the speakers
            state.floor = state.floor.withAudience(Floor.minus(state.floor.audience(), m.sessionId()));
            out.event(new RoomEvent.MemberMoved(++state.seq, m.sessionId(), m.name(), false, ""));
        }
        floorUpdate(state, m, FloorState.GRANTED, by, "", timeout, out);
        state.turn++;
        grant(state, index, timeout, now, out);
    }

    private static void floorUpdate(RoomState state, RoomMember m, FloorState how, String by, String reason,
                                    long talkTime, RoomOutcome out) {
        out.event(new RoomEvent.FloorUpdate(++state.seq, m.sessionId(), m.name(), how, state.names(state.floor.queue()),
                by, reason, talkTime));
    }

    private static void startTurnsIfReady(RoomState state, long now, RoomOutcome out) {
        if (state.policy() == TurnPolicy.ROUND_ROBIN && state.holderIndex < 0 && state.members.size() >= 2) {
            grantFrom(state, 0, now, out);
        }
    }

    // ------------------------------------------------------------------ end rules

    /**
     * Whether the room's end rules now say it ends, {@code candidate} being the rule the caller
     * just changed; if so, closes it with the rule that fired (the candidate if it holds).
     */
    private static boolean ended(RoomState state, EndRule candidate, long now, RoomOutcome out) {
        FloorRules r = state.settings().floor();
        if (!r.hasEndRules()) {
            return false;
        }
        boolean turns = r.endAfterTurns() > 0 && state.floor.turnsEnded() >= r.endAfterTurns();
        boolean time = r.endAfterMillis() > 0
                && (state.floor.timeUp() || now >= state.floor.createdMillis() + r.endAfterMillis());
        boolean phrase = state.floor.stopPhraseSaid();
        boolean fire = r.endWhenAll()
                ? (r.endAfterTurns() == 0 || turns) && (r.endAfterMillis() == 0 || time)
                        && (r.stopPhrase().isEmpty() || phrase)
                : turns || time || phrase;
        if (!fire) {
            return false;
        }
        EndRule rule = holds(candidate, turns, time, phrase) ? candidate
                : turns ? EndRule.AFTER_TURNS : time ? EndRule.AFTER_TIME : EndRule.STOP_PHRASE;
        String reason = switch (rule) {
            case AFTER_TURNS -> "the room ended after " + r.endAfterTurns() + " turns";
            case AFTER_TIME -> "the room ended after " + duration(r.endAfterMillis());
            case STOP_PHRASE -> "the room ended: the stop phrase was said";
        };
        stopTurns(state, out);
        out.event(new RoomEvent.RoomEnded(++state.seq, rule, reason));
        for (int i = state.members.size() - 1; i >= 0; i--) {
            out.removed(state.members.remove(i));
        }
        state.closed = true;
        out.markChanged();
        return true;
    }

    private static boolean holds(EndRule rule, boolean turns, boolean time, boolean phrase) {
        return switch (rule) {
            case AFTER_TURNS -> turns;
            case AFTER_TIME -> time;
            case STOP_PHRASE -> phrase;
        };
    }

    /** A warning due, or the room's time up: whatever is due by {@code now} happens; the rest waits. */
    private static void wake(RoomState state, long now, RoomOutcome out) {
        if (state == null) {
            return;
        }
        Floor f = state.floor;
        RoomMember holder = state.holder();
        if (f.warnAtMillis() > 0 && now >= f.warnAtMillis()) {
            state.floor = f.withWarnAt(0);
            out.markChanged();
            if (holder != null && !holder.away()) {
                out.reply(new RoomReply.TurnWarning(holder.sessionId(), 0, state.seq, state.turn,
                        Math.max(0, state.deadlineMillis - now)));
            }
        }
        FloorRules r = state.settings().floor();
        if (r.endAfterMillis() > 0 && !state.floor.timeUp() && now >= state.floor.createdMillis() + r.endAfterMillis()) {
            state.floor = state.floor.withTimeUp();
            out.markChanged();
            ended(state, EndRule.AFTER_TIME, now, out);
        }
    }

    /**
     * Gives the next turn to the first present member at or after {@code index}; each away member
     * passed over is skipped visibly. With nobody present, turns stop until someone is back.
     */
    private static void grantFrom(RoomState state, int index, long now, RoomOutcome out) {
        out.deadlineChanged(true);
        int size = state.members.size();
        for (int tried = 0; tried < size; tried++) {
            int i = (index + tried) % size;
            RoomMember m = state.members.get(i);
            if (state.floor.isMuted(m.sessionId()) || state.floor.isAudience(m.sessionId())) {
                continue; // muted or audience: never granted, and passed over without a turn of its own
            }
            state.turn++;
            if (m.away()) {
                out.event(new RoomEvent.TurnSkipped(++state.seq, m.sessionId(), m.name(), state.turn));
                continue;
            }
            grant(state, i, state.settings().turnTimeoutMillis(), now, out);
            return;
        }
        stopTurns(state, out);
    }

    private static void grant(RoomState state, int index, long timeout, long now, RoomOutcome out) {
        out.deadlineChanged(true);
        state.holderIndex = index;
        state.deadlineMillis = timeout == 0 ? 0 : now + timeout;
        long warning = state.settings().floor().warningMillis();
        state.floor = state.floor.withSaid(0).withFinishing(false)
                .withWarnAt(warning > 0 && timeout > warning ? state.deadlineMillis - warning : 0);
        RoomMember holder = state.members.get(index);
        out.event(new RoomEvent.TurnGranted(++state.seq, holder.sessionId(), holder.name(), state.turn,
                state.deadlineMillis, Math.min(timeout, Integer.MAX_VALUE)));
        out.nextHolder(holder.sessionId());
    }

    private static void stopTurns(RoomState state, RoomOutcome out) {
        out.deadlineChanged(state.holderIndex >= 0 || state.deadlineMillis != 0);
        state.holderIndex = -1;
        state.deadlineMillis = 0;
        state.floor = state.floor.withFinishing(false);
    }

    // ------------------------------------------------------------------ floor control

    /** The longest reason a chair may give (Revoke, Deny, Remove), in chars. */
    public static final int MAX_REASON_CHARS = 200;

    private static void raiseHand(RoomState state, RoomCommand.RaiseHand c, long now, RoomOutcome out) {
        RoomMember m = member(state, c.room(), c.sessionId(), c.requestId(), out);
        if (m == null) {
            return;
        }
        long id = m.sessionId();
        if (state.policy() == TurnPolicy.ROUND_ROBIN && !state.floor.isAudience(id)) {
            refuse(out, state, id, c.requestId(), Refusal.WRONG_POLICY,
                    state.name() + " takes turns round robin: there is no hand to raise");
        } else if (state.floor.isMuted(id)) {
            refuse(out, state, id, c.requestId(), Refusal.MUTED, "you are muted in " + state.name());
        } else if (state.floor.isQueued(id) || state.indexOf(id) == state.holderIndex) {
            refuse(out, state, id, c.requestId(), Refusal.ALREADY_REQUESTED, state.floor.isQueued(id)
                    ? "your hand is already raised in " + state.name() : "you hold the floor in " + state.name());
        } else {
            state.floor = state.floor.withQueue(Floor.plus(state.floor.queue(), id));
            floorUpdate(state, m, FloorState.PENDING, "", "", 0, out);
            receipt(out, id, c.requestId(), state.seq);
            if (state.policy() == TurnPolicy.QUEUE && state.holderIndex < 0) {
                nextFloor(state, now, out);
            }
        }
    }

    private static void withdraw(RoomState state, RoomCommand.Withdraw c, RoomOutcome out) {
        RoomMember m = member(state, c.room(), c.sessionId(), c.requestId(), out);
        if (m == null) {
            return;
        }
        if (!state.floor.isQueued(m.sessionId())) {
            refuse(out, state, m.sessionId(), c.requestId(), Refusal.NOT_REQUESTED,
                    "you have no raised hand in " + state.name());
            return;
        }
        state.floor = state.floor.withQueue(Floor.minus(state.floor.queue(), m.sessionId()));
        floorUpdate(state, m, FloorState.WITHDRAWN, "", "", 0, out);
        receipt(out, m.sessionId(), c.requestId(), state.seq);
    }

    private static void grantFloor(RoomState state, RoomCommand.Grant c, long now, RoomOutcome out) {
        RoomMember chair = chair(state, c.room(), c.sessionId(), c.requestId(), true, out);
        if (chair == null) {
            return;
        }
        long roomTimeout = state.settings().turnTimeoutMillis();
        if (state.holderIndex >= 0) {
            refuse(out, state, chair.sessionId(), c.requestId(), Refusal.FLOOR_TAKEN,
                    state.holder().name() + " holds the floor in " + state.name() + ": revoke it first");
            return;
        }
        if (c.talkTimeMillis() < 0 || roomTimeout > 0 && c.talkTimeMillis() > roomTimeout) {
            refuse(out, state, chair.sessionId(), c.requestId(), Refusal.INVALID_OPTION,
                    "talk time " + duration(c.talkTimeMillis()) + " is above the room's turn limit of " + duration(roomTimeout));
            return;
        }
        RoomMember to;
        if (c.member().isEmpty()) {
            if (state.floor.queue().isEmpty()) {
                refuse(out, state, chair.sessionId(), c.requestId(), Refusal.NOT_REQUESTED,
                        "nobody has raised a hand in " + state.name());
                return;
            }
            to = state.member(state.floor.queue().get(0));
        } else {
            to = named(state, c.member(), chair.sessionId(), c.requestId(), out);
            if (to == null) {
                return;
            }
        }
        if (state.floor.isMuted(to.sessionId())) {
            refuse(out, state, chair.sessionId(), c.requestId(), Refusal.MUTED, to.name() + " is muted");
            return;
        }
        if (to.away()) {
            refuse(out, state, chair.sessionId(), c.requestId(), Refusal.MEMBER_AWAY,
                    to.name() + " is away (its connection is lost)");
            return;
        }
        state.floor = state.floor.withQueue(Floor.minus(state.floor.queue(), to.sessionId()));
        long timeout = c.talkTimeMillis() == 0 ? roomTimeout : c.talkTimeMillis();
        giveFloor(state, state.indexOf(to.sessionId()), chair.name(), timeout, now, out);
        // The requester's copy of the FloorUpdate (the event before TurnGranted) answers the Grant.
        receipt(out, chair.sessionId(), c.requestId(), state.seq - 1);
    }

    private static void revoke(RoomState state, RoomCommand.Revoke c, long now, RoomOutcome out) {
        RoomMember chair = chair(state, c.room(), c.sessionId(), c.requestId(), true, out);
        if (chair == null || !reasonFits(state, c.reason(), chair.sessionId(), c.requestId(), out)) {
            return;
        }
        if (state.holderIndex < 0) {
            refuse(out, state, chair.sessionId(), c.requestId(), Refusal.FLOOR_IDLE,
                    "nobody holds the floor in " + state.name());
            return;
        }
        long grace = state.settings().floor().revokeGraceMillis();
        // A chair revoking its own turn needs no time to finish: it would simply have passed.
        boolean own = state.holder().sessionId() == chair.sessionId();
        if (grace > 0 && !state.floor.finishing() && !own) {
            // MCPTT's grace: the holder is told at once, and may finish (one Say, or a Pass) until it
            // runs out; its turn then ends as any turn does. A second Revoke ends it at once.
            long end = now + grace;
            if (state.deadlineMillis == 0 || end < state.deadlineMillis) {
                state.deadlineMillis = end;
                out.deadlineChanged(true);
            }
            state.floor = state.floor.withFinishing(true).withWarnAt(0);
            out.markChanged();
            floorUpdate(state, state.holder(), FloorState.REVOKED, chair.name(), c.reason(),
                    state.deadlineMillis - now, out);
            receipt(out, chair.sessionId(), c.requestId(), state.seq);
            return;
        }
        endTurnAndGoOn(state, FloorState.REVOKED, chair.name(), c.reason(), now, out);
        receipt(out, chair.sessionId(), c.requestId(), firstFloorUpdateSeq(out));
    }

    private static void deny(RoomState state, RoomCommand.Deny c, RoomOutcome out) {
        ChairAct act = chairAct(state, c.room(), c.sessionId(), c.requestId(), true, c.reason(), c.member(), out);
        if (act == null) {
            return;
        }
        RoomMember chair = act.chair();
        RoomMember m = act.member();
        if (selfTargeted(state, act, c.requestId(),
                "you cannot deny your own request in " + state.name() + ": withdraw it", out)) {
            return;
        }
        if (!state.floor.isQueued(m.sessionId())) {
            refuse(out, state, chair.sessionId(), c.requestId(), Refusal.NOT_REQUESTED,
                    m.name() + " has no raised hand in " + state.name());
            return;
        }
        state.floor = state.floor.withQueue(Floor.minus(state.floor.queue(), m.sessionId()));
        floorUpdate(state, m, FloorState.DENIED, chair.name(), c.reason(), 0, out);
        receipt(out, chair.sessionId(), c.requestId(), state.seq);
    }

    private static void appointChair(RoomState state, RoomCommand.AppointChair c, RoomOutcome out) {
        ChairAct act = chairAct(state, c.room(), c.sessionId(), c.requestId(), false, "", c.member(), out);
        if (act == null) {
            return;
        }
        RoomMember chair = act.chair();
        RoomMember m = act.member();
        if (state.floor.isChair(m.sessionId())) {
            refuse(out, state, chair.sessionId(), c.requestId(), Refusal.ALREADY_CHAIR, m.name() + " is a chair already");
            return;
        }
        state.floor = state.floor.withChairs(Floor.plus(state.floor.chairs(), m.sessionId()));
        out.event(new RoomEvent.ChairChanged(++state.seq, m.sessionId(), m.name(), chair.name()));
        receipt(out, chair.sessionId(), c.requestId(), state.seq);
    }

    private static void stepDown(RoomState state, RoomCommand.StepDown c, RoomOutcome out) {
        RoomMember chair = chair(state, c.room(), c.sessionId(), c.requestId(), false, out);
        if (chair == null) {
            return;
        }
        if (state.members.size() == 1) {
            out.reply(new RoomReply.StepDownUnchanged(chair.sessionId(), c.requestId(), state.seq, chair.name()));
            return;
        }
        state.floor = state.floor.withChairs(Floor.minus(state.floor.chairs(), chair.sessionId()));
        out.event(new RoomEvent.ChairChanged(++state.seq, chair.sessionId(), chair.name(), chair.name(), true));
        receipt(out, chair.sessionId(), c.requestId(), state.seq);
        if (state.floor.chairs().isEmpty()) {
            // The same succession as when the last chair leaves: the longest-present other member.
            RoomMember heir = state.members.get(0).sessionId() == chair.sessionId()
                    ? state.members.get(1) : state.members.get(0);
            state.floor = state.floor.withChairs(List.of(heir.sessionId()));
            out.event(new RoomEvent.ChairChanged(++state.seq, heir.sessionId(), heir.name(), ""));
        }
    }

    private static void mute(RoomState state, RoomCommand.Mute c, long now, RoomOutcome out) {
        ChairAct act = chairAct(state, c.room(), c.sessionId(), c.requestId(), false, "", c.member(), out);
        if (act == null) {
            return;
        }
        RoomMember chair = act.chair();
        RoomMember m = act.member();
        long id = m.sessionId();
        // Unmuting oneself stays allowed: a chair another chair muted may take its voice back.
        if (c.muted() && selfTargeted(state, act, c.requestId(),
                "you cannot mute yourself in " + state.name(), out)) {
            return;
        }
        if (state.floor.isMuted(id) == c.muted()) {
            out.reply(new RoomReply.MuteUnchanged(chair.sessionId(), c.requestId(), state.seq, m.name(), c.muted(),
                    chair.name()));
            return;
        }
        state.floor = state.floor.withMuted(c.muted() ? Floor.plus(state.floor.muted(), id)
                : Floor.minus(state.floor.muted(), id));
        out.event(new RoomEvent.MemberMuted(++state.seq, id, m.name(), c.muted(), chair.name()));
        receipt(out, chair.sessionId(), c.requestId(), state.seq);
        if (!c.muted()) {
            startTurnsIfReady(state, now, out); // round robin may have stopped with everyone else muted
            return;
        }
        if (state.floor.isQueued(id)) {
            state.floor = state.floor.withQueue(Floor.minus(state.floor.queue(), id));
            floorUpdate(state, m, FloorState.DENIED, chair.name(), "muted", 0, out);
        }
        if (state.indexOf(id) == state.holderIndex) {
            endTurnAndGoOn(state, FloorState.REVOKED, chair.name(), "muted", now, out);
        }
    }

    private static void move(RoomState state, RoomCommand.Move c, long now, RoomOutcome out) {
        ChairAct act = chairAct(state, c.room(), c.sessionId(), c.requestId(), false, "", c.member(), out);
        if (act == null) {
            return;
        }
        RoomMember chair = act.chair();
        RoomMember m = act.member();
        long id = m.sessionId();
        if (state.floor.isAudience(id) == c.audience()) {
            out.reply(new RoomReply.MoveUnchanged(chair.sessionId(), c.requestId(), state.seq, m.name(), c.audience(),
                    chair.name()));
            return;
        }
        state.floor = state.floor.withAudience(c.audience() ? Floor.plus(state.floor.audience(), id)
                : Floor.minus(state.floor.audience(), id));
        out.event(new RoomEvent.MemberMoved(++state.seq, id, m.name(), c.audience(), chair.name()));
        receipt(out, chair.sessionId(), c.requestId(), state.seq);
        if (c.audience()) {
            if (state.indexOf(id) == state.holderIndex) {
                endTurnAndGoOn(state, FloorState.REVOKED, chair.name(), "moved to the audience", now, out);
            }
            return;
        }
        if (state.policy() == TurnPolicy.ROUND_ROBIN) {
            if (state.floor.isQueued(id)) { // its raised hand asked for exactly this
                state.floor = state.floor.withQueue(Floor.minus(state.floor.queue(), id));
                floorUpdate(state, m, FloorState.ACCEPTED, chair.name(), "", 0, out);
            }
            startTurnsIfReady(state, now, out);
        }
    }

    private static void remove(RoomState state, RoomCommand.Remove c, long now, RoomOutcome out) {
        ChairAct act = chairAct(state, c.room(), c.sessionId(), c.requestId(), false, c.reason(), c.member(), out);
        if (act == null) {
            return;
        }
        RoomMember chair = act.chair();
        RoomMember m = act.member();
        if (selfTargeted(state, act, c.requestId(),
                "you cannot remove yourself from " + state.name() + ": leave it", out)) {
            return;
        }
        out.reply(new RoomReply.Removed(m.sessionId(), 0, state.seq, chair.name(), c.reason()));
        if (state.creatorSessionId != m.sessionId()) {
            state.invited.remove(m.name()); // an invite-only room does not let it straight back in
        }
        removeMember(state, state.indexOf(m.sessionId()),
                new RoomEvent.MemberRemoved(state.seq + 1, m.sessionId(), m.name(), chair.name(), c.reason()), now, out);
        receipt(out, chair.sessionId(), c.requestId(), out.events().get(0).seq());
    }

    /** The seq of the first FloorUpdate of this outcome (the one a Revoke caused). */
    private static long firstFloorUpdateSeq(RoomOutcome out) {
        for (RoomEvent e : out.events()) {
            if (e instanceof RoomEvent.FloorUpdate) {
                return e.seq();
            }
        }
        throw new IllegalStateException("no FloorUpdate in " + out);
    }

    /** The requester as a member of a visible room, or null after refusing. */
    private static RoomMember member(RoomState state, String room, long sessionId, long requestId, RoomOutcome out) {
        if (!visible(state, sessionId)) {
            refuseUnknown(out, room, sessionId, requestId);
            return null;
        }
        RoomMember m = state.member(sessionId);
        if (m == null) {
            refuse(out, state, sessionId, requestId, Refusal.NOT_A_MEMBER, "not a member of " + state.name());
        }
        return m;
    }

    /** The requester as a chair (of a MODERATED room if {@code moderatedOnly}), or null after refusing. */
    private static RoomMember chair(RoomState state, String room, long sessionId, long requestId,
                                    boolean moderatedOnly, RoomOutcome out) {
        RoomMember m = member(state, room, sessionId, requestId, out);
        if (m == null) {
            return null;
        }
        if (!state.floor.isChair(sessionId)) {
            refuse(out, state, sessionId, requestId, Refusal.NOT_A_CHAIR, "only a chair of " + state.name() + " may do that");
            return null;
        }
        if (moderatedOnly && state.policy() != TurnPolicy.MODERATED) {
            refuse(out, state, sessionId, requestId, Refusal.WRONG_POLICY,
                    state.name() + " is not moderated: its policy gives the floor");
            return null;
        }
        return m;
    }

    /** A chair acting on a named member. */
    private record ChairAct(RoomMember chair, RoomMember member) {
    }

    /**
     * The prelude of every chair's act on a member: the requester must be a chair (of a MODERATED
     * room if {@code moderatedOnly}), its {@code reason} must fit, and a member called
     * {@code memberName} must be in the room, asked in that order; null after refusing.
     */
    private static ChairAct chairAct(RoomState state, String room, long sessionId, long requestId,
                                     boolean moderatedOnly, String reason, String memberName, RoomOutcome out) {
        RoomMember chair = chair(state, room, sessionId, requestId, moderatedOnly, out);
        if (chair == null || !reasonFits(state, reason, sessionId, requestId, out)) {
            return null;
        }
        RoomMember m = named(state, memberName, sessionId, requestId, out);
        return m == null ? null : new ChairAct(chair, m);
    }

    /**
     * Whether the chair's act names the chair itself, for the acts a chair may not do to itself
     * (Remove, Deny, Mute on): the first two are a member's own Leave and Withdraw, which say what
     * they mean to everyone, and muting oneself is a slip of the chair's hand, not moderation. If
     * so, refuses with {@code message}.
     */
    private static boolean selfTargeted(RoomState state, ChairAct act, long requestId, String message,
                                        RoomOutcome out) {
        if (act.member().sessionId() != act.chair().sessionId()) {
            return false;
        }
        refuse(out, state, act.chair().sessionId(), requestId, Refusal.SELF_TARGETED, message);
        return true;
    }

    /** The member called {@code name}, or null after refusing. */
    private static RoomMember named(RoomState state, String name, long sessionId, long requestId, RoomOutcome out) {
        RoomMember m = state.named(name);
        if (m == null) {
            refuse(out, state, sessionId, requestId, Refusal.UNKNOWN_MEMBER, "nobody called " + name + " is in "
                    + state.name());
        }
        return m;
    }

    private static boolean reasonFits(RoomState state, String reason, long sessionId, long requestId, RoomOutcome out) {
        if (reason.length() <= MAX_REASON_CHARS) {
            return true;
        }
        refuse(out, state, sessionId, requestId, Refusal.INVALID_OPTION,
                "a reason may be at most " + MAX_REASON_CHARS + " characters");
        return false;
    }

    // ------------------------------------------------------------------ refusals

    private static boolean visible(RoomState state, long sessionId) {
        return state != null && state.isVisibleTo(sessionId);
    }

    private static void refuseUnknown(RoomOutcome out, String room, long sessionId, long requestId) {
        out.reply(new RoomReply.Refused(sessionId, requestId, 0, Refusal.UNKNOWN_ROOM, "no room named " + room));
    }

    private static void refuse(RoomOutcome out, RoomState state, long sessionId, long requestId, Refusal refusal,
                               String message) {
        out.reply(new RoomReply.Refused(sessionId, requestId, state.seq, refusal, message));
    }
}
