package dev.hotpochato.client.internal;

import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.channel.Channel;

import java.util.List;

/**
 * What {@link RequestHandler} and {@link ConnectionWatchdog} report to their session. Called on
 * the channel's event loop, in the order things happened; the implementation hands the work to its
 * callback executor.
 */
interface SessionEvents {

    /** A frame arrived; {@code answered} is the request it replies to, or null for an event. */
    void frameReceived(ServerFrame frame, PendingRequest answered, long receivedNanos);

    /** {@code request} will get no reply: it timed out, or was ended by another reply. */
    void requestFailed(PendingRequest request, Throwable cause);

    /** A connection closed; {@code unanswered} were still waiting on it. {@code cause} may be null. */
    void connectionLost(List<PendingRequest> unanswered, Throwable cause);

    /** True once the user asked to close the session: a lost connection is then not reconnected. Any thread. */
    boolean closeRequested();

    /** The connection was lost and the watchdog is reconnecting; {@code cause} may be null. */
    void reconnecting(Throwable cause);

    /** The session resumed on {@code channel}; its Welcome has been reported already. */
    void reconnected(Channel channel);

    /** The session is over (closed, dismissed, or not resumable); {@code cause} is null after a close by the user. */
    void disconnected(Throwable cause);
}
