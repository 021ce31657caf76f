package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.Error;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Ticker;

/**
 * A token bucket per connection: {@code ratePerSecond} frames a second, bursts of up to
 * {@code burst}. A client that empties it is flooding, and is cut off with RATE_LIMITED rather
 * than slowed down: a well-behaved client never gets near the limit. Time is the connection's
 * executor's ticker.
 */
final class FrameRateLimiter extends ChannelInboundHandlerAdapter {

    private final double tokensPerNano;
    private final double burst;
    private Ticker ticker;
    private double tokens;
    private long lastRefill;

    FrameRateLimiter(int ratePerSecond, int burst) {
        this.tokensPerNano = ratePerSecond / 1e9;
        this.burst = burst;
        this.tokens = burst;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ticker = ctx.executor().ticker();
        lastRefill = ticker.nanoTime();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object frame) {
        long now = ticker.nanoTime();
        tokens = Math.min(burst, tokens + (now - lastRefill) * tokensPerNano);
        lastRefill = now;
        if (tokens < 1) {
            ReferenceCountUtil.release(frame);
            throw new ProtocolException(Error.Code.RATE_LIMITED, "more than " + Math.round(tokensPerNano * 1e9)
                    + " frames a second (bursts of " + (long) burst + ")", 0);
        }
        tokens -= 1;
        ctx.fireChannelRead(frame);
    }
}
