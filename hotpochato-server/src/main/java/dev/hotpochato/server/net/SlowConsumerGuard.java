package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * Keeps a client that reads too slowly from costing the server memory or the others their pace.
 * Above the channel's high water mark for longer than {@code timeoutMillis}, or holding more than
 * {@code maxPendingBytes} unsent, the client is disconnected with SLOW_CONSUMER; what was queued
 * for it after that is dropped (a resumed session gets it back from the rooms' history).
 */
final class SlowConsumerGuard extends ChannelDuplexHandler {

    private final long timeoutMillis;
    private final long maxPendingBytes;
    private ScheduledFuture<?> check;
    private boolean tripped;

    SlowConsumerGuard(long timeoutMillis, long maxPendingBytes) {
        this.timeoutMillis = timeoutMillis;
        this.maxPendingBytes = maxPendingBytes;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ServerFrame frame && frame.hasError()) {
            ctx.write(msg, promise); // the last word, telling the client why it is being closed
            return;
        }
        if (tripped || ctx.channel().bytesBeforeWritable() > maxPendingBytes) {
            trip(ctx, "more than " + maxPendingBytes + " bytes unread");
            ReferenceCountUtil.release(msg);
            promise.setFailure(SlowConsumerException.INSTANCE);
            return;
        }
        ctx.write(msg, promise);
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

    /** The write was dropped because its client had stopped reading. */
    static final class SlowConsumerException extends RuntimeException {
        static final SlowConsumerException INSTANCE = new SlowConsumerException();

        private SlowConsumerException() {
            super("client reads too slowly", null, false, false);
        }
    }
}
