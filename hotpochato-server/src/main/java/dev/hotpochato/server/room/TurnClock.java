package dev.hotpochato.server.room;

/**
 * Time as the turn rules see it: the wall clock for deadlines shown to clients and a scheduler for
 * expiries. Injected so that tests move time by hand instead of sleeping.
 */
public interface TurnClock {

    long currentTimeMillis();

    /** Runs {@code task} on the room's thread after {@code delayMillis}, unless cancelled first. */
    Cancellable schedule(Runnable task, long delayMillis);

    /** A scheduled task that may still be called off. */
    interface Cancellable {
        void cancel();
    }
}
