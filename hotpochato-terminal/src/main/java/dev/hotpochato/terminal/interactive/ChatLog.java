package dev.hotpochato.terminal.interactive;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;

/**
 * The optional chat log ({@code --log-dir}): one plain-text file per room, {@code ROOM.log},
 * appended to across runs, one line per chat or system line shown in the room's window, each
 * prefixed with its date and time: {@code 2026-12-02 10:58:38 alice: hi bob!}. Nothing in it is a
 * control character (lines are logged as shown, controls made visible). A room name is made a
 * safe file name by percent-encoding every character but ASCII letters, digits, {@code _ ~ + -}.
 *
 * <p>Not thread-safe: the screen calls it under its lock. A log that cannot be written is reported
 * once and then left alone; chatting goes on.
 */
final class ChatLog implements AutoCloseable {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final Path dir;
    private final ZoneId zone;
    private final Map<String, BufferedWriter> files = new HashMap<>();
    private boolean failed;

    ChatLog(Path dir, ZoneId zone) {
        this.dir = dir;
        this.zone = zone;
    }

    /**
     * Appends {@code text} to the log of {@code room}; returns a message for the user if logging
     * just failed (once), else null.
     */
    String append(String room, Instant time, String text) {
        if (failed) {
            return null;
        }
        try {
            BufferedWriter w = files.get(room);
            if (w == null) {
                Files.createDirectories(dir);
                w = Files.newBufferedWriter(dir.resolve(fileName(room)), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                files.put(room, w);
            }
            w.write(STAMP.format(time.atZone(zone)));
            w.write(' ');
            w.write(text);
            w.newLine();
            w.flush();
            return null;
        } catch (IOException e) {
            failed = true;
            return "cannot write the chat log in " + dir + " (" + e.getMessage() + "); logging stops";
        }
    }

    static String fileName(String room) {
        StringBuilder b = new StringBuilder();
        for (byte octet : room.getBytes(StandardCharsets.UTF_8)) {
            int c = octet & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '~' || c == '+' || c == '-') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c));
            }
        }
        return b.append(".log").toString();
    }

    @Override
    public void close() {
        for (BufferedWriter w : files.values()) {
            try {
                w.close();
            } catch (IOException ignored) {
                // closing at exit; nothing more to tell
            }
        }
        files.clear();
    }
}
