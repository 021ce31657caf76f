package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.load.Bot;
import dev.hotpochato.bench.load.Bots;
import dev.hotpochato.bench.load.Cpu;
import dev.hotpochato.bench.load.Run;
import dev.hotpochato.bench.report.Figure;
import dev.hotpochato.bench.report.Progress;
import dev.hotpochato.bench.sut.ServerUnderTest;

import java.time.Duration;
import java.util.Locale;

/**
 * Idle connections: how many one server holds, what each costs in heap and direct memory, and how
 * fast they are accepted. Every client says Hello (so the server holds a session for it) and then
 * stays silent. The server runs in a child JVM by default so that its heap is measured alone and
 * it has a file-descriptor limit of its own; clients spread over several 127.0.0.x source addresses.
 */
public final class ConnectionsScenario implements Scenario {

    private static final long FD_RESERVE = 300;

    private final int connections;
    private final int sourceAddresses;
    private final Duration hold;

    public ConnectionsScenario(int connections, int sourceAddresses, Duration hold) {
        this.connections = connections;
        this.sourceAddresses = sourceAddresses;
        this.hold = hold;
    }

    public static ConnectionsScenario of(Profile p) {
        return new ConnectionsScenario(p.pick(50, 2_000, 100_000), p.pick(2, 4, 16),
                p.pick(Duration.ZERO, Duration.ofMillis(500), Duration.ofSeconds(3)));
    }

    @Override
    public String name() {
        return "connections";
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        try (ServerUnderTest server = ctx.openServer(2, Settings.ServerMode.SPAWN)) {
            ctx.report().environment("connections server", server.description());
            int count = fit(ctx, server);
            ServerUnderTest.MemoryStats before = server.memory();
            Run run = new Run();
            Bots bots;
            try (Progress ignored = Progress.show("connections", () -> String.format(Locale.ROOT,
                    "connecting %,d idle clients from %d source addresses", count, sourceAddresses))) {
                bots = Bots.connect(ctx.load(), server.address(),
                        new Bots.Plan(count, sourceAddresses, 512, false, Duration.ofMinutes(5)),
                        i -> new Bot("c" + i, run, name -> null, ""), null);
            }
            try (bots) {
                run.sleep(hold.toNanos());
                ServerUnderTest.MemoryStats after = server.memory();
                report(ctx, server, count, bots, before, after);
            }
        }
    }

    private int fit(BenchContext ctx, ServerUnderTest server) {
        long[] here = Cpu.fileDescriptors();
        long fitting = Long.MAX_VALUE;
        if (here[0] > 0) {
            fitting = (here[0] - here[1] - FD_RESERVE) / (server.inProcess() ? 2 : 1);
        }
        long[] there = server.inProcess() ? new long[]{-1, -1} : server.fileDescriptors();
        if (there[0] > 0) {
            fitting = Math.min(fitting, there[0] - there[1] - FD_RESERVE);
        }
        int count = (int) Math.max(1, Math.min(connections, fitting));
        if (count < connections) {
            ctx.report().note(String.format(Locale.ROOT, "connections: %,d asked for, %,d tried: the open-file "
                    + "limit (ulimit -n = %d for each process here; raising it is not permitted in this sandbox) "
                    + "caps one process's sockets", connections, count, here[0]));
        }
        return count;
    }

    private void report(BenchContext ctx, ServerUnderTest server, int tried, Bots bots,
                        ServerUnderTest.MemoryStats before, ServerUnderTest.MemoryStats after) {
        int held = bots.size();
        String how = String.format(Locale.ROOT, "%,d of %,d tried%s; server: %s", held, tried,
                bots.failures() > 0 ? ", first failure: " + bots.firstFailure() : "", server.description());
        ctx.report().add(new Figure("connections", "idle connections held", "connections", held, "", Double.NaN,
                false, "", how + (after == null ? "" : "; the server counted " + after.connections())));
        ctx.report().add(Figure.alone("connections", "accept rate", "1/s", held / bots.connectSeconds(),
                String.format(Locale.ROOT, "connect + Hello + Welcome of %,d clients in %.2f s (%.0f us each), "
                        + "at most 512 in flight", held, bots.connectSeconds(), bots.connectSeconds() * 1e6 / held)));
        if (before != null && after != null && held > 0) {
            String scope = server.inProcess() ? "in-process: includes the load generator's side of each connection"
                    : "server JVM alone, after full GC";
            ctx.report().add(Figure.alone("connections", "heap per connection", "bytes",
                    (double) (after.heapBytes() - before.heapBytes()) / held,
                    scope + String.format(Locale.ROOT, "; heap %,d -> %,d bytes; target <= 3,072",
                            before.heapBytes(), after.heapBytes())));
            ctx.report().add(Figure.alone("connections", "direct memory per connection", "bytes",
                    (double) (after.directBytes() - before.directBytes()) / held,
                    String.format(Locale.ROOT, "direct %,d -> %,d bytes (JDK direct buffers + Netty's pooled arenas)",
                            before.directBytes(), after.directBytes())));
        }
    }
}
