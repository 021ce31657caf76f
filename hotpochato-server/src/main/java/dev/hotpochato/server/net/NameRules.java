package dev.hotpochato.server.net;

import dev.hotpochato.protocol.ProtocolLimits;

/**
 * What display names, room names and said text may hold: text that shows as text, and nothing a
 * terminal would take as a command or that would look like nothing at all. docs/protocol.md §12
 * states the same rules.
 */
final class NameRules {

    /**
     * The terminal and the web page speak to their own member in the second person ("you got the
     * floor"); a member named so would read as oneself on everyone else's screen.
     */
    static final String RESERVED_NAME = "you";

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
        if (!hasVisible(name)) {
            return "a name needs at least one visible character";
        }
        if (name.equalsIgnoreCase(RESERVED_NAME)) {
            return "the name \"" + RESERVED_NAME + "\" is reserved: clients show each member itself as \"you\"";
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
        if (!hasVisible(room)) {
            return "a room name needs at least one visible character";
        }
        return null;
    }

    /**
     * Why {@code text} may not be said, or null if it may: no control character (general category
     * Cc: U+0000-U+001F, U+007F-U+009F) other than newline and tab, since terminals act on them
     * (ESC starts the sequences that set a window's title or clear a screen; U+009B is a one-byte
     * CSI).
     */
    static String checkText(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F)) {
                return String.format("text may not contain control character U+%04X (only newline and tab)", (int) c);
            }
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

    /** {@code s} has a code point that shows on its own (see {@link #isVisible}). */
    private static boolean hasVisible(String s) {
        return s.codePoints().anyMatch(NameRules::isVisible);
    }

    /**
     * A code point that shows as something on its own: not a space, not a control, format or
     * unassigned code point, not a mark (which only modifies the character before it), and none of
     * the letters and symbols that render as blank: the Hangul fillers U+115F, U+1160, U+3164 and
     * U+FFA0 (letters that Unicode lists as default-ignorable) and U+2800 BRAILLE PATTERN BLANK.
     */
    static boolean isVisible(int cp) {
        if (isSpace(cp)) {
            return false;
        }
        switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.UNASSIGNED, Character.SURROGATE,
                    Character.PRIVATE_USE, Character.NON_SPACING_MARK, Character.ENCLOSING_MARK,
                    Character.COMBINING_SPACING_MARK, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> {
                return false;
            }
            default -> {
                return cp != 0x115F && cp != 0x1160 && cp != 0x3164 && cp != 0xFFA0 && cp != 0x2800;
            }
        }
    }
}
