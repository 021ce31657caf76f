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
            long length = readLength(in);
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
            out.add(in.readRetainedSlice((int) length));
        }
    }

    private static final long INCOMPLETE = -1;

    /**
     * Reads the unsigned varint length prefix (at most five bytes, so at most 35 bits), or returns
     * {@link #INCOMPLETE} if it has not all arrived yet.
     */
    private long readLength(ByteBuf in) {
        long result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (!in.isReadable()) {
                return INCOMPLETE;
            }
            byte b = in.readByte();
            result |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        fail(in);
        throw new CorruptedFrameException("length prefix is longer than five bytes");
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
    }
}
