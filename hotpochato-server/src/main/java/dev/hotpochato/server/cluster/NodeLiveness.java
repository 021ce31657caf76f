package dev.hotpochato.server.cluster;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
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
 * <p>Runs on an executor of its own and talks to Redis on a connection of its own
 * ({@link RedisEngine#livenessInteger}), so that a node busy with its rooms still heartbeats on
 * time. It heartbeats from {@link #start} on, which the node calls as soon as Redis gave it its
 * generation (the first heartbeat, in {@link RedisEngine#connect}, lives only one timeout), and
 * declares others dead only once it serves ({@link #watchOthers}) and its own heartbeats have gone
 * through for a whole {@code timeout}: after Redis itself was away (restarted, say), every node has
 * had the time to heartbeat again before any is taken for dead.
 *
 * <p>Keys lapse by Redis's clock: a node that sees it jump against its own between two heartbeats
 * (Redis stalled, its clock was stepped, or the node itself was stopped) treats it as a restart of
 * Redis and again waits a whole timeout before it declares anyone dead.
 *
 * <p>Nothing here blocks: each step is an asynchronous Redis call; a heartbeat is not sent while
 * the last one is unanswered, and a reap only follows an accepted heartbeat.
 */
public final class NodeLiveness implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeLiveness.class);

    /** How often a node heartbeats, by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** How long a heartbeat lives, by default: a node silent this long is declared dead. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(3);

    static final String NODES_KEY = "hp:nodes";
    static final String DEAD_KEY = "hp:nodes:dead";

    private static final CompletionStage<Boolean> ALIVE = CompletableFuture.completedFuture(true);
    private static final CompletionStage<Boolean> FENCED = CompletableFuture.completedFuture(false);

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
    /** A heartbeat is on its way: the next tick skips it. Executor only. */
    private boolean beating;
    /** A reap is on its way: the next tick does not reap. Executor only. */
    private boolean reaping;
    /** Whether this node declares others dead ({@link #watchOthers}). Executor only. */
    private boolean watching;
    /**
     * Since when (executor ticker) every heartbeat went through on time, against a steady Redis
     * clock; -1 after one failed. Executor only.
     */
    private long healthySince;
    /** When (executor ticker) the last accepted heartbeat was sent; -1: none yet. Executor only. */
    private long lastBeatSentAt = -1;
    /** Redis's clock minus ours (ms) at the last accepted heartbeat. Executor only. */
    private long clockOffset;
    /** When (executor ticker) the last heartbeat Redis accepted was sent: the node was alive then. */
    private volatile long aliveAt;
    /** Who asked {@link #confirmed} since the last heartbeat was sent: the next one answers them. Executor only. */
    private List<CompletableFuture<Boolean>> askers = new ArrayList<>();
    private volatile boolean paused;
    private volatile boolean fenced;

    /**
     * @param executor a thread for liveness alone (a busy event loop would delay the heartbeats)
     */
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
        // The first heartbeat went through in RedisEngine.connect, a moment ago.
        this.aliveAt = executor.ticker().nanoTime();
    }

    static String[] heartbeatKeys(long generation) {
        return new String[] {RedisEngine.heartbeatKey(generation), NODES_KEY, DEAD_KEY, RedisEngine.GENERATION_KEY};
    }

    /**
     * Starts heartbeating at once (the first heartbeat was set by {@link RedisEngine#connect}): call
     * it as soon as the engine is connected, before the rest of the node starts, or a slow start
     * lets that first heartbeat lapse.
     */
    public void start() {
        executor.execute(() -> {
            healthySince = executor.ticker().nanoTime();
            ticks = executor.scheduleAtFixedRate(this::tick, 0, intervalMillis, TimeUnit.MILLISECONDS);
        });
    }

    /** From now on this node also declares dead the nodes whose heartbeats lapsed: call it once it serves. */
    public void watchOthers() {
        executor.execute(() -> watching = true);
    }

    /** Whether this node was declared dead. */
    public boolean isFenced() {
        return fenced;
    }

    /**
     * Whether this node is still alive in the cluster, for a decision that must not be taken by a
     * node that was declared dead (closing a client for its silence, when that silence may be the
     * node's own pause): true at once if Redis accepted a heartbeat sent within the last timeout;
     * else the answer to a heartbeat sent now (false: fenced, and {@link Listener#fenced} runs
     * first; true if Redis cannot be asked: the node does not know better). Any thread.
     */
    public CompletionStage<Boolean> confirmed() {
        if (fenced) {
            return FENCED;
        }
        if (executor.ticker().nanoTime() - aliveAt < TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
            return ALIVE;
        }
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                if (fenced) {
                    answer.complete(false);
                    return;
                }
                askers.add(answer);
                tick(); // now, unless a heartbeat sent before the question is on its way: then the next
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            answer.complete(true);
        }
        return answer;
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
        if (paused || fenced || beating) {
            return;
        }
        beating = true;
        long sentAt = executor.ticker().nanoTime();
        List<CompletableFuture<Boolean>> asked = askers;
        if (!asked.isEmpty()) {
            askers = new ArrayList<>();
        }
        long gen = redis.generation();
        redis.livenessInteger("hp_heartbeat", heartbeatKeys(gen), Long.toString(gen), Long.toString(timeoutMillis))
                .whenComplete((alive, failure) -> executor.execute(() -> beaten(alive, failure, sentAt, asked)));
    }

    /**
     * @param alive 0 if this node was declared dead, else Redis's clock (ms) when it took the heartbeat
     */
    private void beaten(Long alive, Throwable failure, long sentAt, List<CompletableFuture<Boolean>> asked) {
        beating = false;
        if (failure != null) {
            if (healthySince >= 0) {
                log.warn("node {}: heartbeat failed: {}", redis.generation(), failure.toString());
            }
            healthySince = -1;
            answer(asked, true);
            return;
        }
        if (alive == 0) {
            if (fenced) {
                return;
            }
            fenced = true;
            ticks.cancel(false);
            log.error("node {} was declared dead by the cluster (it could not heartbeat for {} ms): it closes its "
                    + "connections and writes nothing more; restart it to serve again", redis.generation(), timeoutMillis);
            listener.fenced();
            answer(asked, false);
            answer(askers, false);
            askers = new ArrayList<>();
            return;
        }
        aliveAt = sentAt;
        long now = executor.ticker().nanoTime();
        long offset = alive - TimeUnit.NANOSECONDS.toMillis(sentAt);
        // Keys lapse by Redis's clock. If it jumped against ours (Redis stalled, its clock was
        // stepped) or this node was itself stopped between two heartbeats, other nodes' keys may
        // have lapsed while they were alive: they get a whole timeout to heartbeat before any reap.
        boolean stalled = lastBeatSentAt >= 0 && sentAt - lastBeatSentAt > TimeUnit.MILLISECONDS.toNanos(timeoutMillis) / 2;
        boolean jumped = lastBeatSentAt >= 0 && Math.abs(offset - clockOffset) > timeoutMillis / 2;
        if (healthySince < 0 || stalled || jumped) {
            healthySince = now;
        }
        lastBeatSentAt = sentAt;
        clockOffset = offset;
        answer(asked, true);
        if (watching && !reaping && now - healthySince >= TimeUnit.MILLISECONDS.toNanos(timeoutMillis)) {
            reaping = true;
            long gen = redis.generation();
            redis.livenessArray("hp_reap", new String[] {NODES_KEY, DEAD_KEY}, Long.toString(gen))
                    .whenComplete((dead, reapFailure) -> executor.execute(() -> reaped(dead, reapFailure)));
        }
    }

    private static void answer(List<CompletableFuture<Boolean>> asked, boolean alive) {
        for (CompletableFuture<Boolean> a : asked) {
            a.complete(alive);
        }
    }

    private void reaped(List<Object> dead, Throwable failure) {
        reaping = false;
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
        return redis.livenessInteger("hp_node_stop", new String[] {RedisEngine.heartbeatKey(gen), NODES_KEY, DEAD_KEY,
                SessionDirectory.nodeSessionsKey(gen)}, Long.toString(gen))
                .handle((ok, failure) -> null);
    }

    @Override
    public void close() {
        if (ticks != null) {
            ticks.cancel(false);
        }
        try {
            executor.execute(() -> {
                answer(askers, true);
                askers = new ArrayList<>();
            });
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            // its thread is gone, and whoever asked with it
        }
    }
}
