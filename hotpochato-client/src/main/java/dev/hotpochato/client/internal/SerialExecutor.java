package dev.hotpochato.client.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs tasks one at a time, in submission order, on threads borrowed from another executor. A
 * session's callbacks run here, so they see the server's events in order and never run
 * concurrently, while a slow callback holds up only its own session, never a network thread.
 */
final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    /** Tasks run per borrowed thread before it is given back, so sessions share a small pool fairly. */
    private static final int BATCH = 256;

    private final Executor delegate;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** The thread draining the queue now, or null; read by other threads to detect re-entry. */
    private volatile Thread runner;

    SerialExecutor(Executor delegate) {
        this.delegate = delegate;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    /** True when called from a task of this executor. */
    boolean inExecutor() {
        return runner == Thread.currentThread();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                delegate.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                if (delegate instanceof ExecutorService es && es.isShutdown()) {
                    // The session's resources were shut down: nothing is left to run them.
                    log.debug("callback executor shut down; {} callbacks dropped", tasks.size());
                } else {
                    log.error("callback executor rejected work; {} callbacks dropped", tasks.size(), e);
                }
                tasks.clear();
            }
        }
    }

    private void drain() {
        runner = Thread.currentThread();
        try {
            for (int i = 0; i < BATCH; i++) {
                Runnable task = tasks.poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run();
                } catch (Throwable t) {
                    log.warn("a callback threw", t);
                }
            }
        } finally {
            runner = null;
            scheduled.set(false);
        }
        // A task added after the last poll found `scheduled` still set and left the scheduling to us.
        if (!tasks.isEmpty()) {
            schedule();
        }
    }
}
