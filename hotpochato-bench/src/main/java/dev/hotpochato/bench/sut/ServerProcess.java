package dev.hotpochato.bench.sut;

import dev.hotpochato.bench.load.Cpu;
import dev.hotpochato.server.HotPochatoServer;
import io.netty.util.ResourceLeakDetector;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The main class of a {@link SpawnedServer}'s child JVM: starts a server (a cluster node if a third
 * argument names its Redis), prints {@code READY port},
 * then answers {@code stats} (or {@code memory}, which collects garbage first) on stdin with one
 * {@code STATS heap direct connections cpu maxFds openFds} line until {@code quit} or end of input.
 * Running the server apart gives it a file-descriptor limit of its own and a heap that holds only it.
 */
public final class ServerProcess {

    private ServerProcess() {
    }

    public static void main(String[] args) throws Exception {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        int threads = Integer.parseInt(args[0]);
        int maxMembers = Integer.parseInt(args[1]);
        String cluster = args.length > 2 ? args[2] : null;
        try (HotPochatoServer server = HotPochatoServer.start(InProcessServer.options(threads, maxMembers).toBuilder()
                .cluster(cluster).build())) { // liveness as deployed (--cluster-node-timeout 3 s)
            System.out.println("READY " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                if (line.equals("stats") || line.equals("memory")) {
                    // Only "memory" collects first: a collection would be charged to the server's CPU.
                    long heap = line.equals("memory") ? Memory.heapAfterGc()
                            : java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
                    long[] fds = Cpu.fileDescriptors();
                    System.out.println("STATS " + heap + " " + Memory.direct() + " " + server.connectionCount()
                            + " " + Cpu.processNanos() + " " + fds[0] + " " + fds[1]);
                    System.out.flush();
                }
            }
        }
    }
}
