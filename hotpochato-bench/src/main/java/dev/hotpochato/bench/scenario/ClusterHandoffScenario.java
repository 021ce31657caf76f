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

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Hand-off latency in cluster mode (docs/cluster.md): a room of two members, measured in the same
 * run on one node in memory (the baseline), on one node through Redis, and with the two members on
 * two nodes sharing one Redis; beside a raw Redis round trip (the floor a commit adds to), with
 * Redis's CPU per hand-off, and again with an append-only file synced every second and on every
 * write ({@code appendfsync always}, what {@code ./hotpochato cluster} runs). All in this JVM, on
 * loopback.
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
        Report report = ctx.report();
        Histogram ping;
        Histogram sameNode;
        Histogram twoNodes;
        double redisCpuPerHandoff;
        try (RedisPubSub redis = RedisPubSub.start(redisServer.get(), 1)) {
            ctx.report().environment("cluster-handoff redis", redis.version() + "; persistence as each row says");
            ping = redis.pingRoundTrips(warmup, handoffs);
            String uri = "redis://127.0.0.1:" + redis.port();
            try (HotPochatoServer a = HotPochatoServer.start(options(uri));
                 HotPochatoServer b = HotPochatoServer.start(options(uri))) {
                sameNode = measure(ctx, "one-node", address(a), address(a));
                long cpu0 = redis.serverCpuNanos();
                twoNodes = measure(ctx, "two-nodes", address(a), address(b));
                redisCpuPerHandoff = (redis.serverCpuNanos() - cpu0) / 1_000.0 / Math.max(1, warmup + handoffs);
            }
        }
        report.add(new Figure("cluster redis round trip", "p50 latency", "us", Measure.percentileMicros(ping, 50), "", Double.NaN,
                true, "", String.format(Locale.ROOT, "PING on one Lettuce connection, one at a time, %,d round trips; "
                        + "p99 %.1f us", ping.getTotalCount(), Measure.percentileMicros(ping, 99))));
        add(report, "cluster handoff k=2 one node via Redis", sameNode, memory, "one node in memory");
        add(report, "cluster handoff k=2 two nodes via Redis", twoNodes, memory, "one node in memory");
        double budget = Measure.percentileMicros(memory, 50) + 2 * Measure.percentileMicros(ping, 50);
        report.add(new Figure("cluster handoff k=2 two nodes via Redis", "p50 latency against its budget", "us",
                Measure.percentileMicros(twoNodes, 50), "memory p50 + 2 Redis round trips", budget, true, "<= 1.0x",
                "the issue's goal: the single node's p50 plus two Redis round trips"));
        report.add(Figure.alone("cluster handoff k=2 two nodes via Redis", "Redis CPU per hand-off", "us",
                redisCpuPerHandoff, String.format(Locale.ROOT, "redis-server's CPU over warm-up and measured hand-offs; "
                        + "one Redis core at this cost carries about %,.0f hand-offs/s", 1e6 / Math.max(1e-9, redisCpuPerHandoff))));
        for (String fsync : List.of("everysec", "always")) {
            Path dir = Files.createTempDirectory("hotpochato-bench-aof");
            try (RedisPubSub redis = RedisPubSub.start(redisServer.get(), 1, fsync, dir);
                 HotPochatoServer a = HotPochatoServer.start(options("redis://127.0.0.1:" + redis.port()));
                 HotPochatoServer b = HotPochatoServer.start(options("redis://127.0.0.1:" + redis.port()))) {
                Histogram h = measure(ctx, "two-nodes-aof-" + fsync, address(a), address(b));
                add(report, "cluster handoff k=2 two nodes via Redis, appendfsync " + fsync, h, twoNodes,
                        "no persistence");
            } finally {
                deleteTree(dir);
            }
        }
    }

    private static void add(Report report, String scenario, Histogram h, Histogram baseline, String baselineName) {
        report.add(new Figure(scenario, "p50 latency", "us", Measure.percentileMicros(h, 50), baselineName,
                Measure.percentileMicros(baseline, 50), true, "",
                String.format(Locale.ROOT, "%,d hand-offs", h.getTotalCount())));
        report.add(new Figure(scenario, "p99 latency", "us", Measure.percentileMicros(h, 99), baselineName,
                Measure.percentileMicros(baseline, 99), true, "", ""));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
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
