package dev.hotpochato.terminal;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A program run in a real pseudo-terminal, by tmux: keys are sent with {@code send-keys}, the
 * window is resized with {@code resize-window} (the program gets its SIGWINCH from the kernel),
 * and what is drawn is read with {@code capture-pane}. Each instance has its own tmux server
 * (its own socket, no configuration file), killed on {@link #close()}.
 *
 * <p>Without tmux the test is skipped, saying so, except under {@code CI=true}, where a skipped
 * pseudo-terminal test would hide that it never ran: there it fails.
 */
final class Tmux implements AutoCloseable {

    private final String socket = "hotpochato-test-" + UUID.randomUUID();
    private final String session = "chat";

    /** Skips the calling test, or fails it under CI=true, when there is no tmux to make a pseudo-terminal. */
    static void requireTmux() {
        boolean present;
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            present = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            present = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            present = false;
        }
        if (!present) {
            String why = "tmux is not installed: the pseudo-terminal tests need it (apt-get install tmux)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(why + "; under CI=true this test must run");
            }
            Assumptions.abort(why);
        }
    }

    /**
     * Starts {@code command} in a new window of {@code columns} x {@code rows}. When it ends, its
     * exit code is shown as {@code exit N} and the window stays, so that the end can be read.
     */
    Tmux(int columns, int rows, List<String> command) {
        String shell = String.join(" ", command.stream().map(Tmux::quote).toList()) + "; echo \"exit $?\"; sleep 600";
        tmux("new-session", "-d", "-s", session, "-x", String.valueOf(columns), "-y", String.valueOf(rows), shell);
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    /** Runs a tmux command on this instance's server; returns its standard output. */
    String tmux(String... args) {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        command.addAll(Arrays.asList(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("tmux " + String.join(" ", args) + " did not finish");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                fail("tmux " + String.join(" ", args) + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Types {@code text} literally. */
    void type(String text) {
        tmux("send-keys", "-t", session, "-l", text);
    }

    /** Presses keys by tmux's names: {@code Enter}, {@code M-1}, {@code C-n}... */
    void press(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(Arrays.asList(keys));
        tmux(args.toArray(String[]::new));
    }

    void resize(int columns, int rows) {
        tmux("resize-window", "-t", session, "-x", String.valueOf(columns), "-y", String.valueOf(rows));
    }

    /** The rows on the screen now. */
    List<String> rows() {
        String text = tmux("capture-pane", "-p", "-t", session);
        List<String> rows = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        if (!rows.isEmpty() && rows.get(rows.size() - 1).isEmpty()) {
            rows.remove(rows.size() - 1); // after the final newline
        }
        int height = height();
        while (rows.size() < height) {
            rows.add("");
        }
        return rows;
    }

    int height() {
        return Integer.parseInt(tmux("display-message", "-p", "-t", session, "#{pane_height}").trim());
    }

    int cursorRow() {
        return Integer.parseInt(tmux("display-message", "-p", "-t", session, "#{cursor_y}").trim());
    }

    /** The row the cursor is on. */
    String inputRow() {
        return rows().get(cursorRow());
    }

    /** The last row. */
    String statusRow() {
        List<String> rows = rows();
        return rows.get(rows.size() - 1);
    }

    /** Waits (up to 30 s: a JVM starts inside) until {@code condition} holds; fails with the screen if not. */
    void await(String what, Predicate<Tmux> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.test(this)) {
            if (System.nanoTime() > deadline) {
                fail("the pseudo-terminal never showed " + what + "; it shows:\n" + this);
            }
            try {
                Thread.sleep(50); // polling another process's screen: there is nothing to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    void awaitText(String text) {
        await("'" + text + "'", t -> t.rows().stream().anyMatch(r -> r.contains(text)));
    }

    @Override
    public String toString() {
        List<String> rows = rows();
        int cursor = cursorRow();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < rows.size(); i++) {
            b.append(String.format("%2d%s|%s%n", i, i == cursor ? ">" : " ", rows.get(i)));
        }
        return b.toString();
    }

    @Override
    public void close() {
        try {
            new ProcessBuilder("tmux", "-L", socket, "kill-server").redirectErrorStream(true).start()
                    .waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // nothing left to kill
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
