package dev.hotpochato.server.web;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class WebSocketHeartbeatTest {

    @Test
    void aClientSilentForAHeartbeatIntervalIsPingedAndAnythingItSendsPutsThePingOff() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketHeartbeat(10_000));
        ch.advanceTimeBy(9_000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertNull(ch.readOutbound());
        ch.writeInbound(new TextWebSocketFrame("{}")); // the client speaks: 10 s more
        ((TextWebSocketFrame) ch.readInbound()).release();
        ch.advanceTimeBy(9_000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertNull(ch.readOutbound());
        ch.advanceTimeBy(1_001, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertInstanceOf(PingWebSocketFrame.class, ch.readOutbound()).release();
        ch.advanceTimeBy(10_001, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertInstanceOf(PingWebSocketFrame.class, ch.readOutbound(), "and again each interval it stays silent").release();
    }

    @Test
    void theIdleEventIsNotPassedOnTheSessionsOwnIdleTimeoutDecides() {
        java.util.List<Object> events = new java.util.ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketHeartbeat(1_000),
                new io.netty.channel.ChannelInboundHandlerAdapter() {
                    @Override
                    public void userEventTriggered(io.netty.channel.ChannelHandlerContext ctx, Object evt) {
                        events.add(evt);
                    }
                });
        ch.advanceTimeBy(5_000, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        org.junit.jupiter.api.Assertions.assertTrue(events.isEmpty(), events::toString);
        Object ping;
        while ((ping = ch.readOutbound()) != null) {
            ((PingWebSocketFrame) ping).release();
        }
    }
}
