package dev.hotpochato.server.net;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hotpochato.protocol.codec.FrameTooLargeException;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.Frames;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The last handler of every connection: whatever went wrong on it becomes one typed, fatal
 * {@code Error} frame to this client, then the connection closes. Other connections never see it.
 */
@ChannelHandler.Sharable
final class ErrorHandler extends ChannelInboundHandlerAdapter {

    static final ErrorHandler INSTANCE = new ErrorHandler();

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
        ServerFrame error = toError(cause);
        log.debug("{}: closing after {}: {}", ctx.channel(), error.getError().getCode(), error.getError().getMessage());
        // Read nothing more from a client that is being closed.
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(error).addListener(ChannelFutureListener.CLOSE);
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
