package dev.hotpochato.client;

/**
 * The room closed for this client (it left, the server closed the room, or the session ended)
 * while something waited for it, such as {@link SyncRoom#awaitMyTurn()}.
 */
public final class RoomClosedException extends HotPochatoException {

    private static final long serialVersionUID = 1L;

    private final String room;

    public RoomClosedException(String room, String reason) {
        super("the room " + room + " is closed: " + reason);
        this.room = room;
    }

    /** The room's name. */
    public String room() {
        return room;
    }
}
