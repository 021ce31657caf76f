package dev.hotpochato.server.room;

/**
 * A connected client as a room sees it. Implemented by the network layer; the room only asks who
 * it is and tells it about membership changes, and hands frames for it to a {@link RoomOutput}.
 *
 * <p>Methods may be called from any room's thread; implementations hop to their own thread.
 */
public interface Participant {

    /** Unique for the server's lifetime. */
    long sessionId();

    /** The display name given in {@code Hello}. */
    String name();

    /**
     * Claims one of the participant's room slots before a room admits it; false if it is in as
     * many rooms as it may be. A slot is given back by {@link #left}.
     */
    boolean tryTakeRoomSlot();

    /** Gives back a slot taken by {@link #tryTakeRoomSlot} that no room took over (a cancelled match). */
    void releaseRoomSlot();

    /** The room has taken this participant in; called once per room, on the room's thread. */
    void joined(Room room);

    /** The participant is no longer a member of {@code room}, for whatever reason; its room slot is free again. */
    void left(Room room);
}
