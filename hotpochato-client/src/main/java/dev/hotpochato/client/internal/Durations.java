package dev.hotpochato.client.internal;

import java.time.Duration;

/** Durations in the words people read ({@code 250 ms}, {@code 5 s}, {@code 2 min}), not ISO-8601 ({@code PT5S}). */
public final class Durations {

    private Durations() {
    }

    public static String format(Duration d) {
        if (d.isNegative()) {
            return "-" + format(d.negated());
        }
        long ms = d.toMillis();
        if (ms % 60_000 == 0 && ms >= 60_000) {
            return ms / 60_000 + " min";
        }
        if (ms % 1000 == 0 && ms >= 1000) {
            return ms / 1000 + " s";
        }
        if (ms == 0 && !d.isZero()) {
            return d.toNanos() + " ns";
        }
        return ms + " ms";
    }
}
