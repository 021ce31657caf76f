package dev.hotpochato.bench.scenario;

import dev.hotpochato.bench.baseline.RedisPubSub;
import dev.hotpochato.bench.report.Figure;
import dev.hotpochato.bench.report.Report;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Each scenario runs once at a tiny size and must report sane figures: positive counts, finite
 * ratios. Nothing here holds a figure against a time; the machines are shared and noisy.
 */
class ScenariosTest {

    private static List<Figure> run(Scenario scenario) throws Exception {
        Report report = new Report();
        Settings settings = new Settings(null, 0, Settings.ServerMode.INPROCESS, 2, 1, 32, List.of());
        try (BenchContext ctx = new BenchContext(settings, report)) {
            scenario.run(ctx);
        }
        assertFalse(report.figures().isEmpty(), "no figures from " + scenario.name());
        for (Figure f : report.figures()) {
            assertTrue(f.value() >= 0 && Double.isFinite(f.value()), f + " has no sane value");
            if (f.hasBaseline()) {
                assertTrue(f.baseline() > 0, f + " has no sane baseline");
                assertTrue(Double.isFinite(f.ratio()) && f.ratio() > 0, f + " has no finite ratio");
            }
        }
        return report.figures();
    }

    private static Figure find(List<Figure> figures, String scenario, String metric) {
        return figures.stream().filter(f -> f.scenario().equals(scenario) && f.metric().equals(metric))
                .findFirst().orElseThrow(() -> new AssertionError("no " + scenario + " / " + metric + " in " + figures));
    }

    @Test
    void handoffReportsLatencyPercentilesBesideThePingPongFloor() throws Exception {
        List<Figure> figures = run(HandoffScenario.of(Profile.TINY));
        for (String k : List.of("2", "8")) {
            Figure p50 = find(figures, "handoff k=" + k, "p50 latency");
            Figure p99 = find(figures, "handoff k=" + k, "p99 latency");
            assertTrue(p50.value() > 0 && p50.hasBaseline());
            assertTrue(p99.value() >= p50.value(), "p99 below p50");
            assertTrue(find(figures, "handoff k=" + k + " floor", "round trips/s").value() > 0);
        }
        // A pair is held against the ping-pong; a room of 8 against a raw broadcast to 8 sockets.
        assertEquals("<= 1.5x", find(figures, "handoff k=2", "p50 latency").target());
        Figure broadcastP50 = figures.stream().filter(f -> f.scenario().equals("handoff k=8")
                && f.metric().equals("p50 latency") && f.baselineName().equals("raw broadcast to 8"))
                .findFirst().orElseThrow(() -> new AssertionError("no broadcast floor for k=8 in " + figures));
        assertEquals("<= 1.5x", broadcastP50.target());
        assertTrue(broadcastP50.baseline() > 0);
        assertTrue(find(figures, "handoff k=8 broadcast floor", "hand-offs/s").value() > 0);
    }

    @Test
    void webSocketHandoffsAreReportedBesideTcpForBothSubprotocols() throws Exception {
        List<Figure> figures = run(WebSocketScenario.of(Profile.TINY));
        assertTrue(find(figures, "websocket k=2 tcp", "p50 latency").value() > 0);
        for (String subprotocol : List.of("binary", "json")) {
            Figure p50 = find(figures, "websocket k=2 " + subprotocol, "p50 latency");
            assertEquals("TCP", p50.baselineName());
            assertTrue(p50.value() > 0 && p50.hasBaseline());
            assertTrue(find(figures, "websocket k=2 " + subprotocol, "server CPU per hand-off").value() > 0);
        }
    }

    @Test
    void fanoutCountsDeliveriesToEveryMember() throws Exception {
        List<Figure> figures = run(FanoutScenario.of(Profile.TINY, false));
        assertTrue(find(figures, "fanout n=3", "deliveries/s").value() > 0);
        assertTrue(find(figures, "fanout n=10", "deliveries/s").value() > 0);
    }

    @Test
    void fanoutAgainstRedisPubSubGivesAFiniteRatio() throws Exception {
        assumeTrue(RedisPubSub.findServer().isPresent(), "redis-server is not installed");
        List<Figure> figures = run(new FanoutScenario(List.of(3), java.time.Duration.ofMillis(100),
                java.time.Duration.ofMillis(300), true));
        Figure f = find(figures, "fanout n=3", "deliveries/s");
        assertEquals("Redis pub/sub", f.baselineName());
        assertTrue(Double.isFinite(f.ratio()));
    }

