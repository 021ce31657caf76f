package dev.hotpochato.server.net;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hotpochato.protocol.ErrorRules;
import dev.hotpochato.protocol.codec.FrameTooLargeException;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.Frames;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of every connection: whatever went wrong on it becomes one typed, fatal
 * {@code Error} frame to this client, then the connection closes. Other connections never see it.
 */
@ChannelHandler.Sharable
final class ErrorHandler extends ChannelInboundHandlerAdapter {

    static final ErrorHandler INSTANCE = new ErrorHandler();

    /** Why the server closed the connection, as the other members will be told. */
    static final AttributeKey<MemberLeft.Reason> LEFT_REASON = AttributeKey.valueOf(ErrorHandler.class, "leftReason");

    /** A client that does not read even its last error is cut off after this long. */
    private static final long CLOSE_TIMEOUT_MILLIS = 2_000;

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
        if (ctx.channel().attr(LEFT_REASON).get() != null) {
            return; // already closing for an earlier error
        }
        ServerFrame error = toError(cause);
        Error.Code code = error.getError().getCode();
        MemberLeft.Reason reason = reasonFor(code);
        ctx.channel().attr(LEFT_REASON).set(reason);
        ServerSession session = ctx.channel().attr(ServerSession.KEY).get();
        if (session != null && reason == MemberLeft.Reason.KICKED) {
            // Over now, not when the socket finally closes: a kicked client may not resume meanwhile.
            session.connectionLost(ctx.channel(), reason);
        }
        log.debug("{}: closing after {}: {}", ctx.channel(), code, error.getError().getMessage());
        // A deliberate pipeline change: from now on whatever the client sends is dropped unread.
        ChannelPipeline p = ctx.pipeline();
        if (p.get("tls") != null) {
            p.addAfter("tls", "discard", Discard.INSTANCE);
        } else {
            p.addFirst("discard", Discard.INSTANCE);
        }
        // Closing a socket with unread input makes the kernel send a reset, which can destroy the
        // error frame before the client reads it. So: send it, end our side, and let the client
        // close (reading what it still sends), or close after a while anyway.
        ctx.writeAndFlush(error).addListener(written -> {
            if (ctx.channel() instanceof SocketChannel socket && written.isSuccess()) {
                socket.shutdownOutput();
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

    /**
     * What the other members are told when this client is closed for {@code code}: a client that
     * went silent or stopped reading timed out (and may resume); a server fault is no fault of the
     * client's; anything else broke the rules and is kicked, for good.
     */
    private static MemberLeft.Reason reasonFor(Error.Code code) {
        return ErrorRules.memberLeft(code);
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
