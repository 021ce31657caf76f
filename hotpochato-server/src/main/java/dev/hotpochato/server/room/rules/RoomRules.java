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
 * in the room and someone is present.
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
        } else {
            throw new IllegalArgumentException("unknown command " + command);
        }
        if (out.changed() && out.state() != null) {
            out.state().version++;
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
            admit(state, c.sessionId(), c.name(), c.requestId(), now, out);
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
    private static boolean admit(RoomState state, long sessionId, String name, long requestId, long now,
                                 RoomOutcome out) {
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
        }
        if (!state.members.isEmpty()) {
            out.event(new RoomEvent.MemberJoined(++state.seq, sessionId, name));
        }
        RoomMember member = new RoomMember(sessionId, name, false, state.seq);
        state.members.add(member);
        out.markChanged();
        out.admitted(member);
        out.reply(new RoomReply.Joined(sessionId, requestId, state.seq, state.view()));
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
        if (!admit(state, first.sessionId(), first.name(), 0, now, out)
                || !admit(state, second.sessionId(), second.name(), 0, now, out)) {
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
        boolean wasHolder = index == state.holderIndex;
        RoomMember gone = state.members.remove(index);
        out.removed(gone);
        if (request) {
            out.reply(new RoomReply.Left(c.sessionId(), c.requestId(), state.seq));
        }
        out.event(new RoomEvent.MemberLeft(++state.seq, gone.sessionId(), gone.name(), c.reason()));
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
        }
        if (state.members.size() < 2) {
            stopTurns(state, out);
        } else if (wasHolder) {
            // The member after the one who left now sits at the same index.
            state.holderIndex = -1;
            grantFrom(state, index % state.members.size(), now, out);
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
        if (index == state.holderIndex) {
            state.holderIndex = -1;
            grantFrom(state, (index + 1) % state.members.size(), now, out);
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
        grantNext(state, now, out);
    }

    private static void pass(RoomState state, Pass c, long now, RoomOutcome out) {
        if (!mayAct(state, c.room(), c.sessionId(), c.requestId(), out)) {
            return;
        }
        RoomMember holder = state.members.get(state.holderIndex);
        out.event(new RoomEvent.Passed(++state.seq, holder.sessionId(), holder.name(), state.turn));
        receipt(out, c.sessionId(), c.requestId(), state.seq);
        grantNext(state, now, out);
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
            RoomMember holder = state.holder();
            refuse(out, state, sessionId, requestId, Refusal.NOT_YOUR_TURN, holder == null
                    ? state.name() + " is waiting for a second member"
                    : "it is " + holder.name() + "'s turn in " + state.name());
            return false;
        }
        return true;
    }

    private static void expire(RoomState state, ExpireTurn c, long now, RoomOutcome out) {
        if (state == null || c.turn() != state.turn || state.holderIndex < 0) {
            return; // a stale timer whose turn already ended
        }
        RoomMember holder = state.members.get(state.holderIndex);
        out.event(new RoomEvent.TurnExpired(++state.seq, holder.sessionId(), holder.name(), state.turn));
        grantNext(state, now, out);
    }

    private static void grantNext(RoomState state, long now, RoomOutcome out) {
        int from = (state.holderIndex + 1) % state.members.size();
        state.holderIndex = -1;
        grantFrom(state, from, now, out);
    }

    private static void startTurnsIfReady(RoomState state, long now, RoomOutcome out) {
        if (state.holderIndex < 0 && state.members.size() >= 2) {
            grantFrom(state, 0, now, out);
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
            state.turn++;
            if (m.away()) {
                out.event(new RoomEvent.TurnSkipped(++state.seq, m.sessionId(), m.name(), state.turn));
                continue;
            }
            grant(state, i, now, out);
            return;
        }
        stopTurns(state, out);
    }

    private static void grant(RoomState state, int index, long now, RoomOutcome out) {
        state.holderIndex = index;
        long timeout = state.settings().turnTimeoutMillis();
        state.deadlineMillis = timeout == 0 ? 0 : now + timeout;
        RoomMember holder = state.members.get(index);
        out.event(new RoomEvent.TurnGranted(++state.seq, holder.sessionId(), holder.name(), state.turn,
                state.deadlineMillis, Math.min(timeout, Integer.MAX_VALUE)));
        out.nextHolder(holder.sessionId());
    }

    private static void stopTurns(RoomState state, RoomOutcome out) {
        out.deadlineChanged(state.holderIndex >= 0 || state.deadlineMillis != 0);
        state.holderIndex = -1;
        state.deadlineMillis = 0;
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
