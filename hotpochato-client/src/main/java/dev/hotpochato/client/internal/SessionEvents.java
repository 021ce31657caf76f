package dev.hotpochato.client.internal;

import dev.hotpochato.protocol.v1.ServerFrame;

import java.util.List;

/**
 * What {@link RequestHandler} reports to its session. Called on the channel's event loop, in the
 * order things happened; the implementation hands the work to its callback executor.
 */
interface SessionEvents {

    /** A frame arrived; {@code answered} is the request it replies to, or null for an event. */
    void frameReceived(ServerFrame frame, PendingRequest answered, long receivedNanos);

    /** {@code request} will get no reply: it timed out, or was ended by another reply. */
    void requestFailed(PendingRequest request, Throwable cause);

    /** The connection closed; {@code unanswered} were still waiting. {@code cause} may be null. */
    void connectionLost(List<PendingRequest> unanswered, Throwable cause);
}
