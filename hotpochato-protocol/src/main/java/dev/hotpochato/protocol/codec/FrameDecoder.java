package dev.hotpochato.protocol.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.CorruptedFrameException;

import java.util.List;

/**
 * Splits a byte stream into frames: a varint32 length prefix followed by that many bytes.
 * Emits each frame body as a retained slice (possibly empty).
 *
 * <p>Netty's {@code ProtobufVarint32FrameDecoder} has no size limit, so this decoder exists to
 * reject a declared length above {@code maxFrameBytes} as soon as the prefix is read, before any
 * of the body is buffered. After a corrupt prefix or an oversized frame the stream cannot be
 * resynchronised, so the decoder discards everything that follows; the channel is expected to
 * be closed by whoever handles the exception.
 */
public final class FrameDecoder extends ByteToMessageDecoder {

    private final int maxFrameBytes;
    private boolean failed;

    public FrameDecoder(int maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.isReadable()) {
            int start = in.readerIndex();
            int length = readVarint32(in);
            if (length == INCOMPLETE) {
                in.readerIndex(start);
                return;
            }
            if (length > maxFrameBytes) {
                fail(in);
                throw new FrameTooLargeException(length, maxFrameBytes);
            }
            if (in.readableBytes() < length) {
                in.readerIndex(start);
                return;
            }
            out.add(in.readRetainedSlice(length));
        }
    }

    private static final int INCOMPLETE = -1;

    /** Reads an unsigned varint32, or returns {@link #INCOMPLETE} if the prefix is not all here yet. */
    private int readVarint32(ByteBuf in) {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!in.isReadable()) {
                return INCOMPLETE;
            }
            byte b = in.readByte();
            if (shift == 28 && (b & 0xF0) != 0) {
                // A fifth byte may only carry the top four bits of a 32-bit value.
                fail(in);
                throw new CorruptedFrameException("length prefix is not a valid varint32");
            }
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        throw new AssertionError("unreachable");
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
    }
}
