package dev.hotpochato.server.room;

import io.netty.channel.Channel;

/**
 * A session of this server as the room store sees it: who it is, where its frames go, its room
 * slots, and the two callbacks that tell it which rooms it is in. Implemented by the network layer.
 * The turn rules never see it: they know sessions by {@link #sessionId()} and {@link #name()} only.
 *
 * <p>Methods may be called from any room's thread; implementations hop to their own thread.
 */
public interface Participant {

    /** Unique for the server's lifetime (and, in a cluster, across its nodes). */
    long sessionId();

    /** The display name given in {@code Hello}. */
    String name();

    /** The connection in use, or null while the session is away. May be read from any thread. */
    Channel channel();

    /**
     * Claims one of the participant's room slots before a room admits it; false if it is in as
     * many rooms as it may be. A slot is given back by {@link #left}.
     */
    boolean tryTakeRoomSlot();

    /** Gives back a slot taken by {@link #tryTakeRoomSlot} that no room took over (a refused join, a cancelled match). */
    void releaseRoomSlot();

    /** The room called {@code room} has taken this participant in; called once per admission, on the room's thread. */
    void joined(String room);

    /**
     * The participant is no longer a member of {@code room}, for whatever reason (it left, it was
     * removed, the room closed); its room slot is free again. Called on the room's thread, after
     * the {@link #joined} of the same admission.
     */
    void left(String room);

    /**
     * As {@link #left}, for a room that closed (or removed the participant) while it was away, and
     * that the store found out only as the participant came back: it is told as if the room had
     * closed while it was away ({@code RoomClosed}, seq 0, if its client still counts itself in it).
     * In a cluster, a session taken over from another node learns this way of a room that closed
     * in between.
     */
    default void closedWhileAway(String room) {
        left(room);
    }

    /**
     * In a cluster, another node owns this participant's session now (it resumed there): it lets
     * go here without changing its rooms. Nothing to do where sessions are not shared.
     */
    default void moved() {
    }
}
