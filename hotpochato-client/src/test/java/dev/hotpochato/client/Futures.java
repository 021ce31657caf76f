package dev.hotpochato.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Waiting on futures in tests: always bounded. */
final class Futures {

    private Futures() {
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /** Waits for {@code future} to fail and returns why (unwrapped). */
    static Throwable failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> future.get(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        return e.getCause();
    }

    static void assertPending(CompletableFuture<?> future) throws Exception {
        try {
            future.get(50, TimeUnit.MILLISECONDS);
            throw new AssertionError("expected the future to be pending, but it completed");
        } catch (TimeoutException expected) {
            // still waiting, as it should be
        }
    }
}
