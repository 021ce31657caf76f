package dev.hotpochato.server.room;

import dev.hotpochato.server.room.rules.RoomState;

import java.util.ArrayList;

/**
 * One room as this server keeps it beside its state: its history (the latest events, encoded), its
 * members whose sessions are on this server, and its turn timer. Confined to the room's thread.
 * Public, with a few accessors, for a shared store (the cluster package).
 */
public final class LocalRoom {

    RoomState state;
    final EventHistory history;
    /** Its members whose sessions are on this server, in join order. */
    final ArrayList<Local> locals = new ArrayList<>(4);
    TurnClock.Cancellable expiry;
    /** The floor's wake-up timer (a talk-time warning, the room's time running out), if armed. */
    TurnClock.Cancellable wake;

    public LocalRoom(RoomState state) {
        this.state = state;
        this.history = new EventHistory(state.settings().historySize());
    }

    /** The room's latest state as this server knows it. */
    public RoomState state() {
        return state;
    }

    /** Sets the state delivery sees: the state right after the outcome being delivered. */
    public void state(RoomState s) {
        state = s;
    }

    /** The participants of its members on this server, in join order (a copy). */
    public java.util.List<Participant> localParticipants() {
        java.util.List<Participant> ps = new ArrayList<>(locals.size());
        for (Local l : locals) {
            ps.add(l.p);
        }
        return ps;
    }

    /** How many of its members are on this server. */
    public int localCount() {
        return locals.size();
    }

    /** Whether {@code sessionId} is one of its members on this server. */
    public boolean isLocal(long sessionId) {
        return local(sessionId) != null;
    }

    /** Whether {@code p} itself (not only its session id) is one of its members on this server. */
    public boolean holds(Participant p) {
        for (int i = 0; i < locals.size(); i++) {
            if (locals.get(i).p == p) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code p}, a member of the room whose session this server has just taken over from another
     * (a resume elsewhere in a cluster), becomes one of its members here, away until its
     * {@code MemberBack}. An older participant of the same session here is dropped.
     */
    public void adopt(Participant p) {
        locals.removeIf(l -> l.p.sessionId() == p.sessionId());
        locals.add(new Local(p, false));
    }

    /** {@code p} is no longer one of its members here (its session moved to another server); true if it was. */
    public boolean drop(Participant p) {
        return locals.removeIf(l -> l.p == p);
    }

    Local local(long sessionId) {
        for (int i = 0; i < locals.size(); i++) {
            if (locals.get(i).p.sessionId() == sessionId) {
                return locals.get(i);
            }
        }
        return null;
    }

    /** A member on this server; present while it is not away. */
    static final class Local {
        final Participant p;
        boolean present;

        Local(Participant p, boolean present) {
            this.p = p;
            this.present = present;
        }
    }
}
