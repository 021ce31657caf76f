package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.baseline.RedisPubSub;
import dev.hotpochato.bench.load.Cpu;
import dev.hotpochato.bench.load.SpawnedIdleClients;
import dev.hotpochato.bench.report.Figure;
import dev.hotpochato.bench.report.Progress;
import dev.hotpochato.bench.report.Report;
import dev.hotpochato.bench.sut.ServerUnderTest.MemoryStats;
import dev.hotpochato.bench.sut.SpawnedServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Idle sessions across three cluster nodes, past what one process holds here (docs/cluster.md,
 * "Measured"): three nodes in child JVMs sharing one Redis ({@code appendfsync always}, as
 * {@code ./hotpochato cluster} runs it), each sent its share of idle clients (Hello, then silence)
 * by a load generator of its own, also a child JVM, spread over 127.0.0.x source addresses as the
 * connections scenario does: every process has its own file-descriptor limit. Reports the sessions
 * held, each node's heap per session beside one in-memory server holding one node's share, Redis
 * memory per session, and the connect rate.
 */
public final class ClusterSessionsScenario implements Scenario {

    private static final int NODES = 3;
    /** Descriptors kept free in each process for the JVM, the server socket, Redis, epoll and the like. */
    private static final long FD_RESERVE = 300;

    private final int sessions;
    private final int sourceAddresses;
    private final Duration settle;

    public ClusterSessionsScenario(int sessions, int sourceAddresses, Duration settle) {
        this.sessions = sessions;
        this.sourceAddresses = sourceAddresses;
        this.settle = settle;
    }

