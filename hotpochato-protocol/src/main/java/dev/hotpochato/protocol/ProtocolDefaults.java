package dev.hotpochato.protocol;

/** Values both sides agree on unless a server announces otherwise in {@code Welcome.limits}. */
public final class ProtocolDefaults {

    /** The TCP port a server listens on unless told otherwise. */
    public static final int PORT = 7447;

    /** Largest frame body (after the length prefix) a peer accepts unless configured otherwise. */
    public static final int MAX_FRAME_BYTES = 64 * 1024;

    /** Largest {@code Say.text}, in UTF-8 bytes, unless configured otherwise. */
    public static final int MAX_TEXT_BYTES = 4 * 1024;

    private ProtocolDefaults() {
    }
}
