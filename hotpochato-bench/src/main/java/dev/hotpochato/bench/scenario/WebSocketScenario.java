package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.load.Bot;
import dev.hotpochato.bench.load.Bots;
import dev.hotpochato.bench.load.Framing;
import dev.hotpochato.bench.load.RoomRun;
import dev.hotpochato.bench.load.Run;
import dev.hotpochato.bench.report.Figure;
import dev.hotpochato.bench.report.Progress;
import dev.hotpochato.bench.report.Report;
import dev.hotpochato.bench.sut.InProcessServer;
import org.HdrHistogram.Histogram;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turn hand-off latency in a room of two over WebSocket, binary and JSON, beside the same over TCP:
 * one server, the three measured in turn, round after round, so that a shared machine's drift
 * falls on all three alike. TCP is the baseline: the WebSocket gateway adds its framing (and for
 * JSON the conversion) to the very same session and rooms.
 */
public final class WebSocketScenario implements Scenario {

    private final long handoffsPerRound;
    private final long warmup;
    private final int rounds;
    private final long maxNanos;

    public WebSocketScenario(long handoffsPerRound, long warmup, int rounds, Duration maxPerMeasurement) {
        this.handoffsPerRound = handoffsPerRound;
        this.warmup = warmup;
        this.rounds = rounds;
        this.maxNanos = maxPerMeasurement.toNanos();
    }

    public static WebSocketScenario of(Profile p) {
        return new WebSocketScenario(p.pick(100L, 2_000L, 20_000L), p.pick(50L, 1_000L, 5_000L), p.pick(1, 3, 5),
                p.pick(Duration.ofSeconds(10), Duration.ofSeconds(6), Duration.ofSeconds(60)));
    }

    @Override
    public String name() {
        return "websocket";
    }

    /** One framing's hand-offs over all rounds, and the server CPU they cost. */
    private static final class Tally {
        final Histogram latency = new Histogram(3);
        long handoffs;
        long serverCpuNanos;
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        Map<Framing, Tally> tallies = new EnumMap<>(Framing.class);
        for (Framing f : Framing.values()) {
            tallies.put(f, new Tally());
        }
        // Always in this process: the web port of a spawned or remote server is not known here.
        try (InProcessServer server = InProcessServer.startWithWebPort(ctx.settings().serverThreads(), 2)) {
            ctx.report().environment("websocket server", server.description() + ", web port open");
            for (int round = 1; round <= rounds; round++) {
                for (Framing framing : Framing.values()) {
                    InetSocketAddress address = framing == Framing.TCP ? server.address() : server.webAddress();
                    measure(ctx, server, address, framing, round, tallies.get(framing));
                }
            }
        }
        report(ctx.report(), tallies);
    }

    private void measure(BenchContext ctx, InProcessServer server, InetSocketAddress address, Framing framing,
                         int round, Tally tally) throws Exception {
        Run run = new Run();
        String roomName = "ws-" + framing.name().toLowerCase(Locale.ROOT) + "-" + round;
        RoomRun room = new RoomRun(roomName, run);
        long cpu;
        try (Bots bots = Bots.connect(ctx.load(), address, Bots.Plan.of(2),
                i -> new Bot("b" + i, run, name -> room, ctx.text()), null, framing)) {
            bots.joinInOrder(roomName, Duration.ofSeconds(30));
            HandoffScenario.awaitReady(room, run);
            try (Progress ignored = Measure.progress("websocket " + label(framing) + " round " + round, run)) {
                room.start();
                run.awaitTotalHandoffs(warmup, maxNanos);
                long cpu0 = server.cpuNanos();
                run.beginMeasuring();
                run.awaitHandoffs(handoffsPerRound, maxNanos);
                run.stop();
                cpu = server.cpuNanos() - cpu0;
            }
        }
        run.throwIfFailed();
        tally.latency.add(run.histogram());
        tally.handoffs += run.measuredHandoffs();
        tally.serverCpuNanos += cpu;
    }

    private void report(Report report, Map<Framing, Tally> tallies) {
        Tally tcp = tallies.get(Framing.TCP);
        String how = String.format(Locale.ROOT, "%d rounds of TCP, binary and JSON in turn, %,d measured "
                + "hand-offs each per round after %,d warm-up", rounds, handoffsPerRound, warmup);
        report.add(Figure.alone("websocket k=2 tcp", "p50 latency", "us", Measure.percentileMicros(tcp.latency, 50),
                how + String.format(Locale.ROOT, "; p99 %.1f us", Measure.percentileMicros(tcp.latency, 99))));
        for (Framing framing : new Framing[] {Framing.WEBSOCKET_PROTO, Framing.WEBSOCKET_JSON}) {
            Tally ws = tallies.get(framing);
            String scenario = "websocket k=2 " + label(framing);
            report.add(new Figure(scenario, "p50 latency", "us", Measure.percentileMicros(ws.latency, 50), "TCP",
                    Measure.percentileMicros(tcp.latency, 50), true,
                    framing == Framing.WEBSOCKET_PROTO ? "<= 1.3x" : "<= 2x", ws.handoffs + " hand-offs"));
            report.add(new Figure(scenario, "p99 latency", "us", Measure.percentileMicros(ws.latency, 99), "TCP",
                    Measure.percentileMicros(tcp.latency, 99), true, "", ""));
            report.add(new Figure(scenario, "server CPU per hand-off", "us",
                    Measure.micros((double) ws.serverCpuNanos / Math.max(1, ws.handoffs)), "TCP",
                    Measure.micros((double) tcp.serverCpuNanos / Math.max(1, tcp.handoffs)), true, "", ""));
        }
    }

    private static String label(Framing framing) {
        return switch (framing) {
            case TCP -> "tcp";
            case WEBSOCKET_PROTO -> "binary";
            case WEBSOCKET_JSON -> "json";
        };
    }
}
