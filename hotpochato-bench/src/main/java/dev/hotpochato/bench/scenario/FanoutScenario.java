package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.baseline.RedisPubSub;
import dev.hotpochato.bench.load.Bot;
import dev.hotpochato.bench.load.Bots;
import dev.hotpochato.bench.load.RoomRun;
import dev.hotpochato.bench.load.Run;
import dev.hotpochato.bench.report.Figure;
import dev.hotpochato.bench.report.Progress;
import dev.hotpochato.bench.sut.ServerUnderTest;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fan-out throughput: one room of n members taking turns as fast as they can (closed loop), counting
 * messages delivered to clients per second, next to Redis pub/sub running the same loop with the
 * same members and payload size.
 */
public final class FanoutScenario implements Scenario {

    private final List<Integer> roomSizes;
    private final Duration warmup;
    private final Duration measure;
    private final boolean redis;

    public FanoutScenario(List<Integer> roomSizes, Duration warmup, Duration measure, boolean redis) {
        this.roomSizes = roomSizes;
        this.warmup = warmup;
        this.measure = measure;
        this.redis = redis;
    }

    public static FanoutScenario of(Profile p, boolean redis) {
        return new FanoutScenario(p.pick(List.of(3, 10), List.of(10, 100), List.of(10, 100, 1000)),
                p.pick(Duration.ofMillis(200), Duration.ofMillis(800), Duration.ofSeconds(3)),
                p.pick(Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofSeconds(10)), redis);
    }

    @Override
    public String name() {
        return "fanout";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        int largest = roomSizes.stream().mapToInt(Integer::intValue).max().orElse(2);
        RedisPubSub peer = null;
        if (redis) {
            Optional<Path> exe = RedisPubSub.findServer();
            if (exe.isEmpty()) {
                ctx.report().note("fanout: redis-server is not installed, so the Redis pub/sub column is skipped "
                        + "(Debian: apt-get install redis-server)");
            } else {
                peer = RedisPubSub.start(exe.get(), ctx.settings().clientThreads());
                ctx.report().environment("redis", "redis-server " + peer.version() + " on 127.0.0.1:" + peer.port()
                        + ", no persistence; Lettuce client, RESP3, " + ctx.settings().clientThreads()
                        + " I/O thread(s)");
            }
        }
        try (ServerUnderTest server = ctx.openServer(largest, Settings.ServerMode.INPROCESS)) {
            ctx.report().environment("fanout server", server.description());
            for (int n : roomSizes) {
                Result ours = measureHotPochato(ctx, server, n);
                Result theirs = peer == null ? null : measureRedis(ctx, peer, n);
                String note = String.format(Locale.ROOT, "HotPochato: %,.0f turns/s, load generator CPU %.0f%%, "
                        + "server CPU %s", ours.turnsPerSecond, ours.clientCpuPercent, cpu(ours.serverCpuPercent));
                if (theirs != null) {
                    note += String.format(Locale.ROOT, "; Redis: %,.0f turns/s, Lettuce CPU %.0f%%, redis-server "
                            + "CPU %s", theirs.turnsPerSecond, theirs.clientCpuPercent, cpu(theirs.serverCpuPercent));
                }
                ctx.report().add(new Figure("fanout n=" + n, "deliveries/s", "1/s", ours.deliveriesPerSecond,
                        theirs == null ? "" : "Redis pub/sub", theirs == null ? Double.NaN : theirs.deliveriesPerSecond,
                        false, theirs == null ? "" : ">= 1.0x", note));
            }
        } finally {
            if (peer != null) {
                peer.close();
            }
        }
    }

    private static String cpu(double percent) {
        return Double.isNaN(percent) ? "unknown" : String.format(Locale.ROOT, "%.0f%%", percent);
    }

    private record Result(double deliveriesPerSecond, double turnsPerSecond, double clientCpuPercent,
                          double serverCpuPercent) {
    }

    private Result measureHotPochato(BenchContext ctx, ServerUnderTest server, int n) throws Exception {
        Run run = new Run();
        String roomName = "fanout-" + n;
        RoomRun room = new RoomRun(roomName, run);
        String text = ctx.text();
        long clientCpu;
        long serverCpu;
        Bots.Plan plan = Bots.Plan.of(n);
        try (Bots bots = Bots.connect(ctx.load(), server.address(), plan,
                i -> new Bot("b" + i, run, name -> room, text), null)) {
            bots.joinInOrder(roomName, Duration.ofSeconds(60));
            HandoffScenario.awaitReady(room, run);
            try (Progress ignored = Measure.progress("fanout n=" + n + " HotPochato", run)) {
                room.start();
                run.sleep(warmup.toNanos());
                long clientCpu0 = ctx.load().cpuNanos();
                long serverCpu0 = server.cpuNanos();
                run.beginMeasuring();
                run.sleep(measure.toNanos());
                run.stop();
                clientCpu = ctx.load().cpuNanos() - clientCpu0;
                serverCpu = serverCpu0 < 0 ? -1 : server.cpuNanos() - serverCpu0;
            }
        }
        run.throwIfFailed();
        return result(run, clientCpu, serverCpu);
    }

    private Result measureRedis(BenchContext ctx, RedisPubSub redis, int n) throws Exception {
        Run run = new Run();
        long clientCpu;
        long serverCpu;
        try (RedisPubSub.Room room = redis.room("room-" + n, n, ctx.settings().textBytes(), run);
             Progress ignored = Measure.progress("fanout n=" + n + " Redis", run)) {
            room.start();
            run.sleep(warmup.toNanos());
            long clientCpu0 = RedisPubSub.clientCpuNanos();
            long serverCpu0 = redis.serverCpuNanos();
            run.beginMeasuring();
            run.sleep(measure.toNanos());
            run.stop();
            clientCpu = RedisPubSub.clientCpuNanos() - clientCpu0;
            serverCpu = serverCpu0 < 0 ? -1 : redis.serverCpuNanos() - serverCpu0;
        }
        run.throwIfFailed();
        return result(run, clientCpu, serverCpu);
    }

    private static Result result(Run run, long clientCpu, long serverCpu) {
        double seconds = run.measuredSeconds();
        return new Result(run.measuredDeliveries() / seconds, run.measuredHandoffs() / seconds,
                Measure.percentOfCore(clientCpu, seconds),
                serverCpu < 0 ? Double.NaN : Measure.percentOfCore(serverCpu, seconds));
    }
}
