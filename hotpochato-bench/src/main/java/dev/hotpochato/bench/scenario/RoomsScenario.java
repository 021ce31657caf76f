package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.load.Bot;
import dev.hotpochato.bench.load.Bots;
import dev.hotpochato.bench.load.Cpu;
import dev.hotpochato.bench.load.RoomRun;
import dev.hotpochato.bench.load.Run;
import dev.hotpochato.bench.report.Figure;
import dev.hotpochato.bench.report.Progress;
import dev.hotpochato.bench.sut.ServerUnderTest;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Many rooms at once: clients are paired by {@code Match} into private rooms of two, and every room
 * turns as fast as it can. Reports total hand-offs per second and the server's CPU per hand-off; then
 * the same rooms are paced to half that rate, and the p99 hand-off latency under that load is held
 * against the raw ping-pong p99 of the same run (at saturation, latency is only queueing).
 */
public final class RoomsScenario implements Scenario {

    /** Descriptors kept free for the JVM, the server socket, epoll and the like. */
    private static final long FD_RESERVE = 300;
    /** The paced phase offers this share of the rate the closed loop reached. */
    private static final double PACED_SHARE = 0.5;

    private final int rooms;
    private final Duration warmup;
    private final Duration measure;
    private final long floorRoundTrips;

    public RoomsScenario(int rooms, Duration warmup, Duration measure, long floorRoundTrips) {
        this.rooms = rooms;
        this.warmup = warmup;
        this.measure = measure;
        this.floorRoundTrips = floorRoundTrips;
    }

    public static RoomsScenario of(Profile p) {
        return new RoomsScenario(p.pick(20, 1_000, 10_000),
                p.pick(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ofSeconds(3)),
                p.pick(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(15)),
                p.pick(300L, 10_000L, 50_000L));
    }

    @Override
    public String name() {
        return "rooms";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        Floor.Result floor = Floor.measure(ctx, "~pair-" + rooms, floorRoundTrips / 5, floorRoundTrips,
                TimeUnit.SECONDS.toNanos(20));
        // With 10,000 rooms (20,000 connections) one process's descriptors run out: the server gets a JVM of its own.
        Settings.ServerMode preferred = 4L * rooms + FD_RESERVE > Cpu.fileDescriptors()[0]
                ? Settings.ServerMode.SPAWN : Settings.ServerMode.INPROCESS;
        try (ServerUnderTest server = ctx.openServer(2, preferred)) {
            ctx.report().environment("rooms server", server.description());
            int count = fit(ctx, server);
            measure(ctx, server, count, floor.histogram());
        }
    }

    /** As many of the requested rooms as both processes' file-descriptor limits allow. */
    private int fit(BenchContext ctx, ServerUnderTest server) {
        long[] here = Cpu.fileDescriptors();
        long fitting = Long.MAX_VALUE;
        if (here[0] > 0) {
            long perRoomHere = server.inProcess() ? 4 : 2;
            fitting = (here[0] - here[1] - FD_RESERVE) / perRoomHere;
        }
        long[] there = server.inProcess() ? new long[]{-1, -1} : server.fileDescriptors();
        if (there[0] > 0) {
            fitting = Math.min(fitting, (there[0] - there[1] - FD_RESERVE) / 2);
        }
        int count = (int) Math.max(1, Math.min(rooms, fitting));
        if (count < rooms) {
            ctx.report().note(String.format(Locale.ROOT, "rooms: %,d rooms asked for, %,d run: the open-file limit "
                    + "(ulimit -n = %d here, not raisable in this sandbox) allows no more connections", rooms, count,
                    here[0]));
        }
        return count;
    }

