package dev.hotpochato.protocol.codec;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Writes a protobuf message as one frame: varint32 length prefix, then the message.
 *
 * <p>Frames already encoded with {@link #encode} (a broadcast encoded once for many members) are
 * {@code ByteBuf}s and pass through this handler untouched.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<MessageLite> {

    public static final FrameEncoder INSTANCE = new FrameEncoder();

    private FrameEncoder() {
        super(MessageLite.class);
    }

    /** Encodes {@code message} as a complete frame in one exactly sized buffer owned by the caller. */
    public static ByteBuf encode(ByteBufAllocator alloc, MessageLite message) {
        int bodySize = message.getSerializedSize();
        ByteBuf buf = alloc.buffer(frameSize(bodySize));
        try {
            writeFrame(buf, message, bodySize);
            return buf;
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    /**
     * Frames a message that is already serialized: the length prefix, then a copy of the bytes, in
     * one exactly sized buffer owned by the caller. A copy is cheaper than serializing again.
     */
    public static ByteBuf encodeSerialized(ByteBufAllocator alloc, byte[] serialized) {
        ByteBuf buf = alloc.buffer(frameSize(serialized.length));
        writeVarint32(buf, serialized.length);
        return buf.writeBytes(serialized);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, MessageLite msg, boolean preferDirect) {
        return ctx.alloc().ioBuffer(frameSize(msg.getSerializedSize()));
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MessageLite msg, ByteBuf out) {
        writeFrame(out, msg, msg.getSerializedSize());
    }

    private static int frameSize(int bodySize) {
        return CodedOutputStream.computeUInt32SizeNoTag(bodySize) + bodySize;
    }

    private static void writeFrame(ByteBuf out, MessageLite message, int bodySize) {
        int frameSize = frameSize(bodySize);
        out.ensureWritable(frameSize);
        // The buffer's own cached view (pooled buffers keep one): nioBuffer() would make a new
        // ByteBuffer per frame, the largest allocation on the turn path after protobuf's own.
        ByteBuffer target = out.nioBufferCount() == 1
                ? out.internalNioBuffer(out.writerIndex(), frameSize)
                : out.nioBuffer(out.writerIndex(), frameSize);
        CodedOutputStream coded = CodedOutputStream.newInstance(target);
        try {
            coded.writeUInt32NoTag(bodySize);
            message.writeTo(coded);
            coded.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.writerIndex(out.writerIndex() + frameSize);
    }

    private static void writeVarint32(ByteBuf out, int value) {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }
}
