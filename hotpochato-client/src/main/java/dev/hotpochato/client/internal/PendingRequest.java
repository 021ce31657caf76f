package dev.hotpochato.client.internal;

import dev.hotpochato.protocol.v1.ClientFrame;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * A request on its way: the frame to send (its id is given by {@link RequestHandler} when it is
 * written) and the future its reply completes. The future is only ever completed on the session's
 * callback executor.
 */
final class PendingRequest {

    final ClientFrame.Builder frame;
    final CompletableFuture<?> future;
    /** 0 for no limit (a Match waits for a partner as long as it takes). */
    final long timeoutMillis;
    final long createdNanos = System.nanoTime();

    // Event loop only.
    long id;
    ScheduledFuture<?> timeout;

    PendingRequest(ClientFrame.Builder frame, CompletableFuture<?> future, long timeoutMillis) {
        this.frame = frame;
        this.future = future;
        this.timeoutMillis = timeoutMillis;
    }

    ClientFrame.BodyCase kind() {
        return frame.getBodyCase();
    }

    String describe() {
        return kind() + (id == 0 ? "" : " #" + id);
    }

    @SuppressWarnings("unchecked")
    <T> void complete(T value) {
        ((CompletableFuture<T>) future).complete(value);
    }

    void fail(Throwable cause) {
        future.completeExceptionally(cause);
    }
}
