package dev.hotpochato.server.room;

import dev.hotpochato.server.room.rules.RoomState;

import java.util.ArrayList;

/**
 * One room as this server keeps it beside its state: its history (the latest events, encoded), its
 * members whose sessions are on this server, and its turn timer. Confined to the room's thread.
 */
final class LocalRoom {

    RoomState state;
    final EventHistory history;
    /** Its members whose sessions are on this server, in join order. */
    final ArrayList<Local> locals = new ArrayList<>(4);
    TurnClock.Cancellable expiry;
    /** The floor's wake-up timer (a talk-time warning, the room's time running out), if armed. */
    TurnClock.Cancellable wake;

    LocalRoom(RoomState state) {
        this.state = state;
        this.history = new EventHistory(state.settings().historySize());
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
