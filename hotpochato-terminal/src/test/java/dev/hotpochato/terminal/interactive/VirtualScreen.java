package dev.hotpochato.terminal.interactive;

import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.LineDisciplineTerminal;
import org.jline.utils.ScreenTerminal;
import org.jline.utils.ScreenTerminalOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A terminal of a given size for tests: JLine's line-discipline terminal on the application side,
 * wired to JLine's VT100 emulator ({@link ScreenTerminal}) on the display side, so that a test can
 * type keys, resize the window (with the WINCH a real terminal sends) and read what is drawn: the
 * rows of text and where the cursor is. Every byte the application wrote is also kept, to look
 * for sequences that must never be sent.
 */
final class VirtualScreen implements AutoCloseable {

    private final ScreenTerminal screen;
    private final LineDisciplineTerminal terminal;
    private final ByteArrayOutputStream written = new ByteArrayOutputStream();

    VirtualScreen(int columns, int rows) {
        screen = new ScreenTerminal(columns, rows);
        ScreenTerminalOutputStream.DelegateOutputStream delegate = new ScreenTerminalOutputStream.DelegateOutputStream();
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                synchronized (written) {
                    written.write(b);
                }
                delegate.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                synchronized (written) {
                    written.write(b, off, len);
                }
                delegate.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                delegate.flush();
            }
        };
        try {
            terminal = new LineDisciplineTerminal("test", "xterm-256color", tee, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        terminal.setSize(Size.of(columns, rows));
        ScreenTerminal.wireTerminal(screen, terminal, delegate);
    }

    Terminal terminal() {
        return terminal;
    }

    /** Types {@code keys} as if on the keyboard ({@code \r} is Enter, {@code \033} starts Alt-). */
    void type(String keys) {
        try {
            terminal.processInputBytes(keys.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Resizes the window the way a terminal emulator does: the screen first, then the size and a WINCH. */
    void resize(int columns, int rows) {
        screen.setSize(Size.of(columns, rows));
        terminal.setSize(Size.of(columns, rows));
        terminal.raise(Terminal.Signal.WINCH);
    }

    /** The rows of text on the screen now, trailing blanks removed. */
    List<String> rows() {
        int columns = screen.getColumns();
        int height = screen.getRows();
        long[] cells = new long[columns * height];
        screen.dump(cells, null);
        List<String> rows = new ArrayList<>(height);
        for (int y = 0; y < height; y++) {
            StringBuilder b = new StringBuilder(columns);
            for (int x = 0; x < columns; x++) {
                int cp = ScreenTerminal.cellCodePoint(cells[y * columns + x]);
                if (cp != 0) {
                    b.appendCodePoint(cp);
                }
            }
            rows.add(b.toString().stripTrailing());
        }
        return rows;
    }

    /** The cursor's row (0 at the top). */
    int cursorRow() {
        int[] cursor = new int[2];
        screen.dump(new long[screen.getColumns() * screen.getRows()], cursor);
        return cursor[1];
    }

    int height() {
        return screen.getRows();
    }

    /** Everything the application has written so far, as text. */
    String written() {
        synchronized (written) {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits (up to 10 s) until {@code condition} holds for the screen; fails with the screen's content if not. */
    void await(String what, Predicate<VirtualScreen> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.test(this)) {
            if (System.nanoTime() > deadline) {
                fail("screen never showed " + what + "; it shows:\n" + this);
            }
            try {
                screen.waitDirty(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted");
            }
        }
    }

    /** Waits until some row contains {@code text}. */
    void awaitText(String text) {
        await("'" + text + "'", s -> s.rows().stream().anyMatch(r -> r.contains(text)));
    }

    /** The last row: the status. */
    String statusRow() {
        List<String> rows = rows();
        return rows.get(rows.size() - 1);
    }

    @Override
    public String toString() {
        List<String> rows = rows();
        StringBuilder b = new StringBuilder();
        int cursor = cursorRow();
        for (int i = 0; i < rows.size(); i++) {
            b.append(String.format("%2d%s|%s%n", i, i == cursor ? ">" : " ", rows.get(i)));
        }
        return b.toString();
    }

    @Override
    public void close() throws IOException {
        terminal.close();
    }
}
