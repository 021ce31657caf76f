package dev.hotpochato.server.room;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The real clock: wall time, and timers on the shard's own scheduler (its event loop). */
public final class ScheduledTurnClock implements TurnClock {

    private final ScheduledExecutorService scheduler;

    public ScheduledTurnClock(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    @Override
    public Cancellable schedule(Runnable task, long delayMillis) {
        ScheduledFuture<?> future = scheduler.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> future.cancel(false);
    }
}
