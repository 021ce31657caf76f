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
     * The connection was lost and the session is trying to resume on a new one (see
     * {@link ClientOptions#reconnect()}). Requests pending when it was lost, and those made until
     * {@link #onReconnected}, fail with {@link ConnectionClosedException}; nothing is sent again.
     * Rooms stay open. {@code cause} is the I/O error or server error that ended the connection, or
     * null if it simply closed.
     */
    default void onReconnecting(Throwable cause) {
    }

    /**
     * The session resumed on a new connection. The events missed meanwhile follow as ordinary
     * events, in order and without duplicates (or, for a room too far behind, {@link #onHistoryLost}).
     */
    default void onReconnected() {
    }

    /**
     * The session could not be resumed ({@code cause}: the server's {@link ErrorCode#RESUME_FAILED},
     * or a {@link ConnectionClosedException} when no server took it back within its resume grace
     * period), and a new session was opened under the same name, as {@link ClientOptions#autoRejoin()}
     * asks. Requests made from now on go to the new session; {@link Session#sessionId()} has changed.
     * For each room the old session was in, one {@link #onRejoined} or {@link #onRejoinFailed} follows.
     */
    default void onNewSession(Throwable cause) {
    }

    /**
     * The connection is closed; the session is over. {@code cause} is null after {@link Session#close},
     * else why: a fatal {@link ServerErrorException} (such as {@link ErrorCode#RESUME_FAILED} when the
     * server no longer knew the session), an I/O error, or a {@link ConnectionClosedException} when
     * the connection could not be resumed within the server's resume grace period. With
     * {@link ClientOptions#autoRejoin()} the last two open a new session instead ({@link #onNewSession}).
     */
    default void onDisconnected(Throwable cause) {
    }
}
