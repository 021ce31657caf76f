package dev.hotpochato.server.web;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;

/**
 * The WebSocket control frames a client sends: a ping gets its pong, a pong is dropped (its bytes
 * already counted as life), a close is answered with a close and ends the connection, which then
 * counts as lost like a TCP close (the session's members go away and may resume).
 *
 * <p>At most one pong is in flight: a client that floods pings without reading gets no more than
 * one answer queued (RFC 6455 allows answering only the latest ping).
 *
 * <p>One per connection, on its event loop.
 */
final class WebSocketControl extends ChannelInboundHandlerAdapter {

    private boolean pongInFlight;
    private boolean closing;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PingWebSocketFrame ping) {
            if (pongInFlight || closing) {
                ping.release();
                return;
            }
            pongInFlight = true;
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content())).addListener(written -> pongInFlight = false);
        } else if (msg instanceof PongWebSocketFrame pong) {
            pong.release();
        } else if (msg instanceof CloseWebSocketFrame close) {
            int status = close.statusCode();
            close.release();
            if (closing) {
                return;
            }
            closing = true;
            // Echo the client's status, as RFC 6455 asks, then close the TCP connection (the server's part).
            CloseWebSocketFrame answer = status < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(status, "");
            ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.fireChannelRead(msg);
        }
    }
}
