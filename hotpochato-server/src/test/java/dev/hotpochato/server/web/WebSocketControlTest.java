package dev.hotpochato.server.web;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebSocketControlTest {

    @Test
    void aPingIsAnsweredWithAPongCarryingItsPayload() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketControl());
        ch.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("abc", StandardCharsets.UTF_8)));
        PongWebSocketFrame pong = ch.readOutbound();
        assertEquals("abc", pong.content().toString(StandardCharsets.UTF_8));
        pong.release();
        assertNull(ch.readInbound(), "control frames go no further");
    }

    @Test
    void pingsFromAClientThatDoesNotReadGetOnePongInFlightNotOneEach() {
        List<ChannelPromise> held = new ArrayList<>();
        List<Object> written = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                written.add(msg); // a socket that never drains: the pong stays unsent
                held.add(promise);
            }
        }, new WebSocketControl());
        for (int i = 0; i < 1000; i++) {
            ch.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("p" + i, StandardCharsets.UTF_8)));
        }
        assertEquals(1, written.size());
        held.get(0).setSuccess();
        ch.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("again", StandardCharsets.UTF_8)));
        assertEquals(2, written.size(), "once the pong is out, the next ping is answered");
        written.forEach(ReferenceCountUtil::release);
    }

    @Test
    void aPongIsDroppedAndDataGoesOn() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketControl());
        ch.writeInbound(new PongWebSocketFrame());
        ch.writeInbound(new TextWebSocketFrame("{}"));
        TextWebSocketFrame data = ch.readInbound();
        assertEquals("{}", data.text());
        data.release();
        assertNull(ch.readInbound());
        assertNull(ch.readOutbound());
    }

    @Test
    void aCloseIsEchoedAndEndsTheConnection() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketControl());
        ch.writeInbound(new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "tab closed"));
        CloseWebSocketFrame answer = ch.readOutbound();
        assertEquals(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), answer.statusCode());
        answer.release();
        assertFalse(ch.isOpen());
    }

    @Test
    void aCloseWithoutStatusIsAnsweredWithoutStatus() {
        EmbeddedChannel ch = new EmbeddedChannel(new WebSocketControl());
        ch.writeInbound(new CloseWebSocketFrame());
        CloseWebSocketFrame answer = ch.readOutbound();
        assertEquals(-1, answer.statusCode());
        answer.release();
        assertTrue(!ch.isOpen());
    }
}
