package dev.hotpochato.terminal.interactive;

import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.InfoCmp.Capability;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * JLine's line editor with the chat's screen around it: a status row at the bottom that scrolling
 * never touches (the rows above it are the terminal's scroll region), chat lines printed above
 * the input line, and a full repaint of the visible rows from the client's own copy of the lines.
 *
 * <p>Why repaint: when a terminal is resized it resets the scroll region and moves or reflows the
 * rows as it likes (xterm, tmux and JLine's own emulator each differently). Tracking that is
 * hopeless; so on every resize the screen is drawn again from scratch, row by row with absolute
 * cursor addressing: the latest lines of the current window, the input line under them, the
 * status row at the bottom, the scroll region set anew. Nothing depends on where the terminal
 * left the cursor, so the cursor cannot end up on the status row and no line is lost (the lines
 * live in the window, not on the screen). Rows are cleared one by one rather than with a
 * clear-screen, which tmux would copy into its scrollback.
 *
 * <p>Threads: the reading thread runs the editor; any thread may print, set the status or ask for
 * a repaint. Everything that writes to the terminal, and the caller's screen state, is guarded by
 * the editor's own lock ({@link #locked}), the one JLine already takes around its drawing, so the
 * escape sequences of two writers never interleave.
 */
final class ChatLineReader extends LineReaderImpl {

    /** What to draw on a repaint: the lines of the window in view, oldest first. Called under the lock. */
    private Supplier<List<AttributedString>> visibleLines = List::of;
    /** False on a terminal without cursor addressing or scroll regions: then lines are only printed. */
    private final boolean canPaint;
    private AttributedString status = AttributedString.EMPTY;
    /** The status as last drawn, to skip redrawing an unchanged one. */
    private String drawnStatus;
    /** The size the screen was last laid out for. */
    private int rows;
    private int columns;
    private boolean started;

    ChatLineReader(Terminal terminal, Map<String, Object> variables) {
        super(terminal, "hotpochato", variables);
        this.canPaint = terminal.getStringCapability(Capability.change_scroll_region) != null
                && terminal.getStringCapability(Capability.cursor_address) != null
                && terminal.getStringCapability(Capability.save_cursor) != null
                && terminal.getStringCapability(Capability.restore_cursor) != null
                && terminal.getStringCapability(Capability.clr_eol) != null;
    }

    /** Runs {@code action} under the editor's lock: the screen's state and drawing are confined by it. */
    void locked(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    boolean canPaint() {
        return canPaint;
    }

    /**
     * Reserves the bottom row for the status and starts handling resizes. Call once, before
     * anything is printed; {@code lines} gives the lines to repaint after a resize.
     */
    void start(Supplier<List<AttributedString>> lines) {
        locked(() -> {
            visibleLines = lines;
            started = true;
            Size size = terminal.getSize();
            rows = size.getRows();
            columns = size.getColumns();
            if (paintable()) {
                // The chat takes the screen, as chat clients do: what was on it goes to the
                // terminal's scrollback where the terminal keeps one on a clear (tmux, VTE, kitty...).
                terminal.puts(Capability.clear_screen);
                terminal.puts(Capability.change_scroll_region, 0, rows - 2);
                terminal.puts(Capability.cursor_address, 0, 0);
                drawStatus();
                terminal.flush();
            }
        });
        // JLine installs its own handler while reading a line (our handleSignal), and puts this one back after.
        terminal.handle(Signal.WINCH, signal -> resized());
    }

    /** Gives the whole screen back: scroll region reset, status row cleared. */
    void finish() {
        locked(() -> {
            if (started && paintable()) {
                terminal.puts(Capability.save_cursor);
                terminal.puts(Capability.change_scroll_region, 0, rows - 1);
                terminal.puts(Capability.cursor_address, rows - 1, 0);
                terminal.puts(Capability.clr_eol);
                terminal.puts(Capability.restore_cursor);
                terminal.flush();
            }
            started = false;
        });
    }

    @Override
    protected void handleSignal(Signal signal) {
        if (signal == Signal.WINCH) {
            resized();
        } else {
            super.handleSignal(signal);
        }
    }

    /** The terminal changed size: lay everything out again. */
    void resized() {
        locked(() -> {
            if (reading) {
                size = terminal.getBufferSize();
                display.resize(size);
            }
            repaint();
        });
    }

    /** Changes the prompt and draws the whole screen again, as {@link #repaint()}. Any thread. */
    void repaint(String newPrompt) {
        locked(() -> {
            prompt = new AttributedString(newPrompt);
            if (started && paintable()) {
                repaint();
            } else if (reading) {
                redisplay(true);
            }
        });
    }

    /**
     * Draws the whole screen again: the latest lines that fit, the input line under them, the
     * status row. Any thread.
     */
    void repaint() {
        locked(() -> {
            if (!started) {
                return;
            }
            Size size = terminal.getSize();
            rows = size.getRows();
            columns = size.getColumns();
            if (!paintable()) {
                return;
            }
            int inputRows = Math.min(rows - 2, reading ? inputRows() : 1);
            List<AttributedString> pieces = lastRows(visibleLines.get(), rows - 1 - inputRows);
            terminal.puts(Capability.change_scroll_region, 0, rows - 2);
            for (int row = 0; row < rows - 1; row++) {
                terminal.puts(Capability.cursor_address, row, 0);
                if (row < pieces.size()) {
                    AttributedString piece = pieces.get(row);
                    terminal.writer().print(piece.toAnsi(terminal));
                    if (piece.columnLength(terminal) < columns) {
                        terminal.puts(Capability.clr_eol);
                    }
                } else {
                    terminal.puts(Capability.clr_eol);
                }
            }
            drawnStatus = null;
            drawStatus();
            terminal.puts(Capability.cursor_address, pieces.size(), 0);
            if (reading) {
                redrawLine(); // forget what JLine thinks it drew: the input line is drawn from here
                redisplay(false);
            }
            terminal.flush();
        });
    }

    /** Prints a chat line above the input line. Any thread. */
    void show(AttributedString line) {
        locked(() -> {
            printAbove(line);
            drawStatus(); // printAbove flushed its own output; the status rarely changes with it
        });
    }

    /** Sets the status row; draws it if it changed. Any thread. */
    void status(AttributedString line) {
        locked(() -> {
            status = line;
            drawStatus();
        });
    }

    /** Replaces the prompt, redrawing the input line if it is shown. Any thread. */
    void prompt(String text) {
        locked(() -> {
            prompt = new AttributedString(text);
            if (reading) {
                redisplay(true);
            }
        });
    }

    /** Puts {@code text} in the editor if it is being read and empty; false if it was not. Any thread. */
    boolean offerInput(String text) {
        lock.lock();
        try {
            if (!reading || buf.length() > 0) {
                return false;
            }
            buf.write(text);
            redisplay(true);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The text being edited now; under the lock. */
    String input() {
        return buf.toString();
    }

    /** Replaces the text being edited (under the lock, from a widget). */
    void replaceInput(String text) {
        buf.clear();
        buf.write(text);
    }

    /** Rings the terminal's bell. Any thread. */
    void bell() {
        locked(() -> {
            terminal.puts(Capability.bell);
            terminal.flush();
        });
    }

    /** Makes {@code readLine} return (with an empty line) at the end of the current widget. */
    void endReading() {
        buf.clear();
        acceptLine();
    }

    private boolean paintable() {
        return canPaint && rows >= 3 && columns >= 2;
    }

    /** How many rows the prompt and the text being edited take. */
    private int inputRows() {
        int width = prompt.columnLength(terminal) + new AttributedString(buf.toString()).columnLength(terminal) + 1;
        return Math.max(1, (width + columns - 1) / columns);
    }

    /** The last {@code count} screen rows of {@code lines}, each line split at the screen's width. */
    private List<AttributedString> lastRows(List<AttributedString> lines, int count) {
        List<AttributedString> rowsFromEnd = new ArrayList<>();
        for (int i = lines.size() - 1; i >= 0 && rowsFromEnd.size() < count; i--) {
            List<AttributedString> split = lines.get(i).columnSplitLength(terminal, columns, false, true);
            for (int j = split.size() - 1; j >= 0 && rowsFromEnd.size() < count; j--) {
                rowsFromEnd.add(split.get(j));
            }
        }
        List<AttributedString> result = new ArrayList<>(rowsFromEnd.size());
        for (int i = rowsFromEnd.size() - 1; i >= 0; i--) {
            result.add(rowsFromEnd.get(i));
        }
        return result;
    }

    private void drawStatus() {
        if (!started || !paintable()) {
            return;
        }
        // Never the bottom-right cell: terminals disagree on where the cursor is after writing it
        // (some scroll at once, some wrap on the next character, JLine's emulator restores it a row low).
        int width = columns - 1;
        AttributedString line = status;
        if (line.columnLength(terminal) > width) {
            line = line.columnSubSequence(terminal, 0, width);
        }
        AttributedStringBuilder padded = new AttributedStringBuilder(width).append(line);
        if (line.length() > 0 && line.columnLength(terminal) < width) {
            // Fill the row with the status's own style (inverse video reaches the right edge).
            padded.style(line.styleAt(line.length() - 1)).append(" ".repeat(width - line.columnLength(terminal)));
        }
        String ansi = padded.toAttributedString().toAnsi(terminal);
        if (ansi.equals(drawnStatus)) {
            return;
        }
        terminal.puts(Capability.save_cursor);
        terminal.puts(Capability.cursor_address, rows - 1, 0);
        terminal.writer().print(ansi);
        if (padded.columnLength() < width) {
            terminal.puts(Capability.clr_eol);
        }
        terminal.puts(Capability.restore_cursor);
        terminal.flush();
        drawnStatus = ansi;
    }
}
