package dev.hotpochato.server.cli;

import dev.hotpochato.server.cluster.RedisServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./hotpochato cluster}: help only prints help; a port in use (a Redis already there, a node's
 * port) fails at once with one line and status 1; each node gets its own admin port. Every run is
 * bounded, on ports picked free, and starts no node (the failures come before; the admin ports are
 * read from the dry run).
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class ClusterLauncherTest {

    private static final Path LAUNCHER = Path.of("..", "hotpochato").toAbsolutePath().normalize();

    /** Another Redis already on the port the cluster would use, as a cluster still running would be. */
    @RegisterExtension
    static final RedisServer OTHER_REDIS = new RedisServer();

    @TempDir
    Path dir;

    private record Run(int status, String output) {
    }

    private Run cluster(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add("/bin/bash");
        builder.command().add(LAUNCHER.toString());
        builder.command().add("cluster");
        builder.command().addAll(List.of(args));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.startsWith("HOTPOCHATO_"));
        environment.put("HOTPOCHATO_CLUSTER_DIR", dir.resolve("cluster").toString());
        environment.put("HOTPOCHATO_REDIS_PORT", Integer.toString(freePorts(1)));
        environment.put("HOTPOCHATO_CLUSTER_PORT", Integer.toString(freePorts(3)));
        environment.put("HOTPOCHATO_CLUSTER_HTTP_PORT", Integer.toString(freePorts(3)));
        environment.putAll(env);
        Process p = builder.redirectErrorStream(true).redirectOutput(dir.resolve("out").toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("still running after 30 s: " + Files.readString(dir.resolve("out")));
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8).strip());
    }

    /** The first of {@code n} consecutive ports free on 127.0.0.1 when looked at. */
    private static int freePorts(int n) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                first = s.getLocalPort();
            }
            boolean free = first + n <= 65535;
            for (int i = 1; i < n && free; i++) {
                free = !listening(first + i);
            }
            if (free) {
                return first;
            }
        }
        throw new IOException("no " + n + " consecutive free ports found");
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void helpPrintsHelpAndStartsNothing() throws Exception {
        int redisPort = freePorts(1);
        Run run = cluster(Map.of("HOTPOCHATO_REDIS_PORT", Integer.toString(redisPort)), "--help");
        assertEquals(0, run.status(), run.output());
        assertTrue(run.output().startsWith("./hotpochato cluster [server options]"), run.output());
        assertFalse(Files.exists(dir.resolve("cluster")), "no cluster directory made");
        assertFalse(listening(redisPort), "no Redis started");
    }

    @Test
    void aRedisAlreadyOnItsPortFailsWithOneLineAndStatus1() throws Exception {
        Run run = cluster(Map.of("HOTPOCHATO_REDIS_PORT", Integer.toString(OTHER_REDIS.port())));
        assertEquals(1, run.status(), run.output());
        assertEquals(1, run.output().lines().count(), run.output());
        assertTrue(run.output().contains("port " + OTHER_REDIS.port()) && run.output().contains("already in use"),
                run.output());
        assertEquals("+PONG", OTHER_REDIS.command("PING"), "the other Redis is left alone");
    }

    @Test
    void aNodePortInUseFailsWithOneLineAndStatus1() throws Exception {
        int first = freePorts(3);
        try (ServerSocket taken = new ServerSocket(first + 1, 1, InetAddress.getLoopbackAddress())) {
            Run run = cluster(Map.of("HOTPOCHATO_CLUSTER_PORT", Integer.toString(first)));
            assertEquals(1, run.status(), run.output());
            assertEquals("hotpochato cluster: port " + (first + 1) + " on 127.0.0.1, for node 2 "
                    + "(HOTPOCHATO_CLUSTER_PORT), is already in use (another cluster still running?)", run.output());
        }
    }

    @Test
    void eachNodeGetsItsOwnAdminPort() throws Exception {
        int admin = freePorts(3);
        Map<String, String> env = new HashMap<>(Map.of("HOTPOCHATO_LAUNCHER_DRY_RUN", "1"));
        Run flag = cluster(env, "--admin-port", Integer.toString(admin), "--history-size", "50");
        env.put("HOTPOCHATO_ADMIN_PORT", Integer.toString(admin));
        Run fromEnvironment = cluster(env);
        for (Run run : List.of(flag, fromEnvironment)) {
            assertEquals(0, run.status(), run.output());
            List<String> nodes = run.output().lines().toList();
            assertEquals(3, nodes.size(), run.output());
            for (int i = 0; i < 3; i++) {
                assertTrue(nodes.get(i).contains(" --admin-port " + (admin + i) + " "), nodes.get(i));
                assertEquals(1, nodes.get(i).split(" --admin-port ", -1).length - 1, nodes.get(i));
            }
        }
        assertTrue(flag.output().lines().allMatch(l -> l.endsWith(" --history-size 50")), flag.output());
    }
}
