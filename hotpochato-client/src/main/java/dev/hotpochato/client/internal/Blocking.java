package dev.hotpochato.client.internal;

import dev.hotpochato.client.HotPochatoException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waiting for a future on behalf of the sync facades: the failure comes out unwrapped. */
final class Blocking {

    private Blocking() {
    }

    /** The future's result; its failure rethrown as it is (a checked one wrapped in {@link HotPochatoException}). */
    static <T> T await(CompletableFuture<T> future, String what) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw unwrapped(e.getCause(), what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HotPochatoException("interrupted while waiting for " + what, e);
        }
    }

    /** As {@link #await}, for at most {@code millis}; throws {@link TimeoutException} after that. */
    static <T> T await(CompletableFuture<T> future, long millis, String what) throws TimeoutException {
        try {
            return future.get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw unwrapped(e.getCause(), what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HotPochatoException("interrupted while waiting for " + what, e);
        }
    }

    private static RuntimeException unwrapped(Throwable cause, String what) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error e) {
            throw e;
        }
        return new HotPochatoException(what + " failed", cause);
    }
}
