package dev.hotpochato.server.room.rules;

/** UTF-8 arithmetic the limits (and the event encoder) need, without encoding the text. */
public final class Utf8 {

    private Utf8() {
    }

    /** The number of bytes {@code text} takes in UTF-8 (a lone surrogate counts as one '?' byte). */
    public static int encodedLength(CharSequence text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                bytes += 1;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
