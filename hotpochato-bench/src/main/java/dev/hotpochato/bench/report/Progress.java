package dev.hotpochato.bench.report;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The one-line progress display on stderr, rewritten in place every half second while a phase runs.
 * Stays out of the way of the load: it only reads counters.
 */
public final class Progress implements AutoCloseable {

    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "bench-progress");
        t.setDaemon(true);
        return t;
    });

    private final PrintStream out;
    private final String label;
    private final Supplier<String> status;
    private final long startNanos = System.nanoTime();
    private final java.util.concurrent.ScheduledFuture<?> task;
    /** Without a terminal, \r does not rewrite a line: print a whole line every few ticks instead. */
    private final boolean terminal = System.console() != null;
    private int ticks;
    private int lastLength;

    private Progress(PrintStream out, String label, Supplier<String> status) {
        this.out = out;
        this.label = label;
        this.status = status;
        this.task = TICKER.scheduleAtFixedRate(this::print, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Starts showing {@code label} and whatever {@code status} says, until closed. */
    public static Progress show(String label, Supplier<String> status) {
        return new Progress(System.err, label, status);
    }

    private synchronized void print() {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String line = String.format(java.util.Locale.ROOT, "[%s] %5.1fs %s", label, seconds, status.get());
        if (!terminal) {
            if (++ticks % 4 == 0) {
                out.println(line);
            }
            return;
        }
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    @Override
    public synchronized void close() {
        task.cancel(false);
        if (lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
        }
        out.println("[" + label + "] done in " + String.format(java.util.Locale.ROOT, "%.1f",
                (System.nanoTime() - startNanos) / 1e9) + " s");
    }
}
