package dev.hotpochato.server.web;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

/**
 * Joins a message sent in fragments into one, up to the frame limit; a message that grows beyond
 * it is refused as {@code FRAME_TOO_LARGE}, as soon as the fragment that would cross it arrives.
 */
final class WebSocketMessageAggregator extends WebSocketFrameAggregator {

    private final int maxFrameBytes;

    WebSocketMessageAggregator(int maxFrameBytes) {
        super(maxFrameBytes);
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, WebSocketFrame oversized) {
        ctx.fireExceptionCaught(WebSocketFrameCodec.tooLarge(maxFrameBytes));
    }
}
