package dev.hotpochato.protocol.codec;

import io.netty.handler.codec.TooLongFrameException;

/** A frame's declared length is above the configured maximum; raised before its body is read. */
public final class FrameTooLargeException extends TooLongFrameException {

    private final long declaredBytes;
    private final int maxFrameBytes;

    public FrameTooLargeException(long declaredBytes, int maxFrameBytes) {
        super("frame of " + declaredBytes + " bytes exceeds the limit of " + maxFrameBytes + " bytes");
        this.declaredBytes = declaredBytes;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * A message refused before its length was known in full: a WebSocket message refused from the
     * header of one of its fragments. {@link #declaredBytes()} is then -1.
     */
    public FrameTooLargeException(int maxFrameBytes, String message) {
        super(message);
        this.declaredBytes = -1;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The length the frame's prefix declared, or -1 if it was not known. */
    public long declaredBytes() {
        return declaredBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }
}
