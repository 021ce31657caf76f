package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.load.Bot;
import dev.hotpochato.bench.load.Bots;
import dev.hotpochato.bench.load.RoomRun;
import dev.hotpochato.bench.load.Run;
import dev.hotpochato.bench.report.Figure;
import dev.hotpochato.bench.report.Progress;
import dev.hotpochato.bench.report.Report;
import dev.hotpochato.bench.sut.ServerUnderTest;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Turn hand-off latency in one room of k members: from the holder writing {@code Say} to the next
 * holder reading its {@code TurnGranted}, one hand-off in flight at a time, next to the raw Netty
 * ping-pong floor measured in the same run.
 */
public final class HandoffScenario implements Scenario {

    private final List<Integer> memberCounts;
    private final long handoffs;
    private final long warmup;
    private final long maxNanos;

    public HandoffScenario(List<Integer> memberCounts, long handoffs, long warmup, Duration maxPerRoom) {
        this.memberCounts = memberCounts;
        this.handoffs = handoffs;
        this.warmup = warmup;
        this.maxNanos = maxPerRoom.toNanos();
    }

    public static HandoffScenario of(Profile p) {
        return new HandoffScenario(p.pick(List.of(2, 8), List.of(2, 8, 64), List.of(2, 8, 64)),
                p.pick(300L, 5_000L, 100_000L), p.pick(100L, 2_000L, 20_000L),
                p.pick(Duration.ofSeconds(10), Duration.ofSeconds(6), Duration.ofSeconds(120)));
    }

    @Override
    public String name() {
        return "handoff";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        int largest = memberCounts.stream().mapToInt(Integer::intValue).max().orElse(2);
        try (ServerUnderTest server = ctx.openServer(largest, Settings.ServerMode.INPROCESS)) {
            ctx.report().environment("handoff server", server.description());
            for (int k : memberCounts) {
                // The floor is measured right before and right after each room size, half of its
                // round trips each time: on a shared machine the floor moves by 2x or more within
                // minutes, and a floor taken once at the start would be set against rooms measured
                // minutes later.
                // Rooms of more than two also get the broadcast floor (k sockets written per hand-off),
                // the one their goal is held against, taken the same way.
                String name = "handoff-" + k;
                Floor.Result before = Floor.measure(ctx, name, warmup, handoffs / 2, maxNanos);
                Floor.Result broadcastBefore = k > 2
                        ? Floor.measureBroadcast(ctx, name, k, warmup, handoffs / 2, maxNanos) : null;
                Measured room = measureRoom(ctx, server, k);
                Floor.Result broadcastAfter = k > 2
                        ? Floor.measureBroadcast(ctx, name, k, warmup, handoffs - handoffs / 2, maxNanos) : null;
                Floor.Result after = Floor.measure(ctx, name, warmup, handoffs - handoffs / 2, maxNanos);
                report(ctx, k, room, Floor.Result.merge(before, after),
                        k > 2 ? Floor.Result.merge(broadcastBefore, broadcastAfter) : null);
            }
        }
    }

    /** A room's hand-off latencies, and a line on how they were measured. */
    private record Measured(Histogram latency, String note) {
    }

