package dev.hotpochato.bench.cli;

import dev.hotpochato.bench.report.Report;
import dev.hotpochato.bench.scenario.BenchContext;
import dev.hotpochato.bench.scenario.ClusterRoomsScenario;
import dev.hotpochato.bench.scenario.ClusterSessionsScenario;
import dev.hotpochato.bench.scenario.ConnectionsScenario;
import dev.hotpochato.bench.scenario.FanoutScenario;
import dev.hotpochato.bench.scenario.HandoffScenario;
import dev.hotpochato.bench.scenario.WebSocketScenario;
import dev.hotpochato.bench.scenario.JmhScenario;
import dev.hotpochato.bench.scenario.Profile;
import dev.hotpochato.bench.scenario.RoomsScenario;
import dev.hotpochato.bench.scenario.Scenario;
import dev.hotpochato.bench.scenario.Settings;
import io.netty.util.ResourceLeakDetector;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code java -jar hotpochato-bench.jar <scenario> [options]}: runs benchmarks and prints their table. */
@Command(name = "hotpochato-bench", mixinStandardHelpOptions = true, version = "hotpochato-bench 0.1.0",
        sortOptions = false, showDefaultValues = true,
        description = {"Measures HotPochato beside a baseline run on the same machine in the same run.",
                "Scenarios: handoff, websocket, fanout, rooms, connections, jmh; quick (all, small, < 1 min); all (all, full size).",
                "cluster-handoff (not in quick or all): hand-offs through Redis on one and two nodes, beside one node in memory.",
                "cluster-rooms (not in quick or all): throughput of many paired rooms through Redis on one and two nodes.",
                "cluster-sessions (not in quick or all): idle sessions over three node processes sharing one Redis."})
