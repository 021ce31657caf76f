package dev.hotpochato.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shared state of one measured run: whether it is warming up, measuring or stopping, and what
 * the clients have counted. Written by every load-generator thread, read by the main thread.
 *
 * <p>Warm-up traffic flows exactly like measured traffic; only {@link #measuring()} decides whether
 * it is recorded, so the switch does not disturb the closed loop.
 */
public final class Run {

    private static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final Recorder latency = new Recorder(MAX_LATENCY_NANOS, 3);
    private final AtomicLong handoffs = new AtomicLong();
    private final LongAdder deliveries = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private volatile String firstError;
    private volatile boolean measuring;
    private volatile boolean stopping;
    private volatile long measureStartNanos;
    private volatile long measureEndNanos;
    private long handoffsAtStart;
    private long deliveriesAtStart;
    private long handoffsAtEnd;
    private long deliveriesAtEnd;

    /** One hand-off completed {@code nanos} after it began. */
    public void handoff(long nanos) {
        handoffs.incrementAndGet();
        if (measuring) {
            latency.recordValue(Math.min(Math.max(nanos, 0), MAX_LATENCY_NANOS));
        }
    }

    /** {@code n} messages reached clients. */
    public void delivered(int n) {
        deliveries.add(n);
    }

    public void error(String what) {
        if (firstError == null) {
            firstError = what;
        }
        errors.increment();
    }

    public boolean stopping() {
        return stopping;
    }

    public boolean measuring() {
        return measuring;
    }

    public long handoffs() {
        return handoffs.get();
    }

    public long deliveries() {
        return deliveries.sum();
    }

    public long errors() {
        return errors.sum();
    }

    public String firstError() {
        return firstError;
    }

    /** Ends the warm-up: from now on hand-offs are recorded and counted. */
    public void beginMeasuring() {
        latency.reset();
        handoffsAtStart = handoffs.get();
        deliveriesAtStart = deliveries.sum();
        measureStartNanos = System.nanoTime();
        measuring = true;
    }

    /** What one measuring window saw. */
    public record Window(long handoffs, long deliveries, double seconds, Histogram histogram) {
    }

    /**
     * Ends the current measuring window but lets the clients go on, so that the load can change
     * (say, to a paced rate) and another window begin with {@link #beginMeasuring}.
     */
    public Window endWindow() {
        long end = System.nanoTime();
        measuring = false;
        return new Window(handoffs.get() - handoffsAtStart, deliveries.sum() - deliveriesAtStart,
                (end - measureStartNanos) / 1e9, latency.getIntervalHistogram());
    }

    /** Ends the measurement; clients stop starting new hand-offs. */
    public void stop() {
        if (measuring) {
            measureEndNanos = System.nanoTime();
            handoffsAtEnd = handoffs.get();
            deliveriesAtEnd = deliveries.sum();
        }
        measuring = false;
        stopping = true;
    }

    /** Hand-offs since {@link #beginMeasuring}, up to now or to {@link #stop}. */
    public long measuredHandoffs() {
        return (stopping ? handoffsAtEnd : handoffs.get()) - handoffsAtStart;
    }

    public long measuredDeliveries() {
        return (stopping ? deliveriesAtEnd : deliveries.sum()) - deliveriesAtStart;
    }

    public double measuredSeconds() {
        long end = stopping ? measureEndNanos : System.nanoTime();
        return (end - measureStartNanos) / 1e9;
    }

    /** The latencies recorded while measuring, in nanoseconds. */
    public Histogram histogram() {
        return latency.getIntervalHistogram();
    }

    /**
     * Blocks until {@code measuredHandoffs() >= target} or {@code maxNanos} has passed, whichever is
     * first; also returns early when an error is reported.
     */
    public void awaitHandoffs(long target, long maxNanos) throws InterruptedException {
        long deadline = System.nanoTime() + maxNanos;
        while (measuredHandoffs() < target && System.nanoTime() < deadline && errors() == 0) {
            Thread.sleep(5);
        }
    }

    /** Blocks until {@code handoffs() >= count}, {@code maxNanos} passed, or an error. */
    public void awaitTotalHandoffs(long count, long maxNanos) throws InterruptedException {
        long deadline = System.nanoTime() + maxNanos;
        while (handoffs() < count && System.nanoTime() < deadline && errors() == 0) {
            Thread.sleep(5);
        }
    }

    /** Sleeps for {@code nanos}, returning early on an error. */
    public void sleep(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        while (System.nanoTime() < deadline && errors() == 0) {
            Thread.sleep(Math.min(20, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    public void throwIfFailed() {
        if (errors() > 0) {
            throw new IllegalStateException(errors() + " error(s) during the run; first: " + firstError);
        }
    }
}
