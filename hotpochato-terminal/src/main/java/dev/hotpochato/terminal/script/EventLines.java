package dev.hotpochato.terminal.script;

import dev.hotpochato.client.LeaveReason;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.Turn;

import java.time.Duration;
import java.util.Locale;

/**
 * The scripted mode's output format: one event per line, fields separated by a single TAB, the
 * event's kind first. Free text (what was said, reasons, messages) is the last field and has
 * backslash, TAB, newline and carriage return escaped as {@code \\ \t \n \r}, so every event is
 * exactly one line. This format is stable: scripts and tests grep it.
 *
 * <pre>
 * connected      NAME  SERVER-VERSION
 * joined         ROOM  MEMBER,MEMBER,...        (members in turn order)
 * paired         ROOM  PARTNER  first|second
 * member-joined  ROOM  NAME
 * member-left    ROOM  NAME  left|disconnected|timed_out|kicked|unknown
 * member-away    ROOM  NAME                     (connection lost; may come back)
 * member-back    ROOM  NAME
 * turn           ROOM  NUMBER  HOLDER  LENGTH-MS  (0: no limit)
 * said           ROOM  SPEAKER  TEXT
 * passed         ROOM  NAME
 * expired        ROOM  NAME
 * skipped        ROOM  NAME                     (the turn came to NAME while away)
 * history-lost   ROOM                           (after a reconnect: missed events lost; a fresh view follows)
 * room-closed    ROOM  REASON
 * left           ROOM
 * reconnecting                                  (the connection was lost; resuming)
 * reconnected                                   (the missed events follow)
 * error          CODE  MESSAGE
 * disconnected   REASON
 * </pre>
 */
public final class EventLines {

    private EventLines() {
    }

    public static String connected(String name, String serverVersion) {
        return line("connected", name, serverVersion);
    }

    public static String joined(RoomHandle room) {
        return line("joined", room.name(), String.join(",", room.members()));
    }

    public static String paired(RoomHandle room, String partner, boolean first) {
        return line("paired", room.name(), partner, first ? "first" : "second");
    }

    public static String memberJoined(RoomHandle room, String name) {
        return line("member-joined", room.name(), name);
    }

    public static String memberLeft(RoomHandle room, String name, LeaveReason reason) {
        return line("member-left", room.name(), name, reason.name().toLowerCase(Locale.ROOT));
    }

    public static String turn(RoomHandle room, Turn turn) {
        return line("turn", room.name(), Long.toString(turn.number()), turn.holder(),
                Long.toString(turn.length().map(Duration::toMillis).orElse(0L)));
    }

    public static String said(RoomHandle room, Message m) {
        return line("said", room.name(), m.speaker(), escape(m.text()));
    }

    public static String passed(RoomHandle room, String name) {
        return line("passed", room.name(), name);
    }

    public static String expired(RoomHandle room, String name) {
        return line("expired", room.name(), name);
    }

    public static String memberAway(RoomHandle room, String name) {
        return line("member-away", room.name(), name);
    }

    public static String memberBack(RoomHandle room, String name) {
        return line("member-back", room.name(), name);
    }

    public static String skipped(RoomHandle room, String name) {
        return line("skipped", room.name(), name);
    }

    public static String historyLost(RoomHandle room) {
        return line("history-lost", room.name());
    }

    public static String reconnecting() {
        return line("reconnecting");
    }

    public static String reconnected() {
        return line("reconnected");
    }

    public static String roomClosed(RoomHandle room, String reason) {
        return line("room-closed", room.name(), escape(reason));
    }

    public static String left(String room) {
        return line("left", room);
    }

    public static String error(String code, String message) {
        return line("error", code, escape(message));
    }

    public static String disconnected(String reason) {
        return line("disconnected", escape(reason));
    }

    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\t' -> b.append("\\t");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String line(String... fields) {
        return String.join("\t", fields);
    }
}
