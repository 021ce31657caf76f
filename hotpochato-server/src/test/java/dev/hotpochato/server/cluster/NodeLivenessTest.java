package dev.hotpochato.server.cluster;

import dev.hotpochato.testing.CuttableProxy;
import io.netty.util.concurrent.DefaultEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two nodes' liveness on one real Redis, with short timeouts (a heartbeat every 50 ms, dead after
 * 500 ms): what one node's own work does not do to its standing, and what a node that was paused
 * learns before it claims to be alive.
 */
class NodeLivenessTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private static final Duration INTERVAL = Duration.ofMillis(50);
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final List<AutoCloseable> open = new ArrayList<>();

    /** One node: its engine, its liveness on a thread of its own, and what its listener heard. */
    private final class Node {
        final RedisEngine redis;
        final DefaultEventExecutor executor = new DefaultEventExecutor();
        final BlockingQueue<Long> dead = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> fenced = new CompletableFuture<>();
        final NodeLiveness liveness;

        Node() {
            this(REDIS.uri());
        }

        /** A node that reaches Redis at {@code uri} (through a proxy, say). */
        Node(String uri) {
            redis = RedisEngine.connect(uri, Duration.ofSeconds(5), TIMEOUT, new RedisEngine.Channels() {
                @Override
                public void published(String room, byte[] message) {
                }

                @Override
                public void subscribed(String room) {
                }
            });
            liveness = new NodeLiveness(redis, executor, INTERVAL, TIMEOUT, new NodeLiveness.Listener() {
                @Override
                public void dead(long generation) {
                    dead.add(generation);
                }

                @Override
                public void fenced() {
                    fenced.complete(null);
                }
            });
            open.add(() -> {
                liveness.close();
                executor.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
                redis.close();
            });
            liveness.start();
            liveness.watchOthers();
        }
    }

    @BeforeEach
    void empty() throws Exception {
        assertEquals("+OK", REDIS.command("FLUSHALL"));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void aNodeWhoseCommitConnectionIsBusyStillHeartbeatsAndIsNotDeclaredDead() throws Exception {
        // The busy node reaches Redis through a proxy whose first connection, the commit connection
        // (opened first), stops carrying bytes, as one stuck behind a backlog of commits would.
        CuttableProxy proxy = new CuttableProxy(new InetSocketAddress("127.0.0.1", REDIS.port()));
        open.add(proxy);
        Node busy = new Node("redis://127.0.0.1:" + proxy.port());
        Node watcher = new Node();
        proxy.freezeFirst();
        // For four timeouts its heartbeats, on a connection of their own, still go through.
        assertNull(watcher.dead.poll(4 * TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the busy node was declared dead");
        assertEquals(":0", REDIS.command("SISMEMBER hp:nodes:dead " + busy.redis.generation()));
        assertFalse(busy.liveness.isFenced());
        assertTrue(busy.liveness.confirmed().toCompletableFuture().get(5, TimeUnit.SECONDS));

        // The watcher does watch: a node that stops heartbeating is declared dead.
        busy.liveness.pause();
        assertEquals(busy.redis.generation(), watcher.dead.poll(10, TimeUnit.SECONDS));
    }

    @Test
    void aNodeThatWasPausedPastTheTimeoutAsksRedisBeforeSayingItIsAliveAndLearnsItIsFenced() throws Exception {
        Node paused = new Node();
        Node watcher = new Node();
        assertTrue(paused.liveness.confirmed().toCompletableFuture().isDone(), "alive: known at once");

        paused.liveness.pause();
        assertEquals(paused.redis.generation(), watcher.dead.poll(10, TimeUnit.SECONDS));
        // Its last accepted heartbeat is older than the timeout: it cannot tell by itself.
        CompletableFuture<Boolean> standing = paused.liveness.confirmed().toCompletableFuture();
        assertFalse(standing.isDone());
        paused.liveness.resume();
        assertFalse(standing.get(10, TimeUnit.SECONDS), "fenced");
        assertTrue(paused.fenced.isDone(), "the node heard it was fenced before anyone who asked");
        assertFalse(paused.liveness.confirmed().toCompletableFuture().getNow(true));
        // A fenced node writes nothing: its heartbeat key stays gone, and it declares nobody dead.
        assertEquals(":0", REDIS.command("EXISTS hp:node:" + paused.redis.generation()));
    }

    @Test
    void aNodeDeclaresNobodyDeadWhileItsOwnHeartbeatHasLapsed() throws Exception {
        Node a = new Node();
        Node b = new Node();
        a.liveness.pause();
        b.liveness.pause();
        // Both keys lapse: a node asking Redis then is itself not alive (it may be the one that was
        // paused), so it declares nobody dead, and the other stays for a live node to declare.
        awaitLapsed(a.redis.generation());
        awaitLapsed(b.redis.generation());
        assertEquals("*0", REDIS.command("FCALL hp_reap 2 hp:nodes hp:nodes:dead " + a.redis.generation()));
        assertEquals(":0", REDIS.command("SISMEMBER hp:nodes:dead " + b.redis.generation()));
    }

    @Test
    void aRedisThatStallsPastTheTimeoutMakesNoNodeDeclareAnotherDead() throws Exception {
        Node a = new Node();
        Node b = new Node();
        // Both watch: a node that stops heartbeating is declared dead by one of them.
        Node before = new Node();
        before.liveness.pause();
        assertEquals(before.redis.generation(), deadOf(List.of(a, b)));

        // Redis stops for two timeouts (as when its clock is stepped, or it is stopped itself): every
        // key lapses meanwhile, though every node is alive, and each node's next heartbeat shows it.
        assertEquals("+OK", REDIS.command("DEBUG SLEEP 1"));
        Node after = new Node();
        after.liveness.pause();
        // Once the nodes watch again, the next node that stops is declared dead, and only it.
        assertEquals(after.redis.generation(), deadOf(List.of(a, b)));
        assertNull(a.dead.poll());
        assertNull(b.dead.poll());
        assertFalse(a.liveness.isFenced());
        assertFalse(b.liveness.isFenced());
    }

    /** The next generation one of {@code watchers} declares dead; fails after 10 s. */
    private static long deadOf(List<Node> watchers) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            for (Node w : watchers) {
                Long g = w.dead.poll(10, TimeUnit.MILLISECONDS);
                if (g != null) {
                    return g;
                }
            }
        }
        throw new AssertionError("nobody was declared dead");
    }

    private static void awaitLapsed(long generation) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!REDIS.command("EXISTS hp:node:" + generation).equals(":0")) {
            assertTrue(System.nanoTime() < deadline, "heartbeat of " + generation + " did not lapse");
            Thread.sleep(20); // polling Redis for a key's expiry, bounded: not a timing assumption
        }
    }
}
