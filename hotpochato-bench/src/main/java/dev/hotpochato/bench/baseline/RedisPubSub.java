package dev.hotpochato.bench.baseline;

import dev.hotpochato.bench.load.Cpu;
import dev.hotpochato.bench.load.Run;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.HdrHistogram.Histogram;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The peer for fan-out: Redis pub/sub running the same closed loop as a HotPochato room. The
 * benchmark starts its own redis-server on a free loopback port (no persistence) and stops it.
 *
 * <p>A room is one channel. Its n members each hold one pub/sub connection (RESP3, so the same
 * connection may also publish) and take turns: message t comes from member t mod n, and member
 * (t + 1) mod n publishes t + 1 as soon as it has read t. Every member, the publisher included,
 * receives every message, just as every member of a room receives every {@code Said}.
 */
public final class RedisPubSub implements AutoCloseable {

    /** Thread-name prefix of Lettuce's threads: the Redis side's load generator. */
    public static final String CLIENT_THREAD_PREFIX = "lettuce-";

    private final Process process;
    private final int port;
    private final ClientResources resources;
    private final RedisClient client;

    private RedisPubSub(Process process, int port, int ioThreads) {
        this.process = process;
        this.port = port;
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(ioThreads)
                .computationThreadPoolSize(1).build();
        this.client = RedisClient.create(resources, RedisURI.Builder.redis("127.0.0.1", port)
                .withTimeout(Duration.ofSeconds(10)).build());
    }

    /** redis-server on the PATH (or in Debian's places), if installed. */
    public static Optional<Path> findServer() {
        List<String> dirs = new ArrayList<>(Arrays.asList(
                System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/bin", "/usr/sbin", "/usr/local/bin"));
        for (String dir : dirs) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Starts {@code redisServer} on 127.0.0.1 and a free port, without persistence, and a Lettuce
     * client with {@code ioThreads} event loops.
     */
    public static RedisPubSub start(Path redisServer, int ioThreads) throws IOException, InterruptedException {
        return start(redisServer, ioThreads, null, null);
    }

    /**
     * As {@link #start(Path, int)}, with an append-only file in {@code dir} synced as
     * {@code appendfsync} says ({@code always}, {@code everysec}); null: no persistence.
     */
    public static RedisPubSub start(Path redisServer, int ioThreads, String appendfsync, Path dir)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(redisServer.toString(),
                "--bind", "127.0.0.1", "--port", Integer.toString(port), "--save", "", "--daemonize", "no",
                "--protected-mode", "yes", "--loglevel", "warning", "--maxclients", "10000"));
        if (appendfsync == null) {
            command.addAll(List.of("--appendonly", "no"));
        } else {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", appendfsync, "--dir", dir.toString()));
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        RedisPubSub redis = new RedisPubSub(process, port, ioThreads);
        try {
            redis.awaitReady();
            return redis;
        } catch (IOException | InterruptedException | RuntimeException e) {
            redis.close();
            throw e;
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (var conn = client.connect()) {
                if ("PONG".equals(conn.sync().ping())) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!process.isAlive()) {
                    throw new IOException("redis-server exited with " + process.exitValue());
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("redis-server did not answer within 10 s", e);
                }
                Thread.sleep(50);
            }
        }
    }

    public String version() {
        try (var conn = client.connect()) {
            for (String line : conn.sync().info("server").split("\r?\n")) {
                if (line.startsWith("redis_version:")) {
                    return line.substring("redis_version:".length()).trim();
                }
            }
        }
        return "?";
    }

    public int port() {
        return port;
    }

    /**
     * {@code count} round trips of {@code PING} after {@code warmup} unrecorded ones, one at a time on
     * one connection: the least a command to this Redis costs, the floor a cluster hand-off adds to.
     */
    public Histogram pingRoundTrips(long warmup, long count) {
        Histogram h = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        try (var conn = client.connect()) {
            var sync = conn.sync();
            for (long i = 0; i < warmup + count; i++) {
                long start = System.nanoTime();
                sync.ping();
                if (i >= warmup) {
                    h.recordValue(Math.min(System.nanoTime() - start, h.getHighestTrackableValue()));
                }
            }
        }
        return h;
    }

    /** Bytes redis-server has allocated for its data ({@code INFO memory}, {@code used_memory}). */
    public long usedMemory() {
        try (var conn = client.connect()) {
            for (String line : conn.sync().info("memory").split("\r?\n")) {
                if (line.startsWith("used_memory:")) {
                    return Long.parseLong(line.substring("used_memory:".length()).trim());
                }
            }
        }
        return -1;
    }

    /** Keys in the database ({@code DBSIZE}). */
    public long keys() {
        try (var conn = client.connect()) {
            return conn.sync().dbsize();
        }
    }

    /** CPU used so far by redis-server. */
    public long serverCpuNanos() {
        return Cpu.otherProcessNanos(process.pid());
    }

    /** CPU used so far by Lettuce's threads. */
    public static long clientCpuNanos() {
        return Cpu.threadsNamed(CLIENT_THREAD_PREFIX);
    }

    /** One room's members, subscribed and ready; {@link #start} sends the first message. */
    public Room room(String channel, int members, int payloadBytes, Run run) throws Exception {
        return new Room(channel, members, payloadBytes, run);
    }

    /** A channel and its members, taking turns to publish. */
    public final class Room implements AutoCloseable {
        private final byte[] channel;
        private final int members;
        private final int payloadBytes;
        private final Run run;
        private final List<StatefulRedisPubSubConnection<byte[], byte[]>> connections = new ArrayList<>();
        /** When the latest message was published; written by one Lettuce thread, read by another. */
        private volatile long sentAtNanos;

        private Room(String channel, int members, int payloadBytes, Run run) throws Exception {
            this.channel = channel.getBytes(StandardCharsets.UTF_8);
            this.members = members;
            this.payloadBytes = payloadBytes;
            this.run = run;
            List<CompletableFuture<Void>> subscribed = new ArrayList<>();
            for (int i = 0; i < members; i++) {
                StatefulRedisPubSubConnection<byte[], byte[]> conn = client.connectPubSub(ByteArrayCodec.INSTANCE);
                connections.add(conn);
                int index = i;
                conn.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(byte[] ch, byte[] message) {
                        received(index, conn, message);
                    }
                });
                subscribed.add(conn.async().subscribe(this.channel).toCompletableFuture().thenApply(v -> null));
            }
            CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        }

