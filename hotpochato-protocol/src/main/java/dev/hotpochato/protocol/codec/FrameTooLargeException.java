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

    public long declaredBytes() {
        return declaredBytes;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }
}