    public static ClusterSessionsScenario of(Profile p) {
        return new ClusterSessionsScenario(p.pick(300, 6_000, 50_000), p.pick(2, 4, 16),
                p.pick(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)));
    }

    @Override
    public String name() {
        return "cluster-sessions";
    }

    /** What the clients of one node (or of the in-memory server) reported, and the server's heap around them. */
    private record Share(SpawnedIdleClients.Connected connected, MemoryStats before, MemoryStats after) {
        double heapPerSession() {
            return (double) (after.heapBytes() - before.heapBytes()) / Math.max(1, after.connections());
        }
    }

    @Override
    public void run(BenchContext ctx) throws Exception {
        var redisServer = RedisPubSub.findServer();
        if (redisServer.isEmpty()) {
            ctx.report().environment("cluster-sessions", "skipped: redis-server is not installed");
            return;
        }
        int perNode = fit(ctx);
        List<Share> shares = new ArrayList<>();
        long redisBefore;
        long redisAfter;
        long keysAfter;
        double wallSeconds;
        Path dir = Files.createTempDirectory("hotpochato-bench-aof");
        try (RedisPubSub redis = RedisPubSub.start(redisServer.get(), 1, "always", dir)) {
            ctx.report().environment("cluster-sessions redis", redis.version() + ", appendfsync always");
            String uri = "redis://127.0.0.1:" + redis.port();
            List<SpawnedServer> nodes = new ArrayList<>();
            List<SpawnedIdleClients> clients = new ArrayList<>();
            try {
                for (int i = 0; i < NODES; i++) {
                    nodes.add(SpawnedServer.start(1, 2, ctx.settings().serverJvmArgs(), uri));
                }
                List<MemoryStats> before = new ArrayList<>();
                for (SpawnedServer node : nodes) {
                    before.add(node.memory());
                }
                redisBefore = redis.usedMemory();
                long keysBefore = redis.keys();
                long start = System.nanoTime();
                try (Progress ignored = Progress.show("cluster-sessions", () -> String.format(Locale.ROOT,
                        "%d load processes connecting %,d idle clients each to %d nodes", NODES, perNode, NODES))) {
                    for (int i = 0; i < NODES; i++) {
                        clients.add(SpawnedIdleClients.start(nodes.get(i).address(), perNode, sourceAddresses, "n" + i + "c"));
                    }
                    List<SpawnedIdleClients.Connected> connected = new ArrayList<>();
                    for (SpawnedIdleClients c : clients) {
                        connected.add(c.awaitConnected());
                    }
                    wallSeconds = (System.nanoTime() - start) / 1e9;
                    int held = connected.stream().mapToInt(SpawnedIdleClients.Connected::held).sum();
                    // Each session's record is written to Redis asynchronously: wait until they are all there.
                    long deadline = System.nanoTime() + settle.toNanos();
                    while (redis.keys() - keysBefore < held && System.nanoTime() < deadline) {
                        Thread.sleep(100);
                    }
                    keysAfter = redis.keys() - keysBefore;
                    redisAfter = redis.usedMemory();
                    for (int i = 0; i < NODES; i++) {
                        shares.add(new Share(connected.get(i), before.get(i), nodes.get(i).memory()));
                    }
                }
            } finally {
                for (SpawnedIdleClients c : clients) {
                    c.close();
                }
                for (SpawnedServer node : nodes) {
                    node.close();
                }
            }
        } finally {
            deleteTree(dir);
        }
        Share memory;
        try (SpawnedServer single = SpawnedServer.start(1, 2, ctx.settings().serverJvmArgs())) {
            MemoryStats before = single.memory();
            try (SpawnedIdleClients c = SpawnedIdleClients.start(single.address(), perNode, sourceAddresses, "m")) {
                SpawnedIdleClients.Connected connected = c.awaitConnected();
                memory = new Share(connected, before, single.memory());
            }
        }
        report(ctx.report(), perNode, shares, memory, redisAfter - redisBefore, keysAfter, wallSeconds);
    }

    /** One node's share, capped so that each node and each load process stays within its descriptor limit. */
    private int fit(BenchContext ctx) {
        int perNode = (sessions + NODES - 1) / NODES;
        long limit = Cpu.fileDescriptors()[0];
        if (limit > 0 && perNode > limit - FD_RESERVE) {
            int capped = (int) (limit - FD_RESERVE);
            ctx.report().note(String.format(Locale.ROOT, "cluster-sessions: %,d sessions asked for, %,d per node tried: "
                    + "each process's open-file limit (ulimit -n = %d) caps it", sessions, capped, limit));
            return capped;
        }
        return perNode;
    }

    private static void report(Report report, int perNode, List<Share> shares, Share memory, long redisBytes,
                               long keys, double wallSeconds) {
        String scenario = String.format(Locale.ROOT, "cluster sessions %d nodes", NODES);
        int held = shares.stream().mapToInt(s -> s.connected().held()).sum();
        int counted = shares.stream().mapToInt(s -> s.after().connections()).sum();
        double slowest = shares.stream().mapToDouble(s -> s.connected().seconds()).max().orElse(Double.NaN);
        StringBuilder failures = new StringBuilder();
        for (int i = 0; i < shares.size(); i++) {
            SpawnedIdleClients.Connected c = shares.get(i).connected();
            if (c.failures() > 0) {
                failures.append(String.format(Locale.ROOT, "; node %d: %,d failed, first: %s", i, c.failures(),
                        c.firstFailure()));
            }
        }
        report.add(new Figure(scenario, "idle sessions held", "sessions", held, "", Double.NaN, false, "",
                String.format(Locale.ROOT, "%,d tried (%,d per node, each node and each load generator a process of "
                        + "its own); the nodes counted %,d%s", NODES * perNode, perNode, counted, failures)));
        report.add(new Figure(scenario, "connect rate", "1/s", held / slowest, "one node in memory",
                memory.connected().held() / memory.connected().seconds(), false, "",
                String.format(Locale.ROOT, "connect + Hello + Welcome, %d load processes at once, 512 in flight each; "
                        + "slowest took %.1f s (%.1f s with the load processes' start); in memory: one load process, "
                        + "%,d in %.1f s", NODES, slowest, wallSeconds, memory.connected().held(),
                        memory.connected().seconds())));
        for (int i = 0; i < shares.size(); i++) {
            Share s = shares.get(i);
            report.add(new Figure(scenario + ", node " + i, "heap per session", "bytes", s.heapPerSession(),
                    "one node in memory", memory.heapPerSession(), true, "",
                    String.format(Locale.ROOT, "%,d sessions; heap after full GC %,d -> %,d bytes; in memory: %,d "
                            + "sessions, %,d -> %,d bytes", s.after().connections(), s.before().heapBytes(),
                            s.after().heapBytes(), memory.after().connections(), memory.before().heapBytes(),
                            memory.after().heapBytes())));
        }
        report.add(Figure.alone(scenario, "Redis memory per session", "bytes", (double) redisBytes / Math.max(1, held),
                String.format(Locale.ROOT, "used_memory grew by %,d bytes; %,d keys added (one session record each, "
                        + "written asynchronously)", redisBytes, keys)));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
