package dev.hotpochato.terminal;

/**
 * Keeps what came from the wire from acting on the terminal: names, room names, text and reasons
 * from the server are shown as text, never as a control sequence. The server refuses control
 * characters in names and (from its hardening on) in text, but a client must not trust that: an
 * {@code ESC ] 2 ; title BEL} or {@code ESC [ 2 J} printed raw would retitle or wipe the screen.
 *
 * <p>The characters neutralised are the C0 controls (U+0000 to U+001F), DEL (U+007F), the C1
 * controls (U+0080 to U+009F; U+009B alone starts a sequence on some terminals), and the Unicode
 * controls that reorder or break lines without being visible: the bidirectional embeddings,
 * overrides and isolates, the implicit marks, and the line and paragraph separators.
 */
public final class SafeText {

    private SafeText() {
    }

    /** True for a code point that must never reach a terminal as itself. */
    public static boolean isControl(int cp) {
        return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)
                || cp == 0x061c || cp == 0x200e || cp == 0x200f
                || cp == 0x2028 || cp == 0x2029
                || (cp >= 0x202a && cp <= 0x202e)
                || (cp >= 0x2066 && cp <= 0x2069);
    }

    /** True if {@code text} holds no control at all. */
    public static boolean isPrintable(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (isControl(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * How a control is shown on the screen: caret notation for C0 and DEL ({@code ^[} for ESC,
     * {@code ^G} for BEL, {@code ^?} for DEL), {@code <U+XXXX>} for the others.
     */
    public static String visible(int cp) {
        if (cp < 0x20) {
            return "^" + (char) (cp + '@');
        }
        if (cp == 0x7f) {
            return "^?";
        }
        return String.format("<U+%04X>", cp);
    }

    /**
     * For one-line machine output (the scripted mode's fields): backslash, TAB, newline and
     * carriage return become {@code \\ \t \n \r}; any other control becomes {@code \}{@code uXXXX}.
     * The result holds no control character, so it is one line and one TAB-separated field.
     */
    public static String escape(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> isControl(c) ? String.format("\\u%04x", (int) c) : null;
            };
            if (replacement == null) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            b.append(replacement);
        }
        return b == null ? text : b.toString();
    }

    /**
     * For a short field on the screen (a name, a room name, a reason): every control, newlines
     * included, in its {@link #visible} form.
     */
    public static String name(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                if (b != null) {
                    b.append(c);
                }
                continue;
            }
            if (b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            b.append(visible(c));
        }
        return b == null ? text : b.toString();
    }
}
