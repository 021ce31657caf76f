package dev.hotpochato.terminal.script;

import dev.hotpochato.client.LeaveReason;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.Turn;
import dev.hotpochato.terminal.SafeText;

import java.time.Duration;
import java.util.Locale;

/**
 * The scripted mode's output format: one event per line, fields separated by a single TAB, the
 * event's kind first. Free text (what was said, reasons, messages) is the last field. Every field
 * has backslash, TAB, newline and carriage return escaped as {@code \\ \t \n \r}, and any other
 * control character (C0, DEL, C1, the invisible bidirectional and line-separator controls) as
 * {@code \}{@code uXXXX} ({@link SafeText#escape}), so every event is exactly one line and nothing
 * from the wire reaches the reader's terminal as a control sequence. This format is stable:
 * scripts and tests grep it; new kinds of lines may be added, existing ones do not change.
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
 * new-session    REASON                         (the session could not be resumed; a new one under the same name)
 * rejoined       ROOM  MEMBER,MEMBER,...        (the new session is in ROOM again; what was said in between is lost)
 * rejoin-failed  ROOM  CODE  MESSAGE            (the new session could not join ROOM again)
 * unsaid         ROOM  LINE                     (an input line never said, as typed; before a non-zero exit)
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
        return line("said", room.name(), m.speaker(), m.text());
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
        return line("room-closed", room.name(), reason);
    }

    public static String left(String room) {
        return line("left", room);
    }

    public static String error(String code, String message) {
        return line("error", code, message);
    }

    public static String disconnected(String reason) {
        return line("disconnected", reason);
    }

    public static String newSession(String reason) {
        return line("new-session", reason);
    }

    public static String rejoined(RoomHandle room) {
        return line("rejoined", room.name(), String.join(",", room.members()));
    }

    public static String rejoinFailed(RoomHandle room, String code, String message) {
        return line("rejoin-failed", room.name(), code, message);
    }

    /** An input line left unsaid when the client ended; {@code room} is empty if it never entered one. */
    public static String unsaid(String room, String inputLine) {
        return line("unsaid", room, inputLine);
    }

    static String escape(String text) {
        return SafeText.escape(text);
    }

    /** Joins the kind and the fields with TABs, every field escaped. */
    private static String line(String kind, String... fields) {
        StringBuilder b = new StringBuilder(kind);
        for (String field : fields) {
            b.append('\t').append(escape(field));
        }
        return b.toString();
    }
}
