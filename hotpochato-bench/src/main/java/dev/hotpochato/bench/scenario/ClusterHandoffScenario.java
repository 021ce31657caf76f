package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.baseline.RedisPubSub;
import dev.hotpochato.bench.load.Bot;
import dev.hotpochato.bench.load.Bots;
import dev.hotpochato.bench.load.RoomRun;
import dev.hotpochato.bench.load.Run;
import dev.hotpochato.bench.report.Figure;
import dev.hotpochato.bench.report.Progress;
import dev.hotpochato.bench.report.Report;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Hand-off latency in cluster mode (docs/cluster.md): a room of two members, measured in the same
 * run on one node in memory (the baseline), on one node through Redis, and with the two members on
 * two nodes sharing one Redis. All in this JVM, on loopback; Redis without persistence (with
 * {@code appendfsync always} each commit also waits for an fsync).
 */
public final class ClusterHandoffScenario implements Scenario {

    private final long handoffs;
    private final long warmup;
    private final long maxNanos;

    public ClusterHandoffScenario(long handoffs, long warmup, Duration max) {
        this.handoffs = handoffs;
        this.warmup = warmup;
        this.maxNanos = max.toNanos();
    }

    public static ClusterHandoffScenario of(Profile p) {
        return new ClusterHandoffScenario(p.pick(300L, 5_000L, 50_000L), p.pick(100L, 1_000L, 10_000L),
                p.pick(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(120)));
    }

    @Override
    public String name() {
        return "cluster-handoff";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        Optional<Path> redisServer = RedisPubSub.findServer();
        if (redisServer.isEmpty()) {
            ctx.report().environment("cluster-handoff", "skipped: redis-server is not installed");
            return;
        }
        Histogram memory;
        try (HotPochatoServer single = HotPochatoServer.start(options(null))) {
            memory = measure(ctx, "memory", address(single), address(single));
        }
        Histogram sameNode;
        Histogram twoNodes;
        try (RedisPubSub redis = RedisPubSub.start(redisServer.get(), 1)) {
            ctx.report().environment("cluster-handoff redis", redis.version() + ", no persistence");
            String uri = "redis://127.0.0.1:" + redis.port();
            try (HotPochatoServer a = HotPochatoServer.start(options(uri));
                 HotPochatoServer b = HotPochatoServer.start(options(uri))) {
                sameNode = measure(ctx, "one-node", address(a), address(a));
                twoNodes = measure(ctx, "two-nodes", address(a), address(b));
            }
        }
        Report report = ctx.report();
        add(report, "cluster handoff k=2 one node via Redis", sameNode, memory);
        add(report, "cluster handoff k=2 two nodes via Redis", twoNodes, memory);
    }

    private static void add(Report report, String scenario, Histogram h, Histogram memory) {
        report.add(new Figure(scenario, "p50 latency", "us", Measure.percentileMicros(h, 50), "one node in memory",
                Measure.percentileMicros(memory, 50), true, "",
                String.format(Locale.ROOT, "%,d hand-offs", h.getTotalCount())));
        report.add(new Figure(scenario, "p99 latency", "us", Measure.percentileMicros(h, 99), "one node in memory",
                Measure.percentileMicros(memory, 99), true, "", ""));
    }

    private static InetSocketAddress address(HotPochatoServer server) {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    private static ServerOptions options(String cluster) {
        return ServerOptions.builder().bindAddress("127.0.0.1").port(0).turnTimeout(Duration.ZERO)
                .maxTurnTimeout(Duration.ZERO).workerThreads(1).maxFramesPerSecond(1_000_000).frameBurst(1_000_000)
                .idleTimeout(Duration.ofHours(1)).cluster(cluster).build();
    }

    /** Two members, the first connected to {@code first}, the second to {@code second}, passing the turn. */
    private Histogram measure(BenchContext ctx, String label, InetSocketAddress first, InetSocketAddress second)
            throws Exception {
        Run run = new Run();
        String roomName = "cluster-handoff-" + label;
        RoomRun room = new RoomRun(roomName, run);
        String text = ctx.text();
        try (Bots one = Bots.connect(ctx.load(), first, Bots.Plan.of(1),
                i -> new Bot("a" + i, run, name -> room, text), null);
             Bots two = Bots.connect(ctx.load(), second, Bots.Plan.of(1),
                     i -> new Bot("b" + i, run, name -> room, text), null)) {
            one.joinInOrder(roomName, Duration.ofSeconds(30));
            two.joinInOrder(roomName, Duration.ofSeconds(30));
            HandoffScenario.awaitReady(room, run);
            try (Progress ignored = Measure.progress("cluster-handoff " + label, run)) {
                room.start();
                run.awaitTotalHandoffs(warmup, maxNanos);
                run.beginMeasuring();
                run.awaitHandoffs(handoffs, maxNanos);
                run.stop();
            }
        }
        run.throwIfFailed();
        return run.histogram();
    }
}
