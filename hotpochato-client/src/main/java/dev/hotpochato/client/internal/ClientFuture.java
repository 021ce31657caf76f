package dev.hotpochato.client.internal;

import dev.hotpochato.client.BlockingInCallbackException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A future of one session's: completed on that session's callback executor, so waiting for it on
 * that executor could never end. {@link #get}, {@link #join} (and the same on every stage derived
 * from it, through {@link #newIncompleteFuture}) throw {@link BlockingInCallbackException} there
 * instead, unless the future is already complete.
 */
final class ClientFuture<T> extends CompletableFuture<T> {

    private final SerialExecutor callbacks;
    private final String what;

    ClientFuture(SerialExecutor callbacks, String what) {
        this.callbacks = callbacks;
        this.what = what;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new ClientFuture<>(callbacks, what);
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        refuseToDeadlock();
        return super.get();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        refuseToDeadlock();
        return super.get(timeout, unit);
    }

    @Override
    public T join() {
        refuseToDeadlock();
        return super.join();
    }

    private void refuseToDeadlock() {
        if (!isDone() && callbacks.inExecutor()) {
            throw new BlockingInCallbackException(what);
        }
    }
}
