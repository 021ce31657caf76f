package dev.hotpochato.terminal.interactive;

import org.jline.utils.AttributedString;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.OptionalInt;

/**
 * What the screen keeps for one room: its lines (the latest {@link #MAX_LINES}, so that a repaint
 * after a resize or a switch draws them again), how many messages came while another window was
 * in view, and the drafts waiting for this client's turn. The window of no room ({@code room()}
 * empty) holds what is said before the first room is joined or after the last is left.
 *
 * <p>Not thread-safe: {@link ChatScreen} touches it only under the editor's lock.
 */
final class Window {

    static final int MAX_LINES = 2000;

    private final String room;
    private final Deque<AttributedString> lines = new ArrayDeque<>();
    private final List<Draft> drafts = new ArrayList<>();
    private int unread;
    /** The draft being edited (by position), or -1. */
    private int editing = -1;
    /** A say is on its way (the first draft, or a line said at once): further lines queue behind it. */
    private boolean sending;
    /** Why the room is closed (the window stays for its lines until /leave), or null while open. */
    private String closedWhy;
    /** A private room made by matching: it cannot be joined again by name. */
    private boolean privateRoom;

    Window(String room) {
        this.room = room;
    }

    /** The room's name; empty for the window of no room. */
    String room() {
        return room;
    }

    boolean isRoom() {
        return !room.isEmpty();
    }

    void add(AttributedString line) {
        if (lines.size() == MAX_LINES) {
            lines.removeFirst();
        }
        lines.addLast(line);
    }

    /** Takes over the lines of {@code other} (before this window's own). */
    void adopt(Window other) {
        List<AttributedString> mine = new ArrayList<>(lines);
        lines.clear();
        other.lines.forEach(this::add);
        mine.forEach(this::add);
    }

    boolean isSending() {
        return sending;
    }

    void sending(boolean sending) {
        this.sending = sending;
    }

    /** Why this room closed, or null if it is open (or not yet joined). */
    String closedWhy() {
        return closedWhy;
    }

    void closed(String why) {
        this.closedWhy = why;
    }

    boolean isPrivateRoom() {
        return privateRoom;
    }

    void privateRoom(boolean privateRoom) {
        this.privateRoom = privateRoom;
    }

    List<AttributedString> lines() {
        return List.copyOf(lines);
    }

    int unread() {
        return unread;
    }

    void markUnread() {
        unread++;
    }

    void markRead() {
        unread = 0;
    }

    // ------------------------------------------------------------------ drafts

    List<Draft> drafts() {
        return List.copyOf(drafts);
    }

    /** Queues {@code text}; returns its number (1 for the first in line). */
    int queue(String text) {
        drafts.add(Draft.of(text));
        return drafts.size();
    }

    /** Puts {@code draft} first in line: it was said at once, but that failed. */
    void queueFirst(Draft draft) {
        drafts.add(0, draft);
        if (editing >= 0) {
            editing++;
        }
    }

    /** The draft to say on this turn: the first one, unless it is held, being edited or being said. */
    OptionalInt nextToSay() {
        if (drafts.isEmpty() || drafts.get(0).isHeld() || editing == 0 || sending) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(0);
    }

    Draft draft(int index) {
        return drafts.get(index);
    }

    /** Takes draft {@code index} out of the queue (said, or dropped). */
    Draft remove(int index) {
        if (editing == index) {
            editing = -1;
        } else if (editing > index) {
            editing--;
        }
        return drafts.remove(index);
    }

    void clearDrafts() {
        drafts.clear();
        editing = -1;
    }

    /** Marks the first draft held: saying it failed for {@code why}. */
    void holdFirst(String why) {
        if (!drafts.isEmpty()) {
            drafts.set(0, drafts.get(0).held(why));
        }
    }

    /** Starts editing draft {@code index}: it stays in its place, held, until {@link #finishEditing}. */
    void edit(int index) {
        editing = index;
    }

    /** The position of the draft being edited, or -1. */
    int editing() {
        return editing;
    }

    /** Puts the edited text back in its place (released: it goes out on a turn again), or drops it if blank. */
    void finishEditing(String text) {
        int index = editing;
        editing = -1;
        if (index < 0 || index >= drafts.size()) {
            if (!text.isBlank()) {
                drafts.add(Draft.of(text));
            }
        } else if (text.isBlank()) {
            drafts.remove(index);
        } else {
            drafts.set(index, Draft.of(text));
        }
    }
}
