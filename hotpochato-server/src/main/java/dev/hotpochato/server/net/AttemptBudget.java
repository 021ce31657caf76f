package dev.hotpochato.server.net;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An allowance of attempts that comes back with time: {@code burst} at once, then one every
 * {@code period / burst}. Kept as one number (the generic cell rate algorithm's "theoretical arrival
 * time": when the allowance is whole again), so taking and giving back are single atomic updates and
 * any thread may use it without a lock.
 *
 * <p>Times are {@code nanoTime} values from the caller's executor's ticker, so tests drive them.
 */
final class AttemptBudget {

    private final long intervalNanos;
    private final long burstNanos;
    /** When the allowance is whole again; at or before now, it is whole. */
    private final AtomicLong wholeAt;

    AttemptBudget(int burst, long period, TimeUnit unit, long now) {
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be positive: " + burst);
        }
        this.intervalNanos = Math.max(1, unit.toNanos(period) / burst);
        this.burstNanos = intervalNanos * burst;
        this.wholeAt = new AtomicLong(now);
    }

    /** Takes one attempt; false, taking nothing, if the allowance is spent. */
    boolean tryTake(long now) {
        while (true) {
            long whole = wholeAt.get();
            long next = Math.max(whole, now) + intervalNanos;
            if (next - now > burstNanos) {
                return false;
            }
            if (wholeAt.compareAndSet(whole, next)) {
                return true;
            }
        }
    }

    /** Gives back an attempt taken by {@link #tryTake}: it did not fail. */
    void giveBack() {
        wholeAt.addAndGet(-intervalNanos);
    }

    /** Nothing of the allowance is in use at {@code now}. */
    boolean isWhole(long now) {
        return wholeAt.get() - now <= 0;
    }
}
