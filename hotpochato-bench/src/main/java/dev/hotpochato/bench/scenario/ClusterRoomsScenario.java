package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.baseline.RedisPubSub;
import dev.hotpochato.bench.load.Bot;
import dev.hotpochato.bench.load.Bots;
import dev.hotpochato.bench.load.Cpu;
import dev.hotpochato.bench.load.RoomRun;
import dev.hotpochato.bench.load.Run;
import dev.hotpochato.bench.report.Figure;
import dev.hotpochato.bench.report.Progress;
import dev.hotpochato.bench.report.Report;
import dev.hotpochato.bench.sut.InProcessServer;
import dev.hotpochato.server.HotPochatoServer;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Throughput of many paired rooms in cluster mode (docs/cluster.md, "Measured"): rooms of two
 * members passing the turn as fast as they can, all at once, measured in the same run on one node
 * in memory (the baseline), one node through Redis, two nodes through Redis (each room's two members
 * on different nodes) and two nodes with {@code appendfsync always}. Beside each: redis-server's CPU
 * per hand-off (from /proc, over the measured window only), which says how many hand-offs one Redis
 * core carries, and the nodes' CPU per hand-off. Everything but redis-server runs in this JVM, one
 * worker loop per node; each row gets a Redis of its own.
 */
public final class ClusterRoomsScenario implements Scenario {

    /** Descriptors kept free for the JVM, the server sockets, Redis connections, epoll and the like. */
    private static final long FD_RESERVE = 300;
    /** Thread-name prefixes of the nodes' threads: their event loops and Lettuce's. */
    private static final String[] NODE_THREADS = {"hotpochato-", RedisPubSub.CLIENT_THREAD_PREFIX};
    private static final int JOINS_IN_FLIGHT = 256;
    private final int rooms;
    private final Duration warmup;
    private final Duration measure;

    public ClusterRoomsScenario(int rooms, Duration warmup, Duration measure) {
        this.rooms = rooms;
        this.warmup = warmup;
        this.measure = measure;
    }

    public static ClusterRoomsScenario of(Profile p) {
        return new ClusterRoomsScenario(p.pick(10, 500, 4_000),
                p.pick(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(3)),
                p.pick(Duration.ofMillis(500), Duration.ofSeconds(3), Duration.ofSeconds(10)));
    }

    @Override
    public String name() {
        return "cluster-rooms";
    }

    /** What one row measured over its window; CPU in nanoseconds, -1 where there is no Redis. */
    private record Row(String label, long handoffs, double seconds, Histogram latency, long redisCpu, long nodesCpu,
                       long loadCpu, double connectSeconds, double joinSeconds) {
        double rate() {
            return handoffs / seconds;
        }
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        var redisServer = RedisPubSub.findServer();
        if (redisServer.isEmpty()) {
            ctx.report().environment("cluster-rooms", "skipped: redis-server is not installed");
            return;
        }
        int count = fit(ctx);
        List<Row> rows = new ArrayList<>();
        try (HotPochatoServer single = HotPochatoServer.start(options(null))) {
            rows.add(measure(ctx, "one node in memory", count, single, single, null));
        }
        try (RedisPubSub redis = RedisPubSub.start(redisServer.get(), 1);
             HotPochatoServer a = HotPochatoServer.start(options(uri(redis)))) {
            ctx.report().environment("cluster-rooms redis", redis.version() + "; a fresh redis-server per row");
            rows.add(measure(ctx, "one node via Redis", count, a, a, redis));
        }
        try (RedisPubSub redis = RedisPubSub.start(redisServer.get(), 1);
             HotPochatoServer a = HotPochatoServer.start(options(uri(redis)));
             HotPochatoServer b = HotPochatoServer.start(options(uri(redis)))) {
            rows.add(measure(ctx, "two nodes via Redis", count, a, b, redis));
        }
        Path dir = Files.createTempDirectory("hotpochato-bench-aof");
        try (RedisPubSub redis = RedisPubSub.start(redisServer.get(), 1, "always", dir);
             HotPochatoServer a = HotPochatoServer.start(options(uri(redis)));
             HotPochatoServer b = HotPochatoServer.start(options(uri(redis)))) {
            rows.add(measure(ctx, "two nodes via Redis, appendfsync always", count, a, b, redis));
        } finally {
            deleteTree(dir);
        }
        report(ctx.report(), count, rows);
    }

    /** As many of the requested rooms as this process's file-descriptor limit allows (4 per room: both ends of 2). */
    private int fit(BenchContext ctx) {
        long[] fds = Cpu.fileDescriptors();
        if (fds[0] <= 0) {
            return rooms;
        }
        int count = (int) Math.max(1, Math.min(rooms, (fds[0] - fds[1] - FD_RESERVE) / 4));
        if (count < rooms) {
            ctx.report().note(String.format(Locale.ROOT, "cluster-rooms: %,d rooms asked for, %,d run: the open-file "
                    + "limit (ulimit -n = %d) allows no more connections in one process", rooms, count, fds[0]));
        }
        return count;
    }

    private static String uri(RedisPubSub redis) {
        return "redis://127.0.0.1:" + redis.port();
    }

    private static dev.hotpochato.server.ServerOptions options(String cluster) {
        return InProcessServer.options(1, 2).toBuilder().cluster(cluster).build(); // liveness as deployed (--cluster-node-timeout 3 s)
    }

