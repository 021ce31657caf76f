package dev.hotpochato.server.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The gate's deadlines and bounds, with time driven by the channel's ticker. */
class WebGateTest {

    private static final StaticFiles FILES = StaticFiles.load();

    private final List<Subprotocol> upgrades = new ArrayList<>();

    private WebGate gate() {
        return new WebGate(new WebGate.Settings(FILES, new OriginPolicy(List.of()), false,
                WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(4096).build(), false, 10_000,
                (ctx, subprotocol) -> upgrades.add(subprotocol)));
    }

    private static ByteBuf bytes(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static String responses(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            if (o instanceof ByteBuf b) {
                out.append(b.toString(StandardCharsets.ISO_8859_1));
            }
            ReferenceCountUtil.release(o);
        }
        return out.toString();
    }

    @Test
    void aRequestTrickledInIsCutTenSecondsAfterConnectingHoweverSteadyTheTrickle() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1024), gate());
        String request = "GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + "z".repeat(100);
        for (int i = 0; i < 9; i++) {
            ch.writeInbound(bytes(request.substring(i * 10, i * 10 + 10))); // ten bytes a second
            ch.advanceTimeBy(1, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            assertTrue(ch.isOpen(), "still within its ten seconds at " + (i + 1) + " s");
        }
        ch.writeInbound(bytes("zzz"));
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen(), "the bytes that kept arriving did not move the deadline");
        assertEquals("", responses(ch));
    }

    @Test
    void theDeadlineStartsAgainOnlyOnceAResponseHasBeenSent() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1024), gate());
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.writeInbound(bytes("GET /style.css HTTP/1.1\r\nHost: x\r\n\r\n"));
        assertTrue(responses(ch).startsWith("HTTP/1.1 200 OK"));
        ch.advanceTimeBy(9, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(ch.isOpen(), "a keep-alive connection gets ten seconds for its next request");
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
    }

    @Test
    void aClientPipeliningRequestsWithoutReadingTheAnswersIsCutOff() {
        StringBuilder unsent = new StringBuilder();
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                // A socket that never drains: the promise is never completed.
                unsent.append(((ByteBuf) msg).toString(StandardCharsets.ISO_8859_1));
                ReferenceCountUtil.release(msg);
            }
        }, new HttpServerCodec(), new HttpObjectAggregator(1024), gate());
        ch.writeInbound(bytes("GET /app.js HTTP/1.1\r\nHost: x\r\n\r\n".repeat(1000)));
        assertFalse(ch.config().isAutoRead(), "nothing more is read while an answer is unsent");
        assertFalse(ch.isOpen());
        assertEquals(WebGate.MAX_UNANSWERED, unsent.toString().split("HTTP/1.1 200 OK", -1).length - 1,
                "at most this many answers queued");
    }

    @Test
    void anUpgradeThatPassesTheChecksHandsTheConnectionOverWithTheChosenSubprotocol() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1024), gate());
        ch.writeInbound(bytes("GET /ws HTTP/1.1\r\nHost: localhost:7480\r\nOrigin: http://localhost:7480\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: hotpochato.v1.json\r\n\r\n"));
        String response = responses(ch);
        assertTrue(response.startsWith("HTTP/1.1 101 Switching Protocols"), response);
        assertTrue(response.toLowerCase().contains("sec-websocket-protocol: hotpochato.v1.json"), response);
        assertEquals(List.of(Subprotocol.JSON), upgrades);
    }

    @Test
    void aRefusedUpgradeHandsNothingOver() {
        EmbeddedChannel ch = new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(1024), gate());
        ch.writeInbound(bytes("GET /ws HTTP/1.1\r\nHost: localhost:7480\r\nOrigin: http://localhost:7481\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: hotpochato.v1.json\r\n\r\n"));
        assertTrue(responses(ch).startsWith("HTTP/1.1 403 Forbidden"));
        assertTrue(upgrades.isEmpty());
        assertFalse(ch.isOpen());
    }

    @Test
    void pathsAreMatchedExactlyWithoutQueryOrFragment() {
        assertEquals("/app.js", WebGate.path("/app.js?v=2#top"));
        assertEquals("/", WebGate.path("/#room"));
        assertEquals(null, WebGate.path("app.js"));
        assertEquals(null, WebGate.path("http://host/app.js"));
    }
}
