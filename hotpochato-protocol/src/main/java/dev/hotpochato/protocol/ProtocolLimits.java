package dev.hotpochato.protocol;

/**
 * Limits fixed by protocol version 1, the same on every server: names, the handshake, and the
 * arithmetic of a frame's size. (Limits an operator can change are announced in
 * {@code Welcome.limits}; their defaults are in {@link ProtocolDefaults}.)
 */
public final class ProtocolLimits {

    /** Longest display name, in code points; announced as {@code Welcome.limits.max_name_chars}. */
    public static final int MAX_NAME_CHARS = 32;

    /** Longest room name, in code points; announced as {@code Welcome.limits.max_room_name_chars}. */
    public static final int MAX_ROOM_NAME_CHARS = 64;

    /** Room names starting with this belong to private rooms made by {@code Match}; {@code Join} refuses them. */
    public static final String PRIVATE_ROOM_PREFIX = "~";

    /**
     * Frames a server holds behind a {@code Hello} or {@code Resume} whose answer it has not decided
     * yet (they are handled in order after {@code Welcome}); one more is a fatal
     * {@code PROTOCOL_VIOLATION}.
     */
    public static final int MAX_FRAMES_BEFORE_WELCOME = 64;

    /**
     * The most bytes a valid {@code Say} frame body takes besides its text: the request id (tag and
     * a ten-byte varint), the {@code say} field's tag and length (up to four bytes: frames are at
     * most 16 MiB), a room name of {@link #MAX_ROOM_NAME_CHARS} four-byte code points with its tag
     * and two-byte length, and the text's tag and length. A server's {@code max_text_bytes} is at
     * most its {@code max_frame_bytes} minus this, so that the longest text always fits in a frame.
     */
    public static final int SAY_ENVELOPE_BYTES = (1 + 10) + (1 + 4) + (1 + 2 + 4 * MAX_ROOM_NAME_CHARS) + (1 + 4);

    private ProtocolLimits() {
    }
}