    private Measured measureRoom(BenchContext ctx, ServerUnderTest server, int k) throws Exception {
        Run run = new Run();
        String roomName = "handoff-" + k;
        RoomRun room = new RoomRun(roomName, run);
        String text = ctx.text();
        String scenario = "handoff k=" + k;
        long serverCpu;
        long clientCpu;
        try (Bots bots = Bots.connect(ctx.load(), server.address(), Bots.Plan.of(k),
                i -> new Bot("b" + i, run, name -> room, text), null)) {
            bots.joinInOrder(roomName, Duration.ofSeconds(30));
            awaitReady(room, run);
            try (Progress ignored = Measure.progress(scenario, run)) {
                room.start();
                run.awaitTotalHandoffs(warmup, maxNanos);
                long serverCpu0 = server.cpuNanos();
                long clientCpu0 = ctx.load().cpuNanos();
                run.beginMeasuring();
                run.awaitHandoffs(handoffs, maxNanos);
                run.stop();
                serverCpu = server.cpuNanos() - serverCpu0;
                clientCpu = ctx.load().cpuNanos() - clientCpu0;
            }
        }
        run.throwIfFailed();
        Histogram h = run.histogram();
        long n = run.measuredHandoffs();
        double seconds = run.measuredSeconds();
        String note = String.format(Locale.ROOT, "%,d hand-offs in %.1f s after %,d warm-up; load generator CPU %.0f%% "
                        + "of a core%s", n, seconds, warmup, Measure.percentOfCore(clientCpu, seconds),
                serverCpu >= 0 ? String.format(Locale.ROOT, ", server CPU %.1f us per hand-off",
                        Measure.micros((double) serverCpu / Math.max(1, n))) : "");
        return new Measured(h, note);
    }

    /**
     * The room beside its floors. A pair's goals are held against the ping-pong; a bigger room's
     * against the broadcast to k (the ping-pong stays beside it, without a goal).
     */
    private void report(BenchContext ctx, int k, Measured room, Floor.Result pingPong, Floor.Result broadcast) {
        String scenario = "handoff k=" + k;
        Report report = ctx.report();
        report.add(Figure.alone(scenario + " floor", "round trips/s", "1/s", pingPong.roundTrips() / pingPong.seconds(),
                String.format(Locale.ROOT, "raw Netty ping-pong right before and after the room, %,d round trips: "
                                + "p50 %.1f us, p99 %.1f us", pingPong.roundTrips(),
                        Measure.percentileMicros(pingPong.histogram(), 50),
                        Measure.percentileMicros(pingPong.histogram(), 99))));
        if (broadcast != null) {
            report.add(Figure.alone(scenario + " broadcast floor", "hand-offs/s", "1/s",
                    broadcast.roundTrips() / broadcast.seconds(), String.format(Locale.ROOT,
                            "raw Netty broadcast to %d sockets right before and after the room, %,d hand-offs: "
                                    + "p50 %.1f us, p99 %.1f us", k, broadcast.roundTrips(),
                            Measure.percentileMicros(broadcast.histogram(), 50),
                            Measure.percentileMicros(broadcast.histogram(), 99))));
        }
        boolean pair = broadcast == null;
        addLatencies(report, scenario, room, pingPong.histogram(), "raw ping-pong", pair, pair ? room.note() : "");
        if (!pair) {
            addLatencies(report, scenario, room, broadcast.histogram(), "raw broadcast to " + k, true, room.note());
        }
    }

    private static void addLatencies(Report report, String scenario, Measured room, Histogram floor, String floorName,
                                     boolean withGoals, String note) {
        Histogram h = room.latency();
        report.add(new Figure(scenario, "p50 latency", "us", Measure.percentileMicros(h, 50), floorName,
                Measure.percentileMicros(floor, 50), true, withGoals ? "<= 1.5x" : "", note));
        report.add(new Figure(scenario, "p99 latency", "us", Measure.percentileMicros(h, 99), floorName,
                Measure.percentileMicros(floor, 99), true, withGoals ? "<= 2x" : "", ""));
        report.add(new Figure(scenario, "p99.9 latency", "us", Measure.percentileMicros(h, 99.9), floorName,
                Measure.percentileMicros(floor, 99.9), true, "", ""));
        report.add(new Figure(scenario, "max latency", "us", Measure.maxMicros(h), floorName,
                Measure.maxMicros(floor), true, "", ""));
    }

    /** Waits until the room's first holder has been granted the turn and is parked. */
    static void awaitReady(RoomRun room, Run run) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!room.ready()) {
            if (System.nanoTime() > deadline || run.errors() > 0) {
                run.throwIfFailed();
                throw new IllegalStateException("room " + room.name() + " never granted a first turn");
            }
            Thread.sleep(1);
        }
    }
}