    private static InetSocketAddress address(HotPochatoServer server) {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    /**
     * {@code count} rooms, member a of each connected to {@code first} and joining first, member b to
     * {@code second}; all pass the turn at once, as fast as they can.
     */
    private Row measure(BenchContext ctx, String label, int count, HotPochatoServer first, HotPochatoServer second,
                        RedisPubSub redis) throws Exception {
        Run run = new Run();
        Map<String, RoomRun> byName = new ConcurrentHashMap<>();
        Function<String, RoomRun> roomFor = name -> byName.computeIfAbsent(name, n -> new RoomRun(n, run));
        String text = ctx.text();
        String prefix = "cr-" + label.replaceAll("[^a-z]+", "-") + "-";
        Bots.Plan plan = new Bots.Plan(count, 1, 256, true, Duration.ofSeconds(120));
        long connectStart = System.nanoTime();
        try (Bots as = Bots.connect(ctx.load(), address(first), plan, i -> new Bot("a" + i, run, roomFor, text), null);
             Bots bs = Bots.connect(ctx.load(), address(second), plan, i -> new Bot("b" + i, run, roomFor, text), null)) {
            double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
            long joinStart = System.nanoTime();
            // Every a first (it creates the room and holds the first turn), then every b.
            joinAll(as, prefix, run);
            joinAll(bs, prefix, run);
            for (RoomRun room : byName.values()) {
                HandoffScenario.awaitReady(room, run);
            }
            double joinSeconds = (System.nanoTime() - joinStart) / 1e9;
            try (Progress ignored = Measure.progress("cluster-rooms " + label, run)) {
                for (RoomRun room : byName.values()) {
                    room.start();
                }
                run.sleep(warmup.toNanos());
                long redis0 = redis == null ? -1 : redis.serverCpuNanos();
                long nodes0 = Cpu.threadsNamed(NODE_THREADS);
                long load0 = ctx.load().cpuNanos();
                run.beginMeasuring();
                run.sleep(measure.toNanos());
                Run.Window window = run.endWindow();
                long redisCpu = redis == null ? -1 : redis.serverCpuNanos() - redis0;
                long nodesCpu = Cpu.threadsNamed(NODE_THREADS) - nodes0;
                long loadCpu = ctx.load().cpuNanos() - load0;
                run.stop();
                run.throwIfFailed();
                return new Row(label, window.handoffs(), window.seconds(), window.histogram(), redisCpu, nodesCpu,
                        loadCpu, connectSeconds, joinSeconds);
            }
        }
    }

    /**
     * The i-th bot of {@code bots} joins room {@code prefix + i}, at most {@link #JOINS_IN_FLIGHT} at a
     * time (as clients arriving, not one burst of thousands), waiting for every Joined.
     */
    private static void joinAll(Bots bots, String prefix, Run run) throws Exception {
        Semaphore inFlight = new Semaphore(JOINS_IN_FLIGHT);
        List<CompletableFuture<Void>> joined = new ArrayList<>(bots.size());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        for (int i = 0; i < bots.size(); i++) {
            if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                run.throwIfFailed();
                throw new IllegalStateException("joins did not complete within 120 s");
            }
            CompletableFuture<Void> one = bots.bots().get(i).join(prefix + i);
            one.whenComplete((ok, failure) -> inFlight.release());
            joined.add(one);
        }
        try {
            CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new))
                    .get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (Exception e) {
            run.throwIfFailed();
            throw e;
        }
    }

    private static void report(Report report, int count, List<Row> rows) {
        Row memory = rows.get(0);
        Row noPersistence = rows.get(2);
        for (Row row : rows) {
            String scenario = String.format(Locale.ROOT, "cluster rooms %,d x 2, %s", count, row.label());
            String note = String.format(Locale.ROOT, "%,d hand-offs in %.1f s, every room as fast as it can; "
                            + "p50 %.0f us, p99 %.0f us; %,d connections in %.1f s, joined in %.1f s; "
                            + "load generator %.0f%% of a core",
                    row.handoffs(), row.seconds(), Measure.percentileMicros(row.latency(), 50),
                    Measure.percentileMicros(row.latency(), 99), 2 * count, row.connectSeconds(), row.joinSeconds(),
                    Measure.percentOfCore(row.loadCpu(), row.seconds()));
            if (row == memory) {
                report.add(Figure.alone(scenario, "hand-offs/s", "1/s", row.rate(), note));
            } else {
                if (row.label().contains("always")) {
                    note += String.format(Locale.ROOT, "; %.2fx two nodes without persistence",
                            row.rate() / noPersistence.rate());
                }
                report.add(new Figure(scenario, "hand-offs/s", "1/s", row.rate(), "one node in memory", memory.rate(),
                        false, "", note));
            }
            report.add(Figure.alone(scenario, "nodes' CPU per hand-off", "us",
                    Measure.micros((double) row.nodesCpu() / Math.max(1, row.handoffs())),
                    String.format(Locale.ROOT, "the nodes' event loops and Lettuce threads, %.0f%% of a core",
                            Measure.percentOfCore(row.nodesCpu(), row.seconds()))));
            if (row.redisCpu() >= 0) {
                double perHandoff = Measure.micros((double) row.redisCpu() / Math.max(1, row.handoffs()));
                report.add(Figure.alone(scenario, "Redis CPU per hand-off", "us", perHandoff,
                        String.format(Locale.ROOT, "redis-server used %.0f%% of a core over the window; at this cost "
                                        + "one Redis core carries about %,.0f hand-offs/s",
                                Measure.percentOfCore(row.redisCpu(), row.seconds()), 1e6 / Math.max(1e-9, perHandoff))));
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
