package dev.hotpochato.server.net;

import dev.hotpochato.server.room.Lobby;

/** What display names and room names may look like. */
final class NameRules {

    static final int MAX_NAME_CHARS = 32;
    static final int MAX_ROOM_NAME_CHARS = 64;

    private NameRules() {
    }

    /** Why {@code name} is not a valid display name, or null if it is. */
    static String checkDisplayName(String name) {
        int chars = name.codePointCount(0, name.length());
        if (chars == 0 || chars > MAX_NAME_CHARS) {
            return "a name has 1 to " + MAX_NAME_CHARS + " characters";
        }
        if (!printable(name)) {
            return "a name may not contain control or invisible characters";
        }
        if (Character.isWhitespace(name.codePointAt(0)) || Character.isWhitespace(name.codePointBefore(name.length()))) {
            return "a name may not start or end with white space";
        }
        return null;
    }

    /** Why {@code room} is not a valid room name for {@code Join}, or null if it is. */
    static String checkRoomName(String room) {
        int chars = room.codePointCount(0, room.length());
        if (chars == 0 || chars > MAX_ROOM_NAME_CHARS) {
            return "a room name has 1 to " + MAX_ROOM_NAME_CHARS + " characters";
        }
        if (!printable(room) || room.codePoints().anyMatch(Character::isWhitespace)) {
            return "a room name may not contain white space, control or invisible characters";
        }
        if (room.startsWith(Lobby.PRIVATE_PREFIX)) {
            return "room names starting with " + Lobby.PRIVATE_PREFIX + " are reserved for pairs";
        }
        return null;
    }

    private static boolean printable(String s) {
        return s.codePoints().allMatch(cp -> {
            int type = Character.getType(cp);
            return type != Character.CONTROL && type != Character.FORMAT && type != Character.UNASSIGNED
                    && type != Character.PRIVATE_USE && type != Character.SURROGATE
                    && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR;
        });
    }
}
