package dev.hotpochato.bench.report;

/**
 * One measured figure: HotPochato's value beside the baseline measured in the same run.
 *
 * @param scenario      which scenario measured it, e.g. {@code handoff k=8}
 * @param metric        what was measured, e.g. {@code p99 latency}
 * @param unit          unit of both values, e.g. {@code us} or {@code deliveries/s}
 * @param value         HotPochato's figure
 * @param baselineName  what the baseline is ({@code raw Netty ping-pong}, {@code Redis pub/sub}); empty if none
 * @param baseline      the baseline's figure; NaN if none
 * @param lowerIsBetter true for times and costs, false for rates
 * @param target        the goal held against the ratio, e.g. {@code <= 1.5x}; empty if none
 * @param note          anything a reader needs to trust the number (sizes, caps, skipped parts)
 */
public record Figure(String scenario, String metric, String unit, double value, String baselineName,
                     double baseline, boolean lowerIsBetter, String target, String note) {

    public static Figure alone(String scenario, String metric, String unit, double value, String note) {
        return new Figure(scenario, metric, unit, value, "", Double.NaN, true, "", note);
    }

    /** HotPochato over baseline: for times above 1 means slower, for rates below 1 means slower. */
    public double ratio() {
        return hasBaseline() && baseline != 0 ? value / baseline : Double.NaN;
    }

    public boolean hasBaseline() {
        return !Double.isNaN(baseline);
    }

    public Figure withNote(String moreNote) {
        String joined = note.isEmpty() ? moreNote : note + "; " + moreNote;
        return new Figure(scenario, metric, unit, value, baselineName, baseline, lowerIsBetter, target, joined);
    }
}
