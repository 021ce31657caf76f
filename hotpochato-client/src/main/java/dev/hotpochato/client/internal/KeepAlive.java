package dev.hotpochato.client.internal;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/**
 * Heartbeats: the server closes a connection it hears nothing from, so whenever this client has
 * written nothing for {@code Welcome.heartbeat_interval_ms}, it sends a {@code Ping}. The interval
 * is known only from the {@code Welcome}, so that is when the {@link IdleStateHandler} that
 * measures it is put in front of this handler (named {@value #IDLE}). The {@code Pong}s of these
 * pings (request id 0) end here.
 */
final class KeepAlive extends ChannelInboundHandlerAdapter {

    static final String IDLE = "idle";

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ServerFrame frame = (ServerFrame) msg;
        if (frame.hasPong() && frame.getRequestId() == 0) {
            return;
        }
        if (frame.hasWelcome()) {
            long interval = Integer.toUnsignedLong(frame.getWelcome().getHeartbeatIntervalMs());
            if (interval > 0 && ctx.pipeline().get(IDLE) == null) {
                ctx.pipeline().addBefore(ctx.name(), IDLE, new IdleStateHandler(0, interval, 0, TimeUnit.MILLISECONDS));
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.writeAndFlush(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(System.nanoTime())).build(),
                    ctx.voidPromise());
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }
}
