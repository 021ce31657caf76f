package dev.hotpochato.server.admin;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Whether the server is alive and whether it is ready for new clients, as {@code /health/live} and
 * {@code /health/ready} report it.
 *
 * <p><b>Ready</b>: the server listens, has not begun to shut down, and every {@link Condition} is
 * up. A load balancer that polls it stops sending new clients as soon as shutdown starts, before
 * the connections are told goodbye. Other parts of the server add conditions of their own (cluster
 * mode: "engine", down while Redis is unreachable).
 *
 * <p><b>Live</b>: every event loop of the server runs a task within a deadline. A loop blocked by a
 * defect, or starved, fails it, and an orchestrator may restart the process; a server shutting down
 * on purpose stays live.
 *
 * <p>Thread-safe: states are volatile fields; conditions are few and registered at start.
 */
public final class Health {

    private final List<EventExecutor> eventLoops;
    private final List<Condition> conditions = new CopyOnWriteArrayList<>();
    private volatile boolean serving;
    private volatile boolean stopping;

    /** @param eventLoops the loops whose progress makes the server live */
    public Health(Iterable<EventExecutor> eventLoops) {
        List<EventExecutor> loops = new ArrayList<>();
        eventLoops.forEach(loops::add);
        this.eventLoops = List.copyOf(loops);
    }

    /**
     * A named condition of readiness, up until {@link Condition#down} says otherwise. For example
     * {@code health.condition("engine").down("redis://10.0.0.5:6379 unreachable")}.
     */
    public Condition condition(String name) {
        Condition condition = new Condition(name);
        conditions.add(condition);
        return condition;
    }

    /** The server listens: ready from now on, unless a condition is down. */
    public void serving() {
        serving = true;
    }

    /** Shutdown has begun: never ready again. */
    public void stopping() {
        stopping = true;
    }

    public boolean ready() {
        return readiness() == null;
    }

    /** Null when ready, else why not, in a few words. */
    public String readiness() {
        if (stopping) {
            return "shutting down";
        }
        if (!serving) {
            return "starting";
        }
        List<String> down = new ArrayList<>();
        for (Condition c : conditions) {
            String reason = c.reason;
            if (reason != null) {
                down.add(c.name + ": " + reason);
            }
        }
        return down.isEmpty() ? null : String.join("; ", down);
    }

    /**
     * Asks every event loop to run an empty task; completes on {@code timer} with null when all did
     * within {@code deadline}, else with the names of those that did not. Never blocks.
     */
    public Future<String> liveness(EventExecutor timer, Duration deadline) {
        Promise<String> result = timer.newPromise();
        if (stopping) {
            result.setSuccess(null);
            return result;
        }
        AtomicInteger pending = new AtomicInteger(eventLoops.size());
        boolean[] answered = new boolean[eventLoops.size()];
        for (int i = 0; i < eventLoops.size(); i++) {
            int index = i;
            try {
                eventLoops.get(i).execute(() -> timer.execute(() -> {
                    answered[index] = true;
                    if (pending.decrementAndGet() == 0) {
                        result.trySuccess(null);
                    }
                }));
            } catch (RejectedExecutionException shuttingDown) {
                timer.execute(() -> {
                    answered[index] = true;
                    if (pending.decrementAndGet() == 0) {
                        result.trySuccess(null);
                    }
                });
            }
        }
        if (eventLoops.isEmpty()) {
            result.trySuccess(null);
        }
        timer.schedule(() -> {
            if (!result.isDone()) {
                List<Integer> silent = new ArrayList<>();
                for (int i = 0; i < answered.length; i++) {
                    if (!answered[i]) {
                        silent.add(i);
                    }
                }
                result.trySuccess(silent.size() + " of " + eventLoops.size() + " event loops did not run a task within "
                        + deadline.toMillis() + " ms (loops " + silent + ")");
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        return result;
    }

    /** One condition of readiness. Thread-safe. */
    public static final class Condition {
        private final String name;
        private volatile String reason;

        private Condition(String name) {
            this.name = name;
        }

        public void up() {
            reason = null;
        }

        public void down(String why) {
            reason = why == null || why.isBlank() ? "down" : why;
        }

        public boolean isUp() {
            return reason == null;
        }
    }
}
