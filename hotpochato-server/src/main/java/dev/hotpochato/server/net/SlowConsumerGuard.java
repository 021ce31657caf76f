package dev.hotpochato.server.net;

import com.google.protobuf.CodedOutputStream;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Keeps a client that reads too slowly from costing the server memory or the others their pace.
 * Every frame queued for the client counts, errors included: one that would take its unsent bytes
 * above {@code maxPendingBytes} is dropped and the client is disconnected with SLOW_CONSUMER at once;
 * so is a client whose unsent bytes stay above the channel's high water mark for
 * {@code timeoutMillis}. After that nothing more is queued for it, except the last error telling it
 * why it is being closed, and that only if it fits under the cap too. (A resumed session gets what
 * it missed from the rooms' history.)
 *
 * <p>Sits after the frame encoder, toward the tail: it sees what handlers write (ServerFrames) and
 * what the rooms write (encoded buffers), on the connection's loop.
 */
final class SlowConsumerGuard extends ChannelDuplexHandler {

    private final long timeoutMillis;
    private final long maxPendingBytes;
    private ScheduledFuture<?> check;
    private boolean tripped;
    private boolean lastWordSent;

    SlowConsumerGuard(long timeoutMillis, long maxPendingBytes) {
        this.timeoutMillis = timeoutMillis;
        this.maxPendingBytes = maxPendingBytes;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        long after = pendingBytes(ctx.channel()) + sizeOf(msg);
        if (tripped) {
            if (!lastWordSent && isFatalError(msg) && after <= maxPendingBytes) {
                lastWordSent = true; // the one frame a tripped client is still sent: why it is closed
                ctx.write(msg, promise);
                return;
            }
            drop(msg, promise);
            return;
        }
        if (after > maxPendingBytes) {
            // Tripped first, so that the client is closed for SLOW_CONSUMER, not for the failed write
            // (a void promise reports its failure down the pipeline).
            trip(ctx, "more than " + maxPendingBytes + " bytes unread");
            drop(msg, promise);
            return;
        }
        ctx.write(msg, promise);
    }

    private static void drop(Object msg, ChannelPromise promise) {
        ReferenceCountUtil.release(msg);
        promise.tryFailure(SlowConsumerException.INSTANCE);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable() && check != null) {
            check.cancel(false); // caught up: only an unbroken stall counts
            check = null;
        } else if (!ctx.channel().isWritable() && check == null) {
            check = ctx.executor().schedule(() -> {
                check = null;
                if (!ctx.channel().isWritable()) {
                    trip(ctx, "unread output above the limit for " + timeoutMillis + " ms");
                }
            }, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void trip(ChannelHandlerContext ctx, String why) {
        if (!tripped) {
            tripped = true;
            ctx.fireExceptionCaught(new ProtocolException(Error.Code.SLOW_CONSUMER, "reading too slowly: " + why, 0));
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
    }

    /**
     * Bytes queued on {@code ch} and not yet written to the socket, as Netty counts them (with its
     * overhead per frame), derived from the two public views of that count.
     */
    static long pendingBytes(Channel ch) {
        if (ch.isWritable()) {
            long before = ch.bytesBeforeUnwritable();
            long high = ch.config().getWriteBufferHighWaterMark();
            return before == 0 ? high : Math.max(0, high - before + 1);
        }
        long before = ch.bytesBeforeWritable();
        return ch.config().getWriteBufferLowWaterMark() + Math.max(0, before - 1);
    }

    /** What {@code msg} will add once encoded: a frame's body and its length prefix. */
    private static long sizeOf(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        if (msg instanceof ServerFrame frame) {
            int body = frame.getSerializedSize();
            return CodedOutputStream.computeUInt32SizeNoTag(body) + body;
        }
        return 0;
    }

    private static boolean isFatalError(Object msg) {
        return msg instanceof ServerFrame frame && frame.hasError() && frame.getError().getFatal();
    }

    /** The write was dropped because its client had stopped reading. */
    static final class SlowConsumerException extends RuntimeException {
        static final SlowConsumerException INSTANCE = new SlowConsumerException();

        private SlowConsumerException() {
            super("client reads too slowly", null, false, false);
        }
    }
}
