package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Joined;
import dev.hotpochato.protocol.v1.Left;
import dev.hotpochato.protocol.v1.Member;
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
    private final Runnable onEmpty;

    /** Members in join order; the turn goes round this list. */
    private final List<Participant> rotation = new ArrayList<>();
    private final Set<String> invited = new HashSet<>();
    private long creatorSessionId = -1;

    /** Index in {@link #rotation} of the holder, or -1 while the room waits for a second member. */
    private int holderIndex = -1;
    private long turn;
    private long deadlineMillis;
    private TurnClock.Cancellable expiry;
    private long seq;
    private boolean closed;

    Room(String name, RoomSettings settings, boolean privateRoom, TurnClock clock, RoomOutput output,
         Runnable onEmpty) {
        this.name = name;
        this.settings = settings;
        this.privateRoom = privateRoom;
        this.clock = clock;
        this.output = output;
        this.onEmpty = onEmpty;
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
        return indexOf(p.sessionId()) >= 0;
    }

    public int memberCount() {
        return rotation.size();
    }

    /** The holder of the turn, or null while the room waits. */
    public Participant holder() {
        return holderIndex < 0 ? null : rotation.get(holderIndex);
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
        if (indexOf(p.sessionId()) >= 0) {
            refuse(p, requestId, Error.Code.ALREADY_MEMBER, "already a member of " + name);
            return;
        }
        if (privateRoom) {
            // Private rooms are only ever entered through pairing; to anyone else they do not exist.
            refuse(p, requestId, Error.Code.UNKNOWN_ROOM, "no room named " + name);
            return;
        }
        if (!settings.password().isEmpty() && !settings.password().equals(password)) {
            refuse(p, requestId, Error.Code.WRONG_PASSWORD, "wrong password for " + name);
            return;
        }
        if (settings.inviteOnly() && creatorSessionId >= 0 && !invited.contains(p.name())) {
            refuse(p, requestId, Error.Code.NOT_INVITED, name + " is invite-only");
            return;
        }
        admit(p, requestId);
    }

    /** Puts a member of a fresh pair into this private room; the first admitted speaks first. */
    public void admitPaired(Participant p, long matchRequestId, String partner) {
        boolean first = rotation.isEmpty();
        output.send(p, ServerFrame.newBuilder()
                .setRequestId(matchRequestId)
                .setPaired(Paired.newBuilder().setRoom(name).setPartner(partner).setFirst(first))
                .build());
        admit(p, 0);
    }

    private void admit(Participant p, long requestId) {
        for (Participant member : rotation) {
            if (member.name().equals(p.name())) {
                refuse(p, requestId, Error.Code.NAME_TAKEN, "the name " + p.name() + " is taken in " + name);
                return;
            }
        }
        if (rotation.size() >= settings.maxMembers()) {
            refuse(p, requestId, Error.Code.ROOM_FULL, name + " is full (" + settings.maxMembers() + " members)");
            return;
        }
        if (!p.tryTakeRoomSlot()) {
            refuse(p, requestId, Error.Code.TOO_MANY_ROOMS, "already in as many rooms as allowed");
            return;
        }
        if (creatorSessionId < 0) {
            creatorSessionId = p.sessionId();
        }
        if (!rotation.isEmpty()) {
            broadcast(ServerFrame.newBuilder().setMemberJoined(MemberJoined.newBuilder()
                    .setRoom(name).setSeq(++seq).setName(p.name())));
        }
        rotation.add(p);
        p.joined(this);
        output.send(p, ServerFrame.newBuilder().setRequestId(requestId)
                .setJoined(Joined.newBuilder().setRoom(snapshot())).build());
        if (holderIndex < 0 && rotation.size() >= 2) {
            grant(0);
        }
    }

    /** Lets {@code invitee} into this invite-only room; only the creator may. */
    public boolean invite(Participant by, String invitee) {
        if (by.sessionId() != creatorSessionId) {
            return false;
        }
        invited.add(invitee);
        return true;
    }

    /** Handles {@code Leave}, a lost connection or a kick: removes the member and mends the rotation. */
    public void leave(Participant p, long requestId, MemberLeft.Reason reason) {
        int index = indexOf(p.sessionId());
        if (index < 0) {
            if (requestId != 0) {
                refuse(p, requestId, Error.Code.NOT_A_MEMBER, "not a member of " + name);
            }
            return;
        }
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
        boolean wasHolder = index == holderIndex;
        if (index < holderIndex) {
            holderIndex--;
        }
        if (rotation.size() < 2) {
            stopTurns();
        } else if (wasHolder) {
            // The member after the one who left now sits at the same index.
            grant(index % rotation.size());
        }
        if (rotation.isEmpty()) {
            close(null);
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
        onEmpty.run();
    }

    private void remove(int index) {
        Participant gone = rotation.remove(index);
        gone.left(this);
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
        int index = indexOf(p.sessionId());
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
        grant((holderIndex + 1) % rotation.size());
    }

    private void grant(int index) {
        cancelExpiry();
        holderIndex = index;
        turn++;
        long timeout = settings.turnTimeoutMillis();
        deadlineMillis = timeout == 0 ? 0 : clock.currentTimeMillis() + timeout;
        broadcast(ServerFrame.newBuilder().setTurnGranted(TurnGranted.newBuilder()
                .setRoom(name).setSeq(++seq).setHolder(rotation.get(index).name()).setTurn(turn)
                .setDeadlineMs(deadlineMillis).setDurationMs((int) Math.min(timeout, Integer.MAX_VALUE))));
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
        for (Participant member : rotation) {
            b.addMembers(Member.newBuilder().setName(member.name()));
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

    private void broadcast(ServerFrame.Builder frame) {
        output.broadcast(rotation, frame.build());
    }

    /**
     * Broadcasts a frame caused by {@code sender}'s request. The sender's copy is its
     * acknowledgement and so echoes the request id; everyone else shares one encoding.
     */
    private void broadcastWithReceipt(Participant sender, long requestId, ServerFrame.Builder frame) {
        if (requestId == 0) {
            broadcast(frame);
            return;
        }
        List<Participant> others = new ArrayList<>(rotation.size());
        for (Participant member : rotation) {
            if (member != sender) {
                others.add(member);
            }
        }
        output.broadcast(others, frame.build());
        output.send(sender, frame.setRequestId(requestId).build());
    }

    private void refuse(Participant p, long requestId, Error.Code code, String message) {
        output.send(p, Frames.error(requestId, code, message, name));
    }

    private int indexOf(long sessionId) {
        for (int i = 0; i < rotation.size(); i++) {
            if (rotation.get(i).sessionId() == sessionId) {
                return i;
            }
        }
        return -1;
    }
}
