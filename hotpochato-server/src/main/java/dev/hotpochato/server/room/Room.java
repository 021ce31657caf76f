package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.HistoryLost;
import dev.hotpochato.protocol.v1.Invited;
import dev.hotpochato.protocol.v1.Joined;
import dev.hotpochato.protocol.v1.Left;
import dev.hotpochato.protocol.v1.Member;
import dev.hotpochato.protocol.v1.MemberAway;
import dev.hotpochato.protocol.v1.MemberBack;
import dev.hotpochato.protocol.v1.MemberJoined;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.Paired;
import dev.hotpochato.protocol.v1.Passed;
import dev.hotpochato.protocol.v1.RoomClosed;
import dev.hotpochato.protocol.v1.RoomSnapshot;
import dev.hotpochato.protocol.v1.RoomSummary;
import dev.hotpochato.protocol.v1.Said;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.TurnExpired;
import dev.hotpochato.protocol.v1.TurnGranted;
import dev.hotpochato.protocol.v1.TurnSkipped;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * One room and its turn rules: the rotation of members, who holds the turn and until when, and the
 * room's numbered events.
 *
 * <p>Not thread-safe by design: a room belongs to one thread (its {@link RoomShard}'s event loop),
 * and every method must be called there. That confinement is what lets the turn path run without
 * locks.
 */
public final class Room {

    private final String name;
    private final RoomSettings settings;
    private final boolean privateRoom;
    private final TurnClock clock;
    private final RoomOutput output;
    private final Runnable onClosed;

    /** Members in join order; the turn goes round this list. */
    private final List<Seat> rotation = new ArrayList<>();
    /** The members that are connected now: every broadcast goes to exactly these. */
    private final List<Participant> present = new ArrayList<>();
    /** Reused for each ordered broadcast; the output does not keep the list it is given. */
    private final List<Participant> recipients = new ArrayList<>();
    private final Set<String> invited = new HashSet<>();
    private long creatorSessionId = -1;

    /** Index in {@link #rotation} of the holder, or -1 while no turn is running. */
    private int holderIndex = -1;
    private long turn;
    private long deadlineMillis;
    private TurnClock.Cancellable expiry;

    private long seq;
    /**
     * The latest numbered events, replayed to members that resume. Every numbered event is kept, so
     * they are numbered consecutively up to {@link #seq}.
     */
    private final EventHistory history;
    private boolean closed;

    /** A place in the rotation. A member is away while its connection is lost but may resume. */
    private static final class Seat {
        final Participant participant;
        boolean away;

        Seat(Participant participant) {
            this.participant = participant;
        }
    }

    Room(String name, RoomSettings settings, boolean privateRoom, TurnClock clock, RoomOutput output,
         Runnable onClosed) {
        this.name = name;
        this.settings = settings;
        this.history = new EventHistory(settings.historySize());
        this.privateRoom = privateRoom;
        this.clock = clock;
        this.output = output;
        this.onClosed = onClosed;
    }

    public String name() {
        return name;
    }

    public boolean isPrivate() {
        return privateRoom;
    }

    public boolean isClosed() {
        return closed;
    }

    public boolean isMember(Participant p) {
        return indexOf(p) >= 0;
    }

    public int memberCount() {
        return rotation.size();
    }

    /** The holder of the turn, or null while no turn runs. */
    public Participant holder() {
        return holderIndex < 0 ? null : rotation.get(holderIndex).participant;
    }

    public long turn() {
        return turn;
    }

    public long lastSeq() {
        return seq;
    }

    // ------------------------------------------------------------------ membership

    /** Handles {@code Join}: admits {@code p} at the end of the rotation or tells it why not. */
    public void join(Participant p, long requestId, String password) {
        if (indexOf(p) >= 0) {
            refuse(p, requestId, Error.Code.ALREADY_MEMBER, "already a member of " + name);
            return;
        }
        if (privateRoom) {
            // Private rooms are only ever entered through pairing; to anyone else they do not exist.
            refuse(p, requestId, Error.Code.UNKNOWN_ROOM, "no room named " + name);
            return;
        }
        boolean creating = creatorSessionId < 0;
        if (!creating && !settings.password().isEmpty() && !Secrets.equal(settings.password(), password)) {
            refuse(p, requestId, Error.Code.WRONG_PASSWORD, "wrong password for " + name);
            return;
        }
        if (!creating && settings.inviteOnly() && !invited.contains(p.name())) {
            refuse(p, requestId, Error.Code.NOT_INVITED, name + " is invite-only");
            return;
        }
        if (!p.tryTakeRoomSlot()) {
            refuse(p, requestId, Error.Code.TOO_MANY_ROOMS, "already in as many rooms as allowed");
            return;
        }
        if (!admit(p, requestId)) {
            p.releaseRoomSlot();
        }
    }

    /**
     * Puts both members of a fresh pair into this private room, the longer waiter first. The matchmaker
     * has already taken a room slot for each, and their names differ, so both are admitted.
     */
    public void admitPair(Participant first, long firstRequestId, Participant second, long secondRequestId) {
        pairedWith(first, firstRequestId, second.name(), true);
        pairedWith(second, secondRequestId, first.name(), false);
        admit(first, 0);
        admit(second, 0);
    }

    private void pairedWith(Participant p, long matchRequestId, String partner, boolean first) {
        output.send(p, ServerFrame.newBuilder()
                .setRequestId(matchRequestId)
                .setPaired(Paired.newBuilder().setRoom(name).setPartner(partner).setFirst(first))
                .build());
    }

    /** Seats {@code p}, whose room slot is already taken; false if the room refused it. */
    private boolean admit(Participant p, long requestId) {
        for (Seat seat : rotation) {
            if (seat.participant.name().equals(p.name())) {
                refuse(p, requestId, Error.Code.NAME_TAKEN, "the name " + p.name() + " is taken in " + name);
                return false;
            }
        }
        if (rotation.size() >= settings.maxMembers()) {
            refuse(p, requestId, Error.Code.ROOM_FULL, name + " is full (" + settings.maxMembers() + " members)");
            return false;
        }
        if (creatorSessionId < 0) {
            creatorSessionId = p.sessionId();
            invited.add(p.name()); // the creator may always come back
        }
        if (!rotation.isEmpty()) {
            broadcast(ServerFrame.newBuilder().setMemberJoined(MemberJoined.newBuilder()
                    .setRoom(name).setSeq(++seq).setName(p.name())));
        }
        rotation.add(new Seat(p));
        present.add(p);
        p.joined(this);
        output.send(p, ServerFrame.newBuilder().setRequestId(requestId)
                .setJoined(Joined.newBuilder().setRoom(snapshot())).build());
        startTurnsIfReady();
        return true;
    }

    /** Handles {@code Invite}: lets {@code invitee} into this invite-only room; only its creator may, while a member. */
    public void invite(Participant by, long requestId, String invitee) {
        if (indexOf(by) < 0) {
            refuse(by, requestId, Error.Code.NOT_A_MEMBER, "not a member of " + name);
        } else if (by.sessionId() != creatorSessionId) {
            refuse(by, requestId, Error.Code.NOT_INVITED, "only the creator of " + name + " may invite");
        } else {
            invited.add(invitee);
            output.send(by, ServerFrame.newBuilder().setRequestId(requestId)
                    .setInvited(Invited.newBuilder().setRoom(name).setDisplayName(invitee)).build());
        }
    }

    /** Handles {@code Leave}, the end of a session, or a kick: removes the member and mends the rotation. */
    public void leave(Participant p, long requestId, MemberLeft.Reason reason) {
        int index = indexOf(p);
        if (index < 0) {
            if (reason == MemberLeft.Reason.LEFT) {
                refuse(p, requestId, Error.Code.NOT_A_MEMBER, "not a member of " + name);
            }
            return;
        }
        boolean wasHolder = index == holderIndex;
        remove(index);
        if (reason == MemberLeft.Reason.LEFT) {
            output.send(p, ServerFrame.newBuilder().setRequestId(requestId)
                    .setLeft(Left.newBuilder().setRoom(name)).build());
        }
        broadcast(ServerFrame.newBuilder().setMemberLeft(MemberLeft.newBuilder()
                .setRoom(name).setSeq(++seq).setName(p.name()).setReason(reason)));
        if (privateRoom) {
            close("your partner left");
            return;
        }
        if (rotation.isEmpty()) {
            close(null);
            return;
        }
        if (index < holderIndex) {
            holderIndex--;
        }
        if (rotation.size() < 2) {
            stopTurns();
        } else if (wasHolder) {
            // The member after the one who left now sits at the same index.
            holderIndex = -1;
            grantFrom(index % rotation.size());
        }
    }

    /** The member's connection is lost, but its session may resume: it keeps its seat, and its turns are skipped. */
    public void away(Participant p) {
        int index = indexOf(p);
        if (index < 0 || rotation.get(index).away) {
            return;
        }
        rotation.get(index).away = true;
        present.remove(p);
        broadcast(ServerFrame.newBuilder().setMemberAway(MemberAway.newBuilder()
                .setRoom(name).setSeq(++seq).setName(p.name())));
        if (index == holderIndex) {
            holderIndex = -1;
            cancelExpiry();
            grantFrom((index + 1) % rotation.size());
        }
    }

    /**
     * The member resumed its session: it is sent what it missed after {@code lastSeenSeq}, in order,
     * and from then on everything live, so it sees each event exactly once. If the events it missed
     * are no longer kept, it is told so and sent a fresh snapshot instead.
     */
    public void back(Participant p, long lastSeenSeq) {
        int index = indexOf(p);
        if (index < 0) {
            return;
        }
        Seat seat = rotation.get(index);
        long oldestKept = seq - history.size() + 1;
        if (lastSeenSeq + 1 < oldestKept || lastSeenSeq > seq) {
            output.send(p, ServerFrame.newBuilder().setHistoryLost(HistoryLost.newBuilder()
                    .setRoom(name).setOldestSeq(oldestKept).setLastSeenSeq(lastSeenSeq)).build());
            output.send(p, ServerFrame.newBuilder().setJoined(Joined.newBuilder().setRoom(snapshot())).build());
        } else {
            history.forEachAfter((int) (lastSeenSeq + 1 - oldestKept), event -> output.send(p, event));
        }
        if (seat.away) {
            seat.away = false;
            present.add(p);
            broadcast(ServerFrame.newBuilder().setMemberBack(MemberBack.newBuilder()
                    .setRoom(name).setSeq(++seq).setName(p.name())));
            startTurnsIfReady();
        }
    }

    /** Closes the room: tells any remaining members why, and drops them. */
    public void close(String reason) {
        if (closed) {
            return;
        }
        stopTurns();
        if (!rotation.isEmpty() && reason != null) {
            broadcast(ServerFrame.newBuilder().setRoomClosed(RoomClosed.newBuilder()
                    .setRoom(name).setSeq(++seq).setReason(reason)));
        }
        while (!rotation.isEmpty()) {
            remove(rotation.size() - 1);
        }
        closed = true;
        history.clear();
        onClosed.run();
    }

    private void remove(int index) {
        Seat gone = rotation.remove(index);
        present.remove(gone.participant);
        gone.participant.left(this);
    }

    // ------------------------------------------------------------------ turns

    /** Handles {@code Say}: only the holder may, and saying ends its turn. */
    public void say(Participant p, long requestId, String text) {
        if (!mayAct(p, requestId)) {
            return;
        }
        if (text.isEmpty()) {
            refuse(p, requestId, Error.Code.EMPTY_TEXT, "say something, or pass");
            return;
        }
        int bytes = Utf8.encodedLength(text);
        if (bytes > settings.maxTextBytes()) {
            refuse(p, requestId, Error.Code.TEXT_TOO_LONG,
                    "text of " + bytes + " bytes exceeds the limit of " + settings.maxTextBytes());
            return;
        }
        broadcastWithReceipt(p, requestId, ServerFrame.newBuilder().setSaid(Said.newBuilder()
                .setRoom(name).setSeq(++seq).setSpeaker(p.name()).setText(text)
                .setTimeMs(clock.currentTimeMillis()).setTurn(turn)));
        grantNext();
    }

    /** Handles {@code Pass}: the holder gives up its turn. */
    public void pass(Participant p, long requestId) {
        if (!mayAct(p, requestId)) {
            return;
        }
        broadcastWithReceipt(p, requestId, ServerFrame.newBuilder().setPassed(Passed.newBuilder()
                .setRoom(name).setSeq(++seq).setName(p.name()).setTurn(turn)));
        grantNext();
    }

    private boolean mayAct(Participant p, long requestId) {
        int index = indexOf(p);
        if (index < 0) {
            refuse(p, requestId, Error.Code.NOT_A_MEMBER, "not a member of " + name);
            return false;
        }
        if (index != holderIndex) {
            Participant holder = holder();
            refuse(p, requestId, Error.Code.NOT_YOUR_TURN, holder == null
                    ? name + " is waiting for a second member"
                    : "it is " + holder.name() + "'s turn in " + name);
            return false;
        }
        return true;
    }

    private void expire(long expiredTurn) {
        if (closed || expiredTurn != turn || holderIndex < 0) {
            return; // a stale timer whose turn already ended
        }
        expiry = null;
        broadcast(ServerFrame.newBuilder().setTurnExpired(TurnExpired.newBuilder()
                .setRoom(name).setSeq(++seq).setName(holder().name()).setTurn(turn)));
        grantNext();
    }

    private void grantNext() {
        int from = (holderIndex + 1) % rotation.size();
        holderIndex = -1;
        grantFrom(from);
    }

    private void startTurnsIfReady() {
        if (holderIndex < 0 && rotation.size() >= 2) {
            grantFrom(0);
        }
    }

    /**
     * Gives the next turn to the first connected member at or after {@code index}; each away member
     * passed over is skipped visibly. With nobody connected, turns stop until someone is back.
     */
    private void grantFrom(int index) {
        cancelExpiry();
        for (int tried = 0; tried < rotation.size(); tried++) {
            int i = (index + tried) % rotation.size();
            Seat seat = rotation.get(i);
            turn++;
            if (seat.away) {
                broadcast(ServerFrame.newBuilder().setTurnSkipped(TurnSkipped.newBuilder()
                        .setRoom(name).setSeq(++seq).setName(seat.participant.name()).setTurn(turn)));
                continue;
            }
            grant(i);
            return;
        }
        stopTurns();
    }

    private void grant(int index) {
        holderIndex = index;
        long timeout = settings.turnTimeoutMillis();
        deadlineMillis = timeout == 0 ? 0 : clock.currentTimeMillis() + timeout;
        Participant holder = rotation.get(index).participant;
        byte[] granted = remember(ServerFrame.newBuilder().setTurnGranted(TurnGranted.newBuilder()
                .setRoom(name).setSeq(++seq).setHolder(holder.name()).setTurn(turn)
                .setDeadlineMs(deadlineMillis).setDurationMs((int) Math.min(timeout, Integer.MAX_VALUE))).build());
        // The new holder first: it is the one waiting to act, so its copy goes out before the others'.
        output.broadcast(presentStartingWith(holder, null), granted);
        if (timeout > 0) {
            long grantedTurn = turn;
            expiry = clock.schedule(() -> expire(grantedTurn), timeout);
        }
    }

    private void stopTurns() {
        cancelExpiry();
        holderIndex = -1;
        deadlineMillis = 0;
    }

    private void cancelExpiry() {
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
    }

    // ------------------------------------------------------------------ views

    public RoomSnapshot snapshot() {
        RoomSnapshot.Builder b = RoomSnapshot.newBuilder()
                .setName(name)
                .setTurn(turn)
                .setLastSeq(seq)
                .setOptions(settings.toOptions())
                .setWaiting(holderIndex < 0)
                .setPrivate(privateRoom);
        for (Seat seat : rotation) {
            b.addMembers(Member.newBuilder().setName(seat.participant.name()).setAway(seat.away));
        }
        if (holderIndex >= 0) {
            b.setHolder(holder().name()).setDeadlineMs(deadlineMillis);
        }
        return b.build();
    }

    public RoomSummary summary() {
        Participant holder = holder();
        return RoomSummary.newBuilder()
                .setName(name)
                .setMembers(rotation.size())
                .setHolder(holder == null ? "" : holder.name())
                .setPassword(!settings.password().isEmpty())
                .setInviteOnly(settings.inviteOnly())
                .build();
    }

    // ------------------------------------------------------------------ output

    /**
     * Sends a numbered event to every connected member and keeps it for those that will resume. It
     * is serialized once, for both.
     */
    private void broadcast(ServerFrame.Builder event) {
        output.broadcast(present, remember(event.build()));
    }

    /**
     * Broadcasts an event caused by {@code sender}'s request. The sender's copy is its
     * acknowledgement and so echoes the request id; everyone else shares one encoding.
     */
    private void broadcastWithReceipt(Participant sender, long requestId, ServerFrame.Builder event) {
        if (requestId == 0) {
            broadcast(event);
            return;
        }
        byte[] serialized = remember(event.build());
        // The sender's successor first: it is about to be granted the turn, and its Said must precede that.
        output.broadcast(presentStartingWith(nextPresentAfter(sender), sender), serialized);
        output.send(sender, Frames.withRequestId(serialized, requestId));
    }

    /** The member after {@code p} in the rotation that is connected, or null. */
    private Participant nextPresentAfter(Participant p) {
        int index = indexOf(p);
        for (int step = 1; index >= 0 && step < rotation.size(); step++) {
            Seat seat = rotation.get((index + step) % rotation.size());
            if (!seat.away) {
                return seat.participant;
            }
        }
        return null;
    }

    /**
     * The connected members, {@code first} (if present) ahead of the rest and {@code excluded} left
     * out, in the reused {@link #recipients} list.
     */
    private List<Participant> presentStartingWith(Participant first, Participant excluded) {
        recipients.clear();
        int at = first == null ? -1 : present.indexOf(first);
        if (at >= 0 && first != excluded) {
            recipients.add(first);
        }
        for (Participant member : present) {
            if (member != excluded && (at < 0 || member != first)) {
                recipients.add(member);
            }
        }
        return recipients;
    }

    /** Serializes a numbered event and keeps it for replay; returns the serialized event. */
    private byte[] remember(ServerFrame event) {
        byte[] serialized = event.toByteArray();
        history.add(serialized);
        return serialized;
    }

    private void refuse(Participant p, long requestId, Error.Code code, String message) {
        output.send(p, Frames.error(requestId, code, message, name));
    }

    private int indexOf(Participant p) {
        for (int i = 0; i < rotation.size(); i++) {
            if (rotation.get(i).participant.sessionId() == p.sessionId()) {
                return i;
            }
        }
        return -1;
    }
}
