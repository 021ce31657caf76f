package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.metrics.ServerMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One connection's traffic, where every transport's frames meet (the first of the session
 * handlers): counts the frames and bytes read and written and the {@code Error} frames written, by
 * code, into {@link ServerMetrics}, and logs one line at INFO when the connection closes: address,
 * display name, how long it lasted, frames each way and why it closed. Never a frame's text.
 *
 * <p>A frame's bytes are its protobuf body and varint length prefix: what it takes on a TCP
 * connection (a WebSocket message carries the same body without the prefix, or JSON). Writes the
 * slow-consumer guard drops are not counted: it sits closer to the tail, so this sees only what
 * goes on towards the socket. Frames the rooms write already encoded count as theirs, so a
 * broadcast counts once per recipient.
 */
final class ConnectionTraffic extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(ConnectionTraffic.class);

    private final ServerMetrics metrics;
    private long openedNanos;
    private long framesIn;
    private long framesOut;
    /** The code of the fatal error written to this connection, or null: why the server closed it. */
    private Error.Code fatal;

    ConnectionTraffic(ServerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        openedNanos = ctx.executor().ticker().nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ClientFrame frame) {
            framesIn++;
            int body = frame.getSerializedSize(); // memoized: the decoder measured it already
            metrics.frameReceived(com.google.protobuf.CodedOutputStream.computeUInt32SizeNoTag(body) + body);
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long bytes = SlowConsumerGuard.sizeOf(msg);
        if (bytes > 0) {
            int frames = msg instanceof ByteBuf buf ? frames(buf) : 1;
            framesOut += frames;
            metrics.framesSent(frames, bytes);
            if (msg instanceof ServerFrame frame && frame.hasError()) {
                Error.Code code = frame.getError().getCode();
                metrics.errorSent(code);
                if (frame.getError().getFatal() && fatal == null) {
                    fatal = code;
                }
            }
        }
        ctx.write(msg, promise);
    }

    /**
     * How many length-prefixed frames {@code buf} holds: the rooms write a member's share of one
     * command's events and replies as one buffer. Walks the varint prefixes without moving the
     * reader index.
     */
    static int frames(ByteBuf buf) {
        int frames = 0;
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            int length = 0;
            int shift = 0;
            byte b;
            do {
                b = buf.getByte(i++);
                length |= (b & 0x7f) << shift;
                shift += 7;
            } while (b < 0 && i < end && shift < 35);
            i += length;
            frames++;
        }
        return frames;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (log.isInfoEnabled()) {
            ServerSession session = ctx.channel().attr(ServerSession.KEY).get();
            long millis = TimeUnit.NANOSECONDS.toMillis(ctx.executor().ticker().nanoTime() - openedNanos);
            log.info("connection closed: {} name={} duration={}ms frames in={} out={} reason={}",
                    ctx.channel().remoteAddress(), session == null ? "-" : '"' + session.name() + '"', millis,
                    framesIn, framesOut, fatal == null ? "closed by the client or the network" : fatal.name());
        }
        ctx.fireChannelInactive();
    }
}
