package dev.hotpochato.client.internal;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Delays between reconnection attempts: exponential from {@code initial}, capped at {@code max},
 * with "equal jitter" (a random part of up to half of each delay is taken off), so that clients
 * cut off together spread out when they come back, yet none retries much sooner than planned.
 */
final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    /** Given a bound n, returns a number in [0, n]; injected so that tests can fix it. */
    private final LongUnaryOperator random;

    Backoff(Duration initial, Duration max, LongUnaryOperator random) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
        this.random = random;
    }

    /** The delay before attempt {@code attempt} (0 for the first). */
    long delayMillis(int attempt) {
        long full = initialMillis;
        for (int i = 0; i < attempt && full < maxMillis; i++) {
            full *= 2;
        }
        full = Math.min(full, maxMillis);
        long half = full / 2;
        return full - random.applyAsLong(half);
    }
}
