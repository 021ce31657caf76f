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
 * member-left    ROOM  NAME  left|disconnected|timed_out|kicked|removed|unknown
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
 * floor          ROOM  NAME  STATE  QUEUE  BY  REASON   (a floor request changed: STATE pending|granted|released|
 *                                               revoked|denied|withdrawn|accepted; QUEUE: the raised hands after it,
 *                                               NAME,NAME,... head first; BY: the chair, or empty)
 * floor-idle     ROOM                           (nobody holds the floor)
 * chair          ROOM  NAME  BY                 (NAME became a chair; BY empty: the last chair left or stepped down)
 * stepped-down   ROOM  NAME                     (NAME is no longer a chair)
 * muted          ROOM  NAME  muted|unmuted  BY
 * moved          ROOM  NAME  audience|speakers  BY
 * warning        ROOM  REMAINING-MS             (this client's turn runs out soon)
 * room-ended     ROOM  after_turns|after_time|stop_phrase  REASON   (its end rule fired; room-closed follows)
 * hands          ROOM  QUEUE  CHAIRS  MUTED  AUDIENCE   (the answer to /hands: NAME,NAME,... each)
 * messages-left  ROOM  HOLDER  N                (rooms of more than one message per turn: after the turn line,
 *                                               and after each said that leaves HOLDER's turn going)
 * grace          ROOM  HOLDER  MS               (after a floor ... revoked line: HOLDER may still finish, one
 *                                               say or a pass, for MS)
 * removed        ROOM  NAME  BY  REASON         (a chair, BY, removed NAME; after member-left, or, for this
 *                                               client, before room-closed)
 * unchanged      ROOM  NAME  muted|unmuted|audience|speakers|chair   (this client's chair command changed
 *                                               nothing: NAME already was so)
 * notice         ROOM  TEXT                     (after joined: ROOM already existed, so what --policy and the
 *                                               other room flags asked for was not applied; TEXT says what)
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

    public static String floor(RoomHandle room, dev.hotpochato.client.FloorUpdate u) {
        return line("floor", room.name(), u.member(), u.state().name().toLowerCase(Locale.ROOT),
                String.join(",", u.queue()), u.by(), u.reason());
    }

    public static String floorIdle(RoomHandle room) {
        return line("floor-idle", room.name());
    }

    public static String chair(RoomHandle room, String name, String by) {
        return line("chair", room.name(), name, by);
    }

    public static String steppedDown(RoomHandle room, String name) {
        return line("stepped-down", room.name(), name);
    }

    public static String muted(RoomHandle room, String name, boolean muted, String by) {
        return line("muted", room.name(), name, muted ? "muted" : "unmuted", by);
    }

    public static String moved(RoomHandle room, String name, boolean audience, String by) {
        return line("moved", room.name(), name, audience ? "audience" : "speakers", by);
    }

    public static String warning(RoomHandle room, Duration remaining) {
        return line("warning", room.name(), Long.toString(remaining.toMillis()));
    }

    public static String roomEnded(RoomHandle room, dev.hotpochato.client.EndRule rule, String reason) {
        return line("room-ended", room.name(), rule.name().toLowerCase(Locale.ROOT), reason);
    }

    public static String hands(RoomHandle room) {
        return line("hands", room.name(), String.join(",", room.queue()), String.join(",", room.chairs()),
                String.join(",", room.muted().stream().sorted().toList()),
                String.join(",", room.audience().stream().sorted().toList()));
    }

    public static String messagesLeft(RoomHandle room, String holder, int left) {
        return line("messages-left", room.name(), holder, Integer.toString(left));
    }

    public static String grace(RoomHandle room, String holder, Duration grace) {
        return line("grace", room.name(), holder, Long.toString(grace.toMillis()));
    }

    public static String removed(RoomHandle room, String name, String by, String reason) {
        return line("removed", room.name(), name, by, reason);
    }

    public static String unchanged(RoomHandle room, String name, String state) {
        return line("unchanged", room.name(), name, state);
    }

    public static String notice(RoomHandle room, String text) {
        return line("notice", room.name(), text);
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
