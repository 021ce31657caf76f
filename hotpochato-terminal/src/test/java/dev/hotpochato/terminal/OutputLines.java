package dev.hotpochato.terminal;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Captures what a client prints, line by line, and lets a test wait for a line instead of sleeping. */
final class OutputLines extends OutputStream {

    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private final List<String> lines = new ArrayList<>();
    private final BlockingQueue<String> arrivals = new LinkedBlockingQueue<>();
    final PrintStream stream = new PrintStream(this, true, StandardCharsets.UTF_8);

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String line = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            lines.add(line);
            arrivals.add(line);
        } else {
            partial.write(b);
        }
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }

    List<String> linesStartingWith(String prefix) {
        return lines().stream().filter(l -> l.startsWith(prefix)).toList();
    }

    /** Waits for a line starting with {@code prefix}, among the lines not yet waited for. */
    void awaitStartingWith(String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            String next = arrivals.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                fail("no line starting with '" + prefix + "' within 20 s; got " + lines());
            }
            if (next.startsWith(prefix)) {
                return;
            }
        }
    }

    void await(String line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            String next = arrivals.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (next == null) {
                fail("no line '" + line + "' within 10 s; got " + lines());
            }
            if (next.equals(line)) {
                return;
            }
        }
    }
}
