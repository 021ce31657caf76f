package dev.hotpochato.server.room.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything the turn rules know about one room: a plain object with no connections, timers or
 * wire types in it, so that a store can keep it in memory, copy it, or serialize it whole.
 *
 * <p>Only {@link RoomRules#apply} changes it, and every change it makes bumps {@link #version()}, the
 * number a shared store compares before it writes the state back. Not thread-safe: whoever owns the
 * state (an event loop, or a store's commit attempt) is the only one to touch it.
 */
public final class RoomState {

    private final String name;
    private final RoomSettings settings;
    private final boolean privateRoom;
    /** The session whose Join created the room; -1 until the first member is admitted. */
    long creatorSessionId = -1;
    /** The rotation, in join order: the turn goes round this list. */
    final ArrayList<RoomMember> members;
    /** Display names that may join an invite-only room, the creator's first; at most {@link RoomRules#MAX_INVITATIONS}. */
    final LinkedHashSet<String> invited;
    /** Index in {@link #members} of the holder, or -1 while no turn runs. */
    int holderIndex = -1;
    long turn;
    /** When the current turn ends (ms since the epoch); 0 while no turn runs or for no limit. */
    long deadlineMillis;
    long seq;
    boolean closed;
    long version;
    /** Chairs, floor requests, muted members and the end rules' counters; replaced, never changed. */
    Floor floor = Floor.created(0);

    private RoomState(String name, RoomSettings settings, boolean privateRoom, ArrayList<RoomMember> members,
                      LinkedHashSet<String> invited) {
        this.name = name;
        this.settings = settings;
        this.privateRoom = privateRoom;
        this.members = members;
        this.invited = invited;
    }

    /** A room that has just been made: no members yet, seq 0, version 0. */
    public static RoomState create(String name, RoomSettings settings, boolean privateRoom) {
        return new RoomState(name, settings, privateRoom, new ArrayList<>(4), new LinkedHashSet<>());
    }

    /**
     * A room exactly as a store kept it (for a store that serializes states). The values must come
     * from an earlier state's accessors; they are checked only for consistency.
     */
    public static RoomState restore(String name, RoomSettings settings, boolean privateRoom, long creatorSessionId,
                                    List<RoomMember> members, Collection<String> invited, int holderIndex, long turn,
                                    long deadlineMillis, long seq, boolean closed, long version) {
        if (holderIndex < -1 || holderIndex >= members.size()) {
            throw new IllegalArgumentException("holder index " + holderIndex + " for " + members.size() + " members");
        }
        RoomState s = new RoomState(name, settings, privateRoom, new ArrayList<>(members), new LinkedHashSet<>(invited));
        s.creatorSessionId = creatorSessionId;
        s.holderIndex = holderIndex;
        s.turn = turn;
        s.deadlineMillis = deadlineMillis;
        s.seq = seq;
        s.closed = closed;
        s.version = version;
        return s;
    }

    /** As {@link #restore(String, RoomSettings, boolean, long, List, Collection, int, long, long, long, boolean, long)}, with its floor. */
    public static RoomState restore(String name, RoomSettings settings, boolean privateRoom, long creatorSessionId,
                                    List<RoomMember> members, Collection<String> invited, int holderIndex, long turn,
                                    long deadlineMillis, long seq, boolean closed, long version, Floor floor) {
        RoomState s = restore(name, settings, privateRoom, creatorSessionId, members, invited, holderIndex, turn,
                deadlineMillis, seq, closed, version);
        s.floor = floor;
        return s;
    }

    /** An independent copy: changing one does not change the other. */
    public RoomState copy() {
        return restore(name, settings, privateRoom, creatorSessionId, members, invited, holderIndex, turn,
                deadlineMillis, seq, closed, version, floor);
    }

    /** The floor: chairs, queued requests, muted members, counters. Immutable. */
    public Floor floor() {
        return floor;
    }

    public TurnPolicy policy() {
        return settings.floor().policy();
    }

    /** When the store should submit {@link RoomCommand.Wake}; 0 for never. */
    public long wakeAtMillis() {
        return closed ? 0 : floor.wakeAtMillis(settings.floor());
    }

    /** The display names of these members, in the given order (members no longer here are left out). */
    List<String> names(List<Long> sessionIds) {
        List<String> names = new ArrayList<>(sessionIds.size());
        for (long id : sessionIds) {
            RoomMember m = member(id);
            if (m != null) {
                names.add(m.name());
            }
        }
        return names;
    }

    /** The member with this display name, or null. */
    RoomMember named(String name) {
        for (RoomMember m : members) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    public String name() {
        return name;
    }

    public RoomSettings settings() {
        return settings;
    }

    public boolean isPrivate() {
        return privateRoom;
    }

    public long creatorSessionId() {
        return creatorSessionId;
    }

    /** The rotation, in turn order; unmodifiable. */
    public List<RoomMember> members() {
        return java.util.Collections.unmodifiableList(members);
    }

    /** The invited display names, oldest first; unmodifiable. */
    public Set<String> invited() {
        return java.util.Collections.unmodifiableSet(invited);
    }

    /** The holder's index in {@link #members()}, or -1 while no turn runs. */
    public int holderIndex() {
        return holderIndex;
    }

    /** The holder of the turn, or null while no turn runs. */
    public RoomMember holder() {
        return holderIndex < 0 ? null : members.get(holderIndex);
    }

    /** The latest turn number: 0 before the first turn; while the room waits, the last turn it had. */
    public long turn() {
        return turn;
    }

    public long deadlineMillis() {
        return deadlineMillis;
    }

    /** The seq of the room's latest event; 0 if none. */
    public long seq() {
        return seq;
    }

    public boolean isClosed() {
        return closed;
    }

    public long version() {
        return version;
    }

    /** The member with this session, or null. */
    public RoomMember member(long sessionId) {
        int i = indexOf(sessionId);
        return i < 0 ? null : members.get(i);
    }

    public boolean isMember(long sessionId) {
        return indexOf(sessionId) >= 0;
    }

    /**
     * Whether a session may know the room exists: it is public, or the session is one of its
     * members (a pair's room is invisible to everyone else).
     */
    public boolean isVisibleTo(long sessionId) {
        return !privateRoom || isMember(sessionId);
    }

    /** How {@code ListRooms} shows the room. */
    public RoomListing listing() {
        RoomMember holder = holder();
        return new RoomListing(name, members.size(), holder == null ? "" : holder.name(),
                !settings.password().isEmpty(), settings.inviteOnly(), settings.floor().policy());
    }

    /** What {@code Joined} shows of the room now. */
    public RoomView view() {
        RoomMember holder = holder();
        return new RoomView(name, List.copyOf(members), holder == null ? "" : holder.name(), turn,
                holder == null ? 0 : deadlineMillis, seq, settings, holderIndex < 0, privateRoom,
                names(floor.chairs()), names(floor.queue()), names(floor.muted()), floor.turnsEnded(),
                names(floor.audience()));
    }

    int indexOf(long sessionId) {
        for (int i = 0; i < members.size(); i++) {
            if (members.get(i).sessionId() == sessionId) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return "RoomState{" + name + (privateRoom ? " (private)" : "") + ", v" + version + ", seq " + seq
                + ", turn " + turn + ", holder " + (holderIndex < 0 ? "none" : members.get(holderIndex).name())
                + ", " + members + (closed ? ", closed" : "") + ", " + floor + "}";
    }
}
