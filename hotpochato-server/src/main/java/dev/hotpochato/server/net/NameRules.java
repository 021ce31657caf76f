package dev.hotpochato.server.net;

import dev.hotpochato.protocol.ProtocolLimits;

/** What display names and room names may look like. */
final class NameRules {

    private NameRules() {
    }

    /** Why {@code name} is not a valid display name, or null if it is. */
    static String checkDisplayName(String name) {
        int chars = name.codePointCount(0, name.length());
        if (chars == 0 || chars > ProtocolLimits.MAX_NAME_CHARS) {
            return "a name has 1 to " + ProtocolLimits.MAX_NAME_CHARS + " characters";
        }
        if (!printable(name)) {
            return "a name may not contain control or invisible characters";
        }
        if (isSpace(name.codePointAt(0)) || isSpace(name.codePointBefore(name.length()))) {
            return "a name may not start or end with white space";
        }
        return null;
    }

    /** Why {@code room} is not a valid room name for {@code Join}, or null if it is. */
    static String checkRoomName(String room) {
        int chars = room.codePointCount(0, room.length());
        if (chars == 0 || chars > ProtocolLimits.MAX_ROOM_NAME_CHARS) {
            return "a room name has 1 to " + ProtocolLimits.MAX_ROOM_NAME_CHARS + " characters";
        }
        if (!printable(room) || room.codePoints().anyMatch(NameRules::isSpace)) {
            return "a room name may not contain white space, control or invisible characters";
        }
        if (room.startsWith(ProtocolLimits.PRIVATE_ROOM_PREFIX)) {
            return "room names starting with " + ProtocolLimits.PRIVATE_ROOM_PREFIX + " are reserved for pairs";
        }
        return null;
    }

    /** Any kind of space, including the no-break ones that {@link Character#isWhitespace} lets through. */
    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
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
