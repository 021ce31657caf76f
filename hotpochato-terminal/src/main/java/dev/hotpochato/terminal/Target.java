package dev.hotpochato.terminal;

/**
 * Where the client goes once connected: a named room, or a private room found by matching.
 *
 * @param room  the room to join; null when matching
 */
public record Target(String room) {

    public static Target room(String room) {
        return new Target(room);
    }

    public static Target match() {
        return new Target(null);
    }

    public boolean isMatch() {
        return room == null;
    }
}
