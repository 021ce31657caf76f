package dev.hotpochato.server.web;

import dev.hotpochato.protocol.codec.FrameTooLargeException;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

import java.nio.channels.ClosedChannelException;

/**
 * Where a WebSocket meets the session's handlers: one data message in is one {@code ClientFrame};
 * out, a {@code ServerFrame}, or a frame already encoded for TCP (a varint length prefix and the
 * body, written once for many members), becomes one message. The subclasses say how a frame is a
 * message: {@link BinaryFrameCodec}, {@link JsonFrameCodec}.
 *
 * <p>A fatal {@code Error} is followed by a close frame with status {@code 4000 + code} and the
 * code's name as the reason; nothing is written after it. WebSocket-level faults (an oversized
 * message, a malformed frame) are raised as the exceptions the TCP framing raises, so that the
 * session's error handling answers them the same way.
 *
 * <p>One per connection, on its event loop.
 */
abstract class WebSocketFrameCodec extends ChannelDuplexHandler {

    /** First close status of the range the server uses: {@code 4000 + Error.Code}. */
    static final int CLOSE_STATUS_BASE = 4000;

    private final int maxFrameBytes;
    private boolean closeSent;

    WebSocketFrameCodec(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The close status for a fatal error with {@code code}. */
    static int closeStatus(Error.Code code) {
        return CLOSE_STATUS_BASE + code.getNumber();
    }

    /** The refusal of a WebSocket message over the frame limit. */
    static FrameTooLargeException tooLarge(int maxFrameBytes) {
        return new FrameTooLargeException(maxFrameBytes,
                "WebSocket message exceeds the limit of " + maxFrameBytes + " bytes");
    }

    /** The frame a data message carries; throws a {@code DecoderException} if it carries none. */
    abstract ClientFrame decode(WebSocketFrame message);

    /** {@code frame} as one message. */
    abstract WebSocketFrame encode(ByteBufAllocator alloc, ServerFrame frame);

    /** The serialized frame in {@code body} as one message; takes ownership of {@code body}. */
    abstract WebSocketFrame encodeSerialized(ByteBufAllocator alloc, ByteBuf body);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ClientFrame frame;
        try {
            if (!(message instanceof TextWebSocketFrame || message instanceof BinaryWebSocketFrame)) {
                throw new CorruptedFrameException("unexpected WebSocket frame " + message.getClass().getSimpleName());
            }
            frame = decode(message);
        } finally {
            message.release();
        }
        ctx.fireChannelRead(frame);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (closeSent) {
            // RFC 6455: nothing after the close frame. (Shutdown's goodbye after a fatal error, say.)
            // Dropped quietly, as over TCP once its side is shut: a void promise would raise it as an error.
            ReferenceCountUtil.release(msg);
            if (!promise.isVoid()) {
                promise.tryFailure(new ClosedChannelException());
            }
            return;
        }
        if (msg instanceof ServerFrame frame) {
            WebSocketFrame message = encode(ctx.alloc(), frame);
            if (frame.hasError() && frame.getError().getFatal()) {
                closeSent = true;
                Error.Code code = frame.getError().getCode();
                ctx.write(message, ctx.newPromise());
                // The caller's promise completes with the close frame: whatever it does next (end its
                // side of the connection, close it) comes after both.
                ctx.write(new CloseWebSocketFrame(closeStatus(code), code.name()), promise);
            } else {
                ctx.write(message, promise);
            }
        } else if (msg instanceof ByteBuf encoded) {
            writeEncoded(ctx, encoded, promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    /** Writes each length-prefixed frame in {@code encoded} as a message of its own; releases it. */
    private void writeEncoded(ChannelHandlerContext ctx, ByteBuf encoded, ChannelPromise promise) {
        try {
            while (true) {
                int length = readLength(encoded);
                if (length < 0 || length > encoded.readableBytes()) {
                    throw new IllegalArgumentException("not a length-prefixed frame: " + encoded);
                }
                boolean last = length == encoded.readableBytes();
                ByteBuf body = last ? encoded.retain() : encoded.readRetainedSlice(length);
                WebSocketFrame message = encodeSerialized(ctx.alloc(), body);
                if (last) {
                    ctx.write(message, promise);
                    return;
                }
                ctx.write(message, ctx.newPromise());
            }
        } catch (RuntimeException e) {
            promise.tryFailure(e);
        } finally {
            encoded.release();
        }
    }

    /** Reads a varint32 length prefix; -1 if it is malformed. */
    private static int readLength(ByteBuf in) {
        int result = 0;
        for (int shift = 0; shift < 35 && in.isReadable(); shift += 7) {
            byte b = in.readByte();
            result |= (b & 0x7F) << shift;
            if (b >= 0) {
                return result;
            }
        }
        return -1;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException e
                && e.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()
                || cause instanceof TooLongFrameException && !(cause instanceof FrameTooLargeException)) {
            ctx.fireExceptionCaught(tooLarge(maxFrameBytes));
            return;
        }
        ctx.fireExceptionCaught(cause);
    }
}
