package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.load.Run;
import dev.hotpochato.bench.report.Progress;
import org.HdrHistogram.Histogram;

import java.util.Locale;

/** Small helpers the scenarios share for turning counters into figures. */
final class Measure {

    private Measure() {
    }

    static double micros(double nanos) {
        return nanos / 1000.0;
    }

    /** A percentile of {@code h} in microseconds. */
    static double percentileMicros(Histogram h, double percentile) {
        return micros(h.getValueAtPercentile(percentile));
    }

    static double maxMicros(Histogram h) {
        return micros(h.getMaxValue());
    }

    /** CPU used over {@code seconds} of wall time, as a share of one core in percent. */
    static double percentOfCore(long cpuNanos, double seconds) {
        return seconds <= 0 ? Double.NaN : cpuNanos / (seconds * 1e9) * 100.0;
    }

    /** The progress line's text for a hand-off loop. */
    static Progress progress(String label, Run run) {
        return Progress.show(label, () -> String.format(Locale.ROOT, "hand-offs %,d (measured %,d), deliveries %,d%s",
                run.handoffs(), run.measuring() ? run.measuredHandoffs() : 0, run.deliveries(),
                run.errors() > 0 ? ", errors " + run.errors() : ""));
    }
}
