package dev.hotpochato.server.web;

import com.google.protobuf.util.JsonFormat;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.codec.FrameTooLargeException;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.Said;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.TurnGranted;
import dev.hotpochato.server.room.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One message per frame each way, fatal errors followed by a close, and the TCP framing's exceptions for WebSocket faults. */
class WebSocketFrameCodecTest {

    private static final ServerFrame SAID = ServerFrame.newBuilder().setSaid(Said.newBuilder()
            .setRoom("tea").setSeq(3).setSpeaker("alice").setText("hi <b>bob</b> 🥔").setTimeMs(1_735_689_600_000L)).build();
    private static final ServerFrame GRANTED = ServerFrame.newBuilder().setTurnGranted(TurnGranted.newBuilder()
            .setRoom("tea").setSeq(4).setHolder("bob").setTurn(2).setDurationMs(30_000)).build();

    @Test
    void binaryCodecSendsABroadcastEncodedOnceAsItsBodyWithoutTheLengthPrefixOrACopy() {
        EmbeddedChannel ch = new EmbeddedChannel(new BinaryFrameCodec(4096));
        ByteBuf encoded = FrameEncoder.encode(UnpooledByteBufAllocator.DEFAULT, SAID);
        ch.writeOutbound(encoded.retainedDuplicate());
        BinaryWebSocketFrame message = ch.readOutbound();
        try {
            assertArrayEquals(SAID.toByteArray(), ByteBufUtil.getBytes(message.content()));
            assertEquals(encoded.memoryAddress(), message.content().memoryAddress(), "the same memory, not a copy");
            assertEquals(1, message.content().readerIndex(), "read from past the one-byte length prefix");
        } finally {
            message.release();
            encoded.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void binaryCodecEncodesAServerFrameAndDecodesAClientFrame() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new BinaryFrameCodec(4096));
        ch.writeOutbound(GRANTED);
        BinaryWebSocketFrame out = ch.readOutbound();
        assertEquals(GRANTED, ServerFrame.parseFrom(ByteBufUtil.getBytes(out.content())));
        out.release();
        ClientFrame ping = ClientFrame.newBuilder().setRequestId(7).setPing(Ping.newBuilder().setNonce(9)).build();
        ch.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(ping.toByteArray())));
        assertEquals(ping, ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void jsonCodecWritesProtobufsCanonicalJson() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameCodec(4096));
        ch.writeOutbound(SAID);
        TextWebSocketFrame out = ch.readOutbound();
        assertEquals(JsonFormat.printer().omittingInsignificantWhitespace().print(SAID), out.text());
        assertTrue(out.text().contains("\"seq\":\"3\""), "64-bit numbers are strings: " + out.text());
        out.release();
        ch.writeInbound(new TextWebSocketFrame("{\"requestId\":\"7\",\"ping\":{\"nonce\":9}}"));
        assertEquals(ClientFrame.newBuilder().setRequestId(7).setPing(Ping.newBuilder().setNonce(9)).build(),
                ch.readInbound());
        assertFalse(ch.finish());
    }

    @Test
    void jsonCodecConvertsABroadcastOnceForAllTheMembersOfAThread() {
        EmbeddedChannel alice = new EmbeddedChannel(new JsonFrameCodec(4096));
        EmbeddedChannel bob = new EmbeddedChannel(new JsonFrameCodec(4096));
        ByteBuf said = FrameEncoder.encode(UnpooledByteBufAllocator.DEFAULT, SAID);
        ByteBuf granted = FrameEncoder.encode(UnpooledByteBufAllocator.DEFAULT, GRANTED);
        List<TextWebSocketFrame> out = new ArrayList<>();
        for (ByteBuf broadcast : List.of(said, granted, said)) {
            for (EmbeddedChannel member : List.of(alice, bob)) {
                member.writeOutbound(broadcast.retainedDuplicate());
                out.add(member.readOutbound());
            }
        }
        assertSame(out.get(0).content().array(), out.get(1).content().array(), "one conversion for both members");
        assertEquals(out.get(0).text(), out.get(4).text());
        assertTrue(out.get(2).text().contains("turnGranted"), "a new broadcast is converted anew: " + out.get(2).text());
        assertTrue(out.get(4).text().contains("\"said\""), out.get(4).text());
        out.forEach(TextWebSocketFrame::release);
        said.release();
        granted.release();
    }

    @Test
    void aFatalErrorIsFollowedByACloseWith4000PlusItsCodeAndNothingIsWrittenAfter() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new BinaryFrameCodec(4096));
        ServerFrame fatal = Frames.fatal(0, Error.Code.IDLE_TIMEOUT, "nothing received for 30000 ms");
        assertTrue(ch.writeAndFlush(fatal).isSuccess());
        BinaryWebSocketFrame error = ch.readOutbound();
        assertEquals(fatal, ServerFrame.parseFrom(ByteBufUtil.getBytes(error.content())));
        error.release();
        CloseWebSocketFrame close = ch.readOutbound();
        assertEquals(4024, close.statusCode());
        assertEquals("IDLE_TIMEOUT", close.reasonText());
        close.release();

        ByteBuf late = FrameEncoder.encode(UnpooledByteBufAllocator.DEFAULT, SAID);
        assertFalse(ch.writeAndFlush(late).isSuccess(), "RFC 6455: nothing after the close frame");
        assertEquals(0, late.refCnt(), "and what was dropped is released");
        assertNull(ch.readOutbound());
        assertFalse(ch.finish());
    }

    @Test
    void aNonFatalErrorIsJustAMessage() {
        EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameCodec(4096));
        ch.writeOutbound(Frames.error(3, Error.Code.NOT_YOUR_TURN, "it is alice's turn in tea", "tea"));
        TextWebSocketFrame error = ch.readOutbound();
        assertTrue(error.text().contains("NOT_YOUR_TURN"));
        error.release();
        assertNull(ch.readOutbound());
    }

    @Test
    void aMessageOverTheLimitIsRaisedAsFrameTooLargeFromTheDecoderOrTheAggregator() {
        for (Throwable raised : List.of(
                new CorruptedWebSocketFrameException(WebSocketCloseStatus.MESSAGE_TOO_BIG, "Max frame length of 4096 has been exceeded."),
                new TooLongFrameException("content length exceeded 4096 bytes."))) {
            List<Throwable> seen = new ArrayList<>();
            EmbeddedChannel ch = new EmbeddedChannel(new JsonFrameCodec(4096), new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    seen.add(cause);
                }
            });
            ch.pipeline().fireExceptionCaught(raised);
            FrameTooLargeException tooLarge = assertInstanceOf(FrameTooLargeException.class, seen.get(0));
            assertEquals(4096, tooLarge.maxFrameBytes());
            assertEquals("WebSocket message exceeds the limit of 4096 bytes", tooLarge.getMessage());
        }
    }

    @Test
    void aMessageOfTheWrongKindOrNotAFrameIsAProtocolFault() {
        EmbeddedChannel proto = new EmbeddedChannel(new BinaryFrameCodec(4096));
        assertThrows(CorruptedFrameException.class, () -> proto.writeInbound(new TextWebSocketFrame("{}")));
        EmbeddedChannel json = new EmbeddedChannel(new JsonFrameCodec(4096));
        assertThrows(CorruptedFrameException.class, () -> json.writeInbound(new BinaryWebSocketFrame(Unpooled.buffer(1).writeByte(0))));
        EmbeddedChannel garbage = new EmbeddedChannel(new JsonFrameCodec(4096));
        CorruptedFrameException e = assertThrows(CorruptedFrameException.class,
                () -> garbage.writeInbound(new TextWebSocketFrame("x".repeat(1000))));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        CorruptedFrameException unclosed = assertThrows(CorruptedFrameException.class,
                () -> new EmbeddedChannel(new JsonFrameCodec(4096)).writeInbound(new TextWebSocketFrame("{\"say\": {")));
        assertFalse(unclosed.getMessage().contains("com.google"), () -> "no library internals: " + unclosed.getMessage());
    }

    @Test
    void aLoneSurrogateEscapeIsRefusedAsBinaryClientsInvalidUtf8IsNotSentOnAsAQuestionMark() {
        CorruptedFrameException lone = assertThrows(CorruptedFrameException.class,
                () -> new EmbeddedChannel(new JsonFrameCodec(4096)).writeInbound(
                        new TextWebSocketFrame("{\"say\": {\"room\": \"tea\", \"text\": \"\\ud800 lone\"}}")));
        assertTrue(lone.getMessage().contains("unpaired surrogate"), lone.getMessage());
        EmbeddedChannel paired = new EmbeddedChannel(new JsonFrameCodec(4096));
        paired.writeInbound(new TextWebSocketFrame("{\"say\": {\"room\": \"tea\", \"text\": \"\\ud83d\\ude00\"}}"));
        ClientFrame frame = paired.readInbound();
        assertEquals("\ud83d\ude00", frame.getSay().getText(), "a pair is one code point, kept");
    }
}
