package dev.hotpochato.server.net;

import dev.hotpochato.protocol.codec.FrameTooLargeException;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.net.NetFixture.Conn;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Whatever goes wrong on a connection: one typed fatal error, then the close; the session hears the code's rule. */
class ErrorHandlerTest {

    private final EmbeddedChannel channel = new EmbeddedChannel(ErrorHandler.INSTANCE);
    private NetFixture fixture;

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aFailureBecomesOneFatalErrorAndAClose() {
        channel.pipeline().fireExceptionCaught(new ProtocolException(Error.Code.RATE_LIMITED, "too fast", 9));
        ServerFrame frame = channel.readOutbound();
        assertEquals(9, frame.getRequestId());
        assertEquals(Error.Code.RATE_LIMITED, frame.getError().getCode());
        assertEquals("too fast", frame.getError().getMessage());
        assertTrue(frame.getError().getFatal());
        assertEquals(Error.Code.RATE_LIMITED, channel.attr(ErrorHandler.FATAL).get());
        assertFalse(channel.isActive());
    }

    @Test
    void onlyTheFirstFailureIsToldAndLaterInputIsDropped() {
        EmbeddedChannel open = new EmbeddedChannel(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void close(io.netty.channel.ChannelHandlerContext ctx, io.netty.channel.ChannelPromise promise) {
                // stays open, as a socket waiting for its peer does
            }
        }, ErrorHandler.INSTANCE);
        open.pipeline().fireExceptionCaught(new FrameTooLargeException(1 << 20, 65536));
        open.pipeline().fireExceptionCaught(new ProtocolException(Error.Code.PROTOCOL_VIOLATION, "and then", 1));
        assertEquals(Error.Code.FRAME_TOO_LARGE, ((ServerFrame) open.readOutbound()).getError().getCode());
        assertNull(open.readOutbound());
        ByteBuf late = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        open.writeInbound(late);
        assertEquals(0, late.refCnt(), "read and dropped");
        assertNull(open.readInbound());
        open.finishAndReleaseAll();
    }

    @Test
    void anUnexpectedFailureIsInternalAndAGoneClientIsJustClosed() {
        channel.pipeline().fireExceptionCaught(new IllegalStateException("bug"));
        ServerFrame frame = channel.readOutbound();
        assertEquals(Error.Code.INTERNAL, frame.getError().getCode());
        assertEquals("internal error: IllegalStateException", frame.getError().getMessage());

        EmbeddedChannel reset = new EmbeddedChannel(ErrorHandler.INSTANCE);
        reset.pipeline().fireExceptionCaught(new IOException("Connection reset by peer"));
        assertNull(reset.readOutbound());
        assertFalse(reset.isActive());
    }

    @Test
    void aKickEndsTheSessionAtOnceAndATimeoutLeavesItResumable() {
        fixture = new NetFixture(ServerOptions.builder().resumeGrace(Duration.ofSeconds(30)));
        Conn kicked = fixture.connect("10.0.0.1");
        kicked.send(NetFixture.hello(1, "rex"));
        String kickedToken = kicked.expect(BodyCase.WELCOME).getWelcome().getResumeToken();
        Conn idle = fixture.connect("10.0.0.2");
        idle.send(NetFixture.hello(1, "ida"));
        String idleToken = idle.expect(BodyCase.WELCOME).getWelcome().getResumeToken();

        kicked.pipeline().fireExceptionCaught(new ProtocolException(Error.Code.RATE_LIMITED, "too fast", 0));
        idle.pipeline().fireExceptionCaught(new ProtocolException(Error.Code.IDLE_TIMEOUT, "silent", 0));
        fixture.settle();
        assertNull(fixture.context.tokens().find(kickedToken), "kicked: over, not resumable");
        assertNotNull(fixture.context.tokens().find(idleToken), "timed out: away, resumable");
    }
}
