package dev.hotpochato.client.internal;

import dev.hotpochato.client.ServerAddress;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.channel.Channel;

import java.util.List;

/**
 * What {@link RequestHandler} and {@link ConnectionWatchdog} report to their session. Called on
 * the session's event loop, in the order things happened; the implementation hands the work to its
 * callback executor, so that it reaches listeners in that order too.
 */
interface SessionEvents {

    /** A frame arrived; {@code answered} is the request it replies to, or null for an event. */
    void frameReceived(ServerFrame frame, PendingRequest<?> answered, long receivedNanos);

    /** {@code request} will get no reply: it timed out, or was ended by another reply. */
    void requestFailed(PendingRequest<?> request, Throwable cause);

    /** A connection closed; {@code unanswered} were still waiting on it. {@code cause} may be null. */
    void connectionLost(List<PendingRequest<?>> unanswered, Throwable cause);

    /** True once the user asked to close the session: a lost connection is then not reconnected. Any thread. */
    boolean closeRequested();

    /** The first connection was welcomed (its Welcome has been reported already): the session is open. */
    void connected(Channel channel, ServerAddress address);

    /** No first connection could be made; the session never opened. */
    void connectFailed(Throwable cause);

    /** The connection was lost and the watchdog is reconnecting; {@code cause} may be null. */
    void reconnecting(Throwable cause);

    /** The session resumed on {@code channel}; its Welcome has been reported already. */
    void reconnected(Channel channel, ServerAddress address);

    /**
     * The session could not be resumed ({@code cause}), and a new one was opened on {@code channel}
     * under the same name (its Welcome has been reported already): the rooms are to be joined again.
     */
    void renewed(Channel channel, ServerAddress address, Throwable cause);

    /** The session is over (closed, dismissed, or not resumable); {@code cause} is null after a close by the user. */
    void disconnected(Throwable cause);
}
