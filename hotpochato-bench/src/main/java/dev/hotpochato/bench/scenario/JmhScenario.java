package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.report.Figure;
import dev.hotpochato.bench.report.Progress;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JMH microbenchmarks of the hot paths ({@code dev.hotpochato.bench.jmh}): frame encode and
 * decode, one broadcast to n members, one hand-off through a room, one scheduler step.
 */
public final class JmhScenario implements Scenario {

    private final String include;
    private final int forks;
    private final int warmupIterations;
    private final int iterations;
    private final TimeValue iterationTime;
    private final String[] memberParams;

    public JmhScenario(String include, int forks, int warmupIterations, int iterations, TimeValue iterationTime,
                       String... memberParams) {
        this.include = include;
        this.forks = forks;
        this.warmupIterations = warmupIterations;
        this.iterations = iterations;
        this.iterationTime = iterationTime;
        this.memberParams = memberParams;
    }

    public static JmhScenario of(Profile p) {
        return switch (p) {
            case TINY -> new JmhScenario("SchedulerBenchmark", 0, 1, 1, TimeValue.milliseconds(100), "2");
            // Forked even when quick: in the benchmark's own JVM, after the load scenarios, the JIT's
            // profiles are polluted and a decode measured 20x slower than in a fresh JVM.
            case QUICK -> new JmhScenario("dev.hotpochato.bench.jmh", 1, 1, 1, TimeValue.milliseconds(400), "100");
            // Each benchmark's own @Param values: 2 and 64 members for a step, 10, 100 and 1000 for a broadcast.
            case FULL -> new JmhScenario("dev.hotpochato.bench.jmh", 1, 3, 5, TimeValue.seconds(1));
        };
    }

    @Override
    public String name() {
        return "jmh";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include(include)
                .forks(forks)
                .warmupIterations(warmupIterations)
                .warmupTime(iterationTime)
                .measurementIterations(iterations)
                .measurementTime(iterationTime)
                .threads(1)
                .shouldFailOnError(true)
                .jvmArgsAppend("-Dio.netty.leakDetection.level=disabled", "-Xmx2g")
                .verbosity(VerboseMode.SILENT);
        if (memberParams.length > 0) {
            options.param("members", memberParams);
        }
        Collection<RunResult> results;
        try (Progress ignored = Progress.show("jmh", () -> "running " + include + " (" + forks + " fork(s), "
                + iterations + " x " + iterationTime + " measured per benchmark)")) {
            results = new Runner(options.build()).run();
        }
        Map<String, Double> byName = new HashMap<>();
        for (RunResult r : results) {
            byName.put(label(r), r.getPrimaryResult().getScore());
        }
        for (RunResult r : results) {
            String label = label(r);
            double score = r.getPrimaryResult().getScore();
            double error = r.getPrimaryResult().getScoreError();
            String note = String.format(Locale.ROOT, "+/- %.1f ns (99.9%% CI), %d fork(s) x %d iterations", error,
                    forks, iterations);
            if (label.startsWith("BroadcastBenchmark.broadcast ")) {
                String reference = label.replace("broadcast ", "broadcastEncodingPerMember ");
                Double ref = byName.get(reference);
                ctx.report().add(new Figure("jmh", label, "ns/op", score, "encode per member",
                        ref == null ? Double.NaN : ref, true, "", note));
            } else if (!label.startsWith("BroadcastBenchmark.broadcastEncodingPerMember")) {
                ctx.report().add(Figure.alone("jmh", label, "ns/op", score, note));
            }
        }
    }

    /** e.g. {@code BroadcastBenchmark.broadcast members=100}. */
    private static String label(RunResult r) {
        String benchmark = r.getParams().getBenchmark();
        String shortName = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
        String members = r.getParams().getParam("members");
        return members == null ? shortName : shortName + " members=" + members;
    }
}