    private void measure(BenchContext ctx, ServerUnderTest server, int count, Histogram floor) throws Exception {
        Run run = new Run();
        Map<String, RoomRun> byName = new ConcurrentHashMap<>();
        String text = ctx.text();
        String scenario = String.format(Locale.ROOT, "rooms %,d x 2", count);
        long serverCpu;
        long clientCpu;
        double connectSeconds;
        Run.Window saturated;
        Run.Window paced;
        try (Bots bots = Bots.connect(ctx.load(), server.address(),
                new Bots.Plan(2 * count, 1, 256, true, Duration.ofSeconds(120)),
                i -> new Bot("p" + i, run, name -> byName.computeIfAbsent(name, n -> new RoomRun(n, run)), text),
                null)) {
            connectSeconds = bots.connectSeconds();
            List<CompletableFuture<Void>> joined = new ArrayList<>();
            for (Bot bot : bots.bots()) {
                joined.add(bot.match());
            }
            CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
            for (RoomRun room : byName.values()) {
                HandoffScenario.awaitReady(room, run);
            }
            try (Progress ignored = Measure.progress(scenario, run)) {
                for (RoomRun room : byName.values()) {
                    room.start();
                }
                run.sleep(warmup.toNanos());
                long serverCpu0 = server.cpuNanos();
                long clientCpu0 = ctx.load().cpuNanos();
                run.beginMeasuring();
                run.sleep(measure.toNanos());
                saturated = run.endWindow();
                serverCpu = serverCpu0 < 0 ? -1 : server.cpuNanos() - serverCpu0;
                clientCpu = ctx.load().cpuNanos() - clientCpu0;
            }
            // Then the same rooms at half the rate they just reached: latency under load, not queueing.
            double rate = saturated.handoffs() / saturated.seconds();
            long pauseNanos = (long) (byName.size() / (PACED_SHARE * rate) * 1e9);
            for (RoomRun room : byName.values()) {
                room.pace(pauseNanos);
            }
            try (Progress ignored = Measure.progress(scenario + " paced", run)) {
                run.sleep(2 * pauseNanos + warmup.toNanos());
                run.beginMeasuring();
                run.sleep(Math.max(measure.toNanos(), 4 * pauseNanos));
                paced = run.endWindow();
                run.stop();
            }
        }
        run.throwIfFailed();
        report(ctx, scenario, byName.size(), connectSeconds, saturated, paced, serverCpu, clientCpu, floor);
    }

    private static void report(BenchContext ctx, String scenario, int rooms, double connectSeconds,
                               Run.Window saturated, Run.Window paced, long serverCpu, long clientCpu,
                               Histogram floor) {
        Histogram h = saturated.histogram();
        long n = saturated.handoffs();
        double seconds = saturated.seconds();
        String note = String.format(Locale.ROOT, "%,d rooms paired by Match (%,d connections made in %.1f s); "
                        + "%,d hand-offs in %.1f s, every room as fast as it can; load generator CPU %.0f%% of a core",
                rooms, 2 * rooms, connectSeconds, n, seconds, Measure.percentOfCore(clientCpu, seconds));
        ctx.report().add(Figure.alone(scenario, "hand-offs/s", "1/s", n / seconds, note));
        // Every room keeps one hand-off in flight, so by Little's law the mean latency is rooms / throughput
        // whatever the server does per hand-off: a saturated closed loop measures queueing, not a hop.
        double littleMicros = rooms / (n / seconds) * 1e6;
        ctx.report().add(new Figure(scenario, "p99 latency, saturated", "us", Measure.percentileMicros(h, 99),
                "raw ping-pong", Measure.percentileMicros(floor, 99), true, "",
                String.format(Locale.ROOT, "closed loop at saturation: Little's law puts the mean at rooms / "
                        + "throughput = %.0f us; measured mean %.0f us", littleMicros, Measure.micros(h.getMean()))));
        Histogram p = paced.histogram();
        ctx.report().add(new Figure(scenario, "p99 latency, paced", "us", Measure.percentileMicros(p, 99),
                "raw ping-pong", Measure.percentileMicros(floor, 99), true, "<= 10x",
                String.format(Locale.ROOT, "every room paced to %.0f%% of the saturated rate: %,.0f hand-offs/s, "
                                + "%,d hand-offs; p50 %.0f us", PACED_SHARE * 100, paced.handoffs() / paced.seconds(),
                        paced.handoffs(), Measure.percentileMicros(p, 50))));
        if (serverCpu >= 0) {
            ctx.report().add(Figure.alone(scenario, "server CPU per hand-off", "us",
                    Measure.micros((double) serverCpu / Math.max(1, n)),
                    String.format(Locale.ROOT, "saturated; server used %.0f%% of a core",
                            Measure.percentOfCore(serverCpu, seconds))));
        }
    }
}