public final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SCENARIO",
            description = "handoff | websocket | fanout | rooms | connections | jmh | quick | all | cluster-handoff | cluster-rooms | cluster-sessions")
    String scenario;

    @Option(names = "--profile", description = "Sizes: TINY (a smoke run), QUICK or FULL. Default: QUICK for "
            + "'quick', FULL otherwise.")
    Profile profile;

    @Option(names = "--host", description = "Drive a running server at this host (127.0.0.x only) instead of starting one.")
    String host;

    @Option(names = "--port", description = "Port of the running server given by --host.", defaultValue = "7447")
    int port;

    @Option(names = "--server", description = "How to run the server when no --host is given: AUTO (in-process, "
            + "except connections and large rooms runs, which get a child JVM), INPROCESS or SPAWN.",
            defaultValue = "AUTO")
    Settings.ServerMode serverMode;

    @Option(names = "--server-threads", description = "Server worker event loops; 0 = the server's default (1 per core).",
            defaultValue = "0")
    int serverThreads;

    @Option(names = "--client-threads", description = "Load-generator event loops (also Lettuce's I/O threads).",
            defaultValue = "1")
    int clientThreads;

    @Option(names = "--text-bytes", description = "Bytes of text in each Say (and each Redis message).",
            defaultValue = "32")
    int textBytes;

    @Option(names = "--server-jvm-arg", description = "Extra JVM flag for a spawned server (repeatable), "
            + "e.g. -XX:StartFlightRecording=filename=server.jfr")
    List<String> serverJvmArgs = new ArrayList<>();

    @Option(names = "--members", split = ",", description = "handoff: room sizes k.")
    List<Integer> members;

    @Option(names = "--handoffs", description = "handoff: measured hand-offs per room size (after warm-up).")
    Long handoffs;

    @Option(names = "--warmup-handoffs", description = "handoff: unrecorded hand-offs first.")
    Long warmupHandoffs;

    @Option(names = "--sizes", split = ",", description = "fanout: room sizes n.")
    List<Integer> sizes;

    @Option(names = "--seconds", description = "fanout, rooms, cluster-rooms: measured seconds per run (after warm-up).")
    Double seconds;

    @Option(names = "--no-redis", description = "fanout: skip the Redis pub/sub column.")
    boolean noRedis;

    @Option(names = "--rooms", description = "rooms, cluster-rooms: paired rooms (2 members each).")
    Integer rooms;

    @Option(names = "--connections", description = "connections, cluster-sessions: idle connections to try.")
    Integer connections;

    @Option(names = "--source-addresses", description = "connections, cluster-sessions: spread clients over 127.0.0.2 .. 127.0.0.(1+N).")
    Integer sourceAddresses;

    @Option(names = "--json", description = "Also write the figures to this file as JSON.")
    Path json;

    public static void main(String[] args) {
        // Leak tracking samples buffers and would be charged to the figures; the tests keep it on.
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        System.exit(new CommandLine(new BenchCommand()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        if (host != null && !host.startsWith("127.") && !host.equals("localhost")) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "--host must be a loopback address (127.x.x.x or localhost): benchmarks only target this machine");
        }
        Profile sizes = profile != null ? profile : scenario.equals("quick") ? Profile.QUICK : Profile.FULL;
        List<Scenario> plan = plan(sizes);
        Report report = new Report();
        describeEnvironment(report, sizes);
        Settings settings = new Settings(host, port, serverMode, serverThreads, clientThreads, textBytes,
                List.copyOf(serverJvmArgs));
        long start = System.nanoTime();
        int failed = 0;
        try (BenchContext ctx = new BenchContext(settings, report)) {
            for (Scenario s : plan) {
                try {
                    s.run(ctx);
                } catch (Exception e) {
                    failed++;
                    report.note(s.name() + " failed: " + e);
                    e.printStackTrace();
                }
            }
        }
        report.environment("wall time", String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - start) / 1e9));
        PrintStream out = System.out;
        out.println();
        report.printTable(out);
        if (json != null) {
            report.writeJson(json);
            out.println("figures written to " + json);
        }
        return failed == 0 ? 0 : 1;
    }

    /** The scenarios to run, sized by {@code p} and then by any explicit option. */
    List<Scenario> plan(Profile p) {
        List<String> names = switch (scenario) {
            case "quick", "all" -> List.of("handoff", "websocket", "fanout", "rooms", "connections", "jmh");
            default -> List.of(scenario);
        };
        List<Scenario> plan = new ArrayList<>();
        for (String name : names) {
            plan.add(switch (name) {
                case "handoff" -> handoff(p);
                case "websocket" -> WebSocketScenario.of(p);
                case "fanout" -> fanout(p);
                case "rooms" -> rooms(p);
                case "connections" -> connections(p);
                case "jmh" -> JmhScenario.of(p);
                case "cluster-handoff" -> dev.hotpochato.bench.scenario.ClusterHandoffScenario.of(p);
                case "cluster-rooms" -> clusterRooms(p);
                case "cluster-sessions" -> clusterSessions(p);
                default -> throw new CommandLine.ParameterException(new CommandLine(this),
                        "unknown scenario '" + name + "'; expected one of handoff, websocket, fanout, rooms, connections, jmh, "
                                + "cluster-handoff, cluster-rooms, cluster-sessions, quick, all");
            });
        }
        return plan;
    }

    private Scenario handoff(Profile p) {
        if (members == null && handoffs == null && warmupHandoffs == null) {
            return HandoffScenario.of(p);
        }
        long h = handoffs != null ? handoffs : p == Profile.FULL ? 100_000 : 10_000;
        long w = warmupHandoffs != null ? warmupHandoffs : Math.max(100, h / 5);
        return new HandoffScenario(members != null ? members : List.of(2, 8, 64), h, w,
                Duration.ofSeconds(Math.max(10, h / 500)));
    }

    private Scenario fanout(Profile p) {
        if (sizes == null && seconds == null) {
            return FanoutScenario.of(p, !noRedis);
        }
        Duration measure = seconds != null ? Duration.ofMillis((long) (seconds * 1000)) : Duration.ofSeconds(10);
        return new FanoutScenario(sizes != null ? sizes : List.of(10, 100, 1000),
                measure.dividedBy(3).plusMillis(200), measure, !noRedis);
    }

    private Scenario rooms(Profile p) {
        if (rooms == null && seconds == null) {
            return RoomsScenario.of(p);
        }
        Duration measure = seconds != null ? Duration.ofMillis((long) (seconds * 1000)) : Duration.ofSeconds(15);
        return new RoomsScenario(rooms != null ? rooms : 10_000, measure.dividedBy(5).plusMillis(200), measure,
                p == Profile.FULL ? 50_000 : 10_000);
    }

    private Scenario clusterRooms(Profile p) {
        if (rooms == null && seconds == null) {
            return ClusterRoomsScenario.of(p);
        }
        Duration measure = seconds != null ? Duration.ofMillis((long) (seconds * 1000)) : Duration.ofSeconds(10);
        return new ClusterRoomsScenario(rooms != null ? rooms : 4_000, measure.dividedBy(3).plusMillis(200), measure);
    }

    private Scenario clusterSessions(Profile p) {
        if (connections == null && sourceAddresses == null) {
            return ClusterSessionsScenario.of(p);
        }
        return new ClusterSessionsScenario(connections != null ? connections : 50_000,
                sourceAddresses != null ? sourceAddresses : 16, Duration.ofSeconds(120));
    }

    private Scenario connections(Profile p) {
        if (connections == null && sourceAddresses == null) {
            return ConnectionsScenario.of(p);
        }
        return new ConnectionsScenario(connections != null ? connections : 100_000,
                sourceAddresses != null ? sourceAddresses : 16, Duration.ofSeconds(1));
    }

    private void describeEnvironment(Report report, Profile sizes) {
        Runtime rt = Runtime.getRuntime();
        report.environment("profile", sizes.name() + " (" + scenario + ")");
        report.environment("cores", Integer.toString(rt.availableProcessors()));
        report.environment("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        report.environment("max heap", (rt.maxMemory() >> 20) + " MiB");
        report.environment("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        report.environment("transport", dev.hotpochato.protocol.net.Transport.best().name().toLowerCase(Locale.ROOT));
        report.environment("args", String.join(" ", Arrays.asList(scenario)));
    }
}
