package dev.hotpochato.server.cluster;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node's heartbeat, and its watch over the others. Every {@code interval} the node sets its key
 * {@code hp:node:<gen>} to live {@code timeout} ({@code hp_heartbeat}), and asks Redis which other
 * nodes' keys have lapsed ({@code hp_reap}, which declares each dead exactly once, for one caller):
 * their sessions are then the caller's to mark away ({@link Listener#dead}). A node whose own
 * heartbeat is refused was declared dead while it could not heartbeat (a long pause, a partition):
 * it must stop serving ({@link Listener#fenced}); Redis already refuses its commits
 * ({@code hp_commit_live}).
 *
 * <p>Nothing here blocks: each step is an asynchronous Redis call, and the next tick only starts
 * once the last one has been answered. A node only declares others dead once its own heartbeats
 * have gone through for a whole {@code timeout}: after Redis itself was away (restarted, say), every
 * node has had the time to heartbeat again before any is taken for dead.
 */
public final class NodeLiveness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

    /** How often a node heartbeats, by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** How long a heartbeat lives, by default: a node silent this long is declared dead. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    static final String NODES_KEY = "hp:nodes";
    static final String DEAD_KEY = "hp:nodes:dead";

    /** What the node does about liveness, called on the executor's thread. */
    public interface Listener {
        /** Node {@code generation} was declared dead by this node: its sessions are this node's to mark away. */
        void dead(long generation);

        /** This node was declared dead: it must close its connections and write nothing more. */
        void fenced();
    }

    private final RedisEngine redis;
    private final EventExecutor executor;
    private final long intervalMillis;
    private final long timeoutMillis;
    private final Listener listener;
    private volatile ScheduledFuture<?> ticks;
    /** A heartbeat or reap is on its way: the next tick waits for it. Executor only. */
    private boolean inFlight;
    /** Since when (executor ticker) every heartbeat went through; -1 after one failed. */
    private long healthySince;
    private volatile boolean paused;
    private volatile boolean fenced;

    public NodeLiveness(RedisEngine redis, EventExecutor executor, Duration interval, Duration timeout,
                        Listener listener) {
        if (interval.isNegative() || interval.isZero() || timeout.compareTo(interval) <= 0) {
            throw new IllegalArgumentException("the node timeout must be longer than the heartbeat interval");
        }
        this.redis = redis;
        this.executor = executor;
        this.intervalMillis = interval.toMillis();
        this.timeoutMillis = timeout.toMillis();
        this.listener = listener;
    }

    static String[] heartbeatKeys(long generation) {
        return new String[] {RedisEngine.heartbeatKey(generation), NODES_KEY, DEAD_KEY};
    }

    /** Starts heartbeating (the first heartbeat was set by {@link RedisEngine#connect}). */
    public void start() {
        executor.execute(() -> {
            healthySince = executor.ticker().nanoTime();
            ticks = executor.scheduleAtFixedRate(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
        });
    }

    /** Whether this node was declared dead. */
    public boolean isFenced() {
        return fenced;
    }

    /**
     * Stops heartbeating without a word, as a node that is paused (a long GC, SIGSTOP) or cut off
     * would: for tests of fencing. {@link #resume()} starts again.
     */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    private void tick() {
        if (paused || inFlight || fenced) {
            return;
        }
        inFlight = true;
        long gen = redis.generation();
        redis.fcallInteger("hp_heartbeat", heartbeatKeys(gen), Long.toString(gen), Long.toString(timeoutMillis))
                .whenComplete((alive, failure) -> executor.execute(() -> beaten(alive, failure)));
    }

    private void beaten(Long alive, Throwable failure) {
        if (failure != null) {
            inFlight = false;
            if (healthySince >= 0) {
                log.warn("node {}: heartbeat failed: {}", redis.generation(), failure.toString());
            }
            healthySince = -1;
            return;
        }
        if (alive == 0) {
            inFlight = false;
            fenced = true;
            ticks.cancel(false);
            log.error("node {} was declared dead by the cluster (it could not heartbeat for {} ms): it closes its "
                    + "connections and writes nothing more; restart it to serve again", redis.generation(), timeoutMillis);
            listener.fenced();
            return;
        }
        long now = executor.ticker().nanoTime();
        if (healthySince < 0) {
            healthySince = now;
        }
        if (now - healthySince < TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
            inFlight = false;
            return;
        }
        long gen = redis.generation();
        redis.fcall("hp_reap", new String[] {NODES_KEY, DEAD_KEY}, Long.toString(gen))
                .whenComplete((dead, reapFailure) -> executor.execute(() -> reaped(dead, reapFailure)));
    }

    private void reaped(List<Object> dead, Throwable failure) {
        inFlight = false;
        if (failure != null) {
            log.warn("node {}: looking for dead nodes failed: {}", redis.generation(), failure.toString());
            return;
        }
        for (Object g : dead) {
            long generation = Long.parseLong(new String((byte[]) g, java.nio.charset.StandardCharsets.US_ASCII));
            log.warn("node {} stopped heartbeating: node {} marks its sessions away", generation, redis.generation());
            listener.dead(generation);
        }
    }

    /**
     * A graceful stop: the node's sessions end (their members left their rooms already), and it no
     * longer counts as alive; it may not write again. Completes when Redis has done it (or failed).
     */
    public java.util.concurrent.CompletionStage<Void> stop() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        long gen = redis.generation();
        return redis.fcallInteger("hp_node_stop", new String[] {RedisEngine.heartbeatKey(gen), NODES_KEY, DEAD_KEY,
                SessionDirectory.nodeSessionsKey(gen)}, Long.toString(gen))
                .handle((ok, failure) -> null);
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
    }
}