        private void received(int index, StatefulRedisPubSubConnection<byte[], byte[]> conn, byte[] message) {
            run.delivered(1);
            long turn = turnOf(message);
            if ((turn + 1) % members != index) {
                return;
            }
            run.handoff(System.nanoTime() - sentAtNanos);
            if (!run.stopping()) {
                publish(conn, turn + 1);
            }
        }

        private void publish(StatefulRedisPubSubConnection<byte[], byte[]> conn, long turn) {
            sentAtNanos = System.nanoTime();
            conn.async().publish(channel, payload(turn));
        }

        /** The turn number, then '|', then filler up to the payload size (the same size as a bot's text). */
        private byte[] payload(long turn) {
            byte[] head = (turn + "|").getBytes(StandardCharsets.US_ASCII);
            byte[] p = new byte[Math.max(payloadBytes, head.length)];
            Arrays.fill(p, (byte) 'x');
            System.arraycopy(head, 0, p, 0, head.length);
            return p;
        }

        private long turnOf(byte[] message) {
            long turn = 0;
            for (byte b : message) {
                if (b == '|') {
                    break;
                }
                turn = turn * 10 + (b - '0');
            }
            return turn;
        }

        /** Member 0 publishes the first message. */
        public void start() {
            publish(connections.get(0), 0);
        }

        @Override
        public void close() {
            List<CompletableFuture<Void>> closing = new ArrayList<>();
            for (var conn : connections) {
                closing.add(conn.closeAsync());
            }
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).orTimeout(30, TimeUnit.SECONDS)
                    .exceptionally(e -> null).join();
        }
    }

    @Override
    public void close() {
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
