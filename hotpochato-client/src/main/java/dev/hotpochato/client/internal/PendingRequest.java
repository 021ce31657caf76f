package dev.hotpochato.client.internal;

import dev.hotpochato.client.HotPochatoException;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.protocol.v1.ClientFrame;

import java.util.concurrent.ScheduledFuture;

/**
 * A request on its way: the frame to send (its id is given by {@link RequestHandler} when it is
 * written), the type of result its reply must give, and the future that result completes. The
 * future is only ever completed on the session's callback executor.
 */
final class PendingRequest<T> {

    final ClientFrame.Builder frame;
    final ClientFuture<T> future;
    private final Class<T> resultType;
    /** 0 for no limit (a Match waits for a partner as long as it takes). */
    final long timeoutMillis;
    final long createdNanos = System.nanoTime();
    /** For a Join: the options the room was asked for with, kept for joining it again. */
    JoinOptions joinOptions;
    /** For a Join that joins a room again in a new session: its handle. */
    DefaultRoom rejoining;

    // Event loop only.
    long id;
    ScheduledFuture<?> timeout;

    PendingRequest(ClientFrame.Builder frame, ClientFuture<T> future, Class<T> resultType, long timeoutMillis) {
        this.frame = frame;
        this.future = future;
        this.resultType = resultType;
        this.timeoutMillis = timeoutMillis;
    }

    ClientFrame.BodyCase kind() {
        return frame.getBodyCase();
    }

    String describe() {
        return kind() + (id == 0 ? "" : " #" + id);
    }

    /**
     * Completes the future with {@code result} if it is of the type this request promised (null for
     * {@code Void}); a reply of another kind fails it with a {@link HotPochatoException} that says so,
     * rather than handing the caller a value of the wrong type.
     */
    void complete(Object result) {
        if (result == null ? resultType == Void.class : resultType.isInstance(result)) {
            future.complete(resultType.cast(result));
        } else {
            future.completeExceptionally(new HotPochatoException("the server answered " + describe() + " with "
                    + (result == null ? "nothing" : result.getClass().getSimpleName())));
        }
    }

    void fail(Throwable cause) {
        future.completeExceptionally(cause);
    }
}
