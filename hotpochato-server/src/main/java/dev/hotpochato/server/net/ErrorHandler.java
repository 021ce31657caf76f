package dev.hotpochato.server.net;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hotpochato.protocol.codec.FrameTooLargeException;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.Frames;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of every connection: whatever went wrong on it becomes one typed, fatal
 * {@code Error} frame to this client, then the connection closes. Other connections never see it.
 *
 * <p>The session on the connection hears of it at once, with the code: the code's rule
 * ({@code ErrorRules}) decides whether the session goes away and may be resumed, or ends now.
 */
@ChannelHandler.Sharable
final class ErrorHandler extends ChannelInboundHandlerAdapter {

    static final ErrorHandler INSTANCE = new ErrorHandler();

    /** The code of the fatal error the server closed the connection for; set once, when it is sent. */
    static final AttributeKey<Error.Code> FATAL = AttributeKey.valueOf(ErrorHandler.class, "fatal");

    /** A client that does not read even its last error is cut off after this long. */
    static final long CLOSE_TIMEOUT_MILLIS = 2_000;

    private static final Logger log = LoggerFactory.getLogger(ErrorHandler.class);

    private ErrorHandler() {
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!ctx.channel().isActive() || cause instanceof IOException) {
            // The peer is gone (reset, broken pipe, write after close): nobody left to tell.
            log.debug("{}: connection lost: {}", ctx.channel(), cause.toString());
            ctx.close();
            return;
        }
        if (ctx.channel().attr(FATAL).get() != null) {
            return; // already closing for an earlier error
        }
        ServerFrame error = toError(cause);
        Error.Code code = error.getError().getCode();
        ctx.channel().attr(FATAL).set(code);
        ServerSession session = ctx.channel().attr(ServerSession.KEY).get();
        if (session != null) {
            // Now, not when the socket finally closes: a kicked client may not resume meanwhile, and
            // the others need not wait to see a member that stopped reading go away.
            session.lost(ctx.channel(), code);
        }
        log.debug("{}: closing after {}: {}", ctx.channel(), code, error.getError().getMessage());
        // A deliberate pipeline change: from now on whatever the client sends is read and dropped.
        ChannelPipeline p = ctx.pipeline();
        if (p.get("tls") != null) {
            p.addAfter("tls", "discard", Discard.INSTANCE);
        } else {
            p.addFirst("discard", Discard.INSTANCE);
        }
        ctx.channel().config().setAutoRead(true); // it may have stopped reading during a handshake
        // Closing a socket with unread input makes the kernel send a reset, which can destroy the
        // error frame before the client reads it. So: send it, end our side, and let the client
        // close (reading what it still sends), or close after a while anyway.
        ctx.writeAndFlush(error).addListener(written -> {
            if (ctx.channel() instanceof DuplexChannel duplex && written.isSuccess()) {
                duplex.shutdownOutput();
            } else {
                ctx.close();
            }
        });
        ctx.executor().schedule(() -> ctx.close(), CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Drops everything read from a client that is being closed. */
    @ChannelHandler.Sharable
    private static final class Discard extends ChannelInboundHandlerAdapter {
        static final Discard INSTANCE = new Discard();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }
    }

    static ServerFrame toError(Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ProtocolException e) {
            return Frames.fatal(e.requestId(), e.code(), e.getMessage());
        }
        if (cause instanceof FrameTooLargeException e) {
            return Frames.fatal(0, Error.Code.FRAME_TOO_LARGE, e.getMessage());
        }
        if (cause instanceof CorruptedFrameException || cause instanceof InvalidProtocolBufferException) {
            return Frames.fatal(0, Error.Code.PROTOCOL_VIOLATION, "malformed frame: " + cause.getMessage());
        }
        log.warn("unexpected error on a connection", cause);
        return Frames.fatal(0, Error.Code.INTERNAL, "internal error: " + cause.getClass().getSimpleName());
    }
}