    @Test
    void clusterHandoffIsReportedBesideMemoryARedisRoundTripAndEachPersistence() throws Exception {
        assumeTrue(RedisPubSub.findServer().isPresent(), "redis-server is not installed");
        List<Figure> figures = run(ClusterHandoffScenario.of(Profile.TINY));
        assertTrue(find(figures, "cluster redis round trip", "p50 latency").value() > 0);
        String twoNodes = "cluster handoff k=2 two nodes via Redis";
        assertEquals("one node in memory", find(figures, twoNodes, "p50 latency").baselineName());
        Figure budget = find(figures, twoNodes, "p50 latency against its budget");
        assertTrue(budget.baseline() > find(figures, "cluster redis round trip", "p50 latency").value());
        assertTrue(find(figures, twoNodes, "Redis CPU per hand-off").value() > 0);
        for (String fsync : List.of("everysec", "always")) {
            assertEquals("no persistence", find(figures, twoNodes + ", appendfsync " + fsync, "p50 latency").baselineName());
        }
    }

    @Test
    void clusterRoomsReportThroughputOfEachRowAgainstMemoryAndRedisCpuPerHandoff() throws Exception {
        assumeTrue(RedisPubSub.findServer().isPresent(), "redis-server is not installed");
        List<Figure> figures = run(ClusterRoomsScenario.of(Profile.TINY));
        assertTrue(find(figures, "cluster rooms 10 x 2, one node in memory", "hand-offs/s").value() > 0);
        for (String row : List.of("one node via Redis", "two nodes via Redis", "two nodes via Redis, appendfsync always")) {
            String scenario = "cluster rooms 10 x 2, " + row;
            Figure rate = find(figures, scenario, "hand-offs/s");
            assertTrue(rate.value() > 0, rate + " made no hand-offs");
            assertEquals("one node in memory", rate.baselineName());
            find(figures, scenario, "Redis CPU per hand-off");
            find(figures, scenario, "nodes' CPU per hand-off");
        }
    }

    @Test
    void clusterSessionsAreHeldByThreeNodeProcessesAndCostedBesideOneNodeInMemory() throws Exception {
        assumeTrue(RedisPubSub.findServer().isPresent(), "redis-server is not installed");
        List<Figure> figures = run(ClusterSessionsScenario.of(Profile.TINY));
        Figure held = find(figures, "cluster sessions 3 nodes", "idle sessions held");
        assertEquals(300, held.value(), held.note());
        assertTrue(find(figures, "cluster sessions 3 nodes", "connect rate").value() > 0);
        for (int node = 0; node < 3; node++) {
            assertEquals("one node in memory",
                    find(figures, "cluster sessions 3 nodes, node " + node, "heap per session").baselineName());
        }
        assertTrue(find(figures, "cluster sessions 3 nodes", "Redis memory per session").value() > 0);
    }

    @Test
    void pairedRoomsReportThroughputLatencyAndCpu() throws Exception {
        List<Figure> figures = run(RoomsScenario.of(Profile.TINY));
        assertTrue(find(figures, "rooms 20 x 2", "hand-offs/s").value() > 0);
        assertTrue(find(figures, "rooms 20 x 2", "p99 latency, saturated").hasBaseline());
        assertTrue(find(figures, "rooms 20 x 2", "p99 latency, paced").value() > 0);
        assertTrue(find(figures, "rooms 20 x 2", "server CPU per hand-off").value() > 0);
    }

    @Test
    void idleConnectionsAreAllHeldAndCosted() throws Exception {
        List<Figure> figures = run(ConnectionsScenario.of(Profile.TINY));
        assertEquals(50, find(figures, "connections", "idle connections held").value());
        assertTrue(find(figures, "connections", "accept rate").value() > 0);
        find(figures, "connections", "heap per connection");
    }

    @Test
    void jmhRunsAMicrobenchmark() throws Exception {
        List<Figure> figures = run(JmhScenario.of(Profile.TINY));
        assertTrue(find(figures, "jmh", "SchedulerBenchmark.sayStep members=2").value() > 0);
    }
}
