package dev.hotpochato.server.web;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/**
 * Pings a WebSocket client that has sent nothing for a heartbeat interval. A browser answers a
 * ping from its network stack, even in a background tab whose timers it throttles to once a minute,
 * so a page that cannot send its own {@code Ping} in time still shows it is alive: its pong resets
 * the session's idle timeout like any other bytes. A client that answers nothing is closed by that
 * timeout ({@code IDLE_TIMEOUT}), as over TCP.
 *
 * <p>One per connection; time comes from the connection's executor.
 */
final class WebSocketHeartbeat extends IdleStateHandler {

    WebSocketHeartbeat(long intervalMillis) {
        super(intervalMillis, 0, 0, TimeUnit.MILLISECONDS);
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) {
        ctx.writeAndFlush(new PingWebSocketFrame()).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
}
