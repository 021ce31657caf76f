package dev.hotpochato.client;

/**
 * Receives the events of a whole session: those of every room it is in (as a {@link RoomListener})
 * and those of the session itself. Threading is as for {@link RoomListener}: the session's callback
 * executor, one event at a time, in the server's order.
 */
public interface SessionListener extends RoomListener {

    /** This client entered a room: by {@link Session#join}, or by pairing ({@link Session#match}). */
    default void onJoined(RoomHandle room) {
    }

    /** A match was made: this client and {@code partner} share the private room {@code room}. */
    default void onPaired(RoomHandle room, String partner, boolean first) {
    }

    /**
     * The server reported an error that answers no request of this client (for example that it is
     * shutting down). A fatal one is followed by {@link #onDisconnected}.
     */
    default void onServerError(ServerErrorException error) {
    }

    /**
     * The connection is closed; the session is over. {@code cause} is null after {@link Session#close},
     * else why: a fatal {@link ServerErrorException} or an I/O error.
     */
    default void onDisconnected(Throwable cause) {
    }
}
