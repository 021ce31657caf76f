package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every frame queued for a client counts against its cap, errors too; a client over it, or stalled
 * above the high water mark for the timeout, is cut off, and only its last error may still go out,
 * if it fits. Unflushed writes stand for unread output; time is the loop's mock ticker.
 */
class SlowConsumerGuardTest {

    private static final int LOW = 512;
    private static final int HIGH = 1024;
    private static final int CAP = 4096;

    private final MockTicker ticker = Ticker.newMockTicker();
    private final List<Throwable> raised = new ArrayList<>();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker).register(false)
            .handlers(new SlowConsumerGuard(10_000, CAP), new ChannelInboundHandlerAdapter() {
                @Override
                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                    raised.add(cause);
                }
            }).build();

    SlowConsumerGuardTest() throws Exception {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LOW, HIGH));
        channel.register();
    }

    @AfterEach
    void release() {
        channel.finishAndReleaseAll();
    }

    private static ServerFrame refusal(int i) {
        return Frames.error(i, Error.Code.UNKNOWN_ROOM, "no room named " + "x".repeat(60), "x".repeat(60));
    }

    /** Dropped by the guard: an unflushed write that was let through is simply not done yet. */
    private static boolean dropped(ChannelFuture write) {
        return write.isDone() && write.cause() instanceof SlowConsumerGuard.SlowConsumerException;
    }

    private List<Error.Code> raisedCodes() {
        return raised.stream().filter(t -> t instanceof ProtocolException)
                .map(t -> ((ProtocolException) t).code()).toList();
    }

    @Test
    void refusalsCountAgainstTheCapLikeAnyFrame() {
        ChannelFuture last = null;
        int written = 0;
        while (written < 1000) {
            last = channel.write(refusal(written));
            if (dropped(last)) {
                break;
            }
            written++;
            assertTrue(SlowConsumerGuard.pendingBytes(channel) <= CAP, "never above the cap");
        }
        assertTrue(written > 10 && written < 1000, "cut off after " + written + " refusals");
        assertEquals(List.of(Error.Code.SLOW_CONSUMER), raisedCodes());
        assertTrue(dropped(channel.write(refusal(0))), "nothing more is queued");
    }

    @Test
    void theLastFatalErrorGoesOutOnlyIfItFits() {
        assertFalse(dropped(channel.write(Unpooled.wrappedBuffer(new byte[CAP - 20]))));
        ChannelFuture bye = channel.write(Frames.fatal(0, Error.Code.RATE_LIMITED, "too fast"));
        assertTrue(dropped(bye), "even the last word does not go beyond the cap");
        assertEquals(List.of(Error.Code.SLOW_CONSUMER), raisedCodes());

        // Stalled above the high water mark, but under the cap: the error fits, and goes.
        EmbeddedChannel stalled = EmbeddedChannel.builder().ticker(ticker).handlers(new SlowConsumerGuard(10_000, CAP),
                new ChannelInboundHandlerAdapter() {
                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        raised.add(cause);
                    }
                }).build();
        stalled.config().setWriteBufferWaterMark(new WriteBufferWaterMark(LOW, HIGH));
        stalled.write(Unpooled.wrappedBuffer(new byte[HIGH + 1]));
        assertFalse(stalled.isWritable());
        ticker.advance(10, TimeUnit.SECONDS);
        stalled.runScheduledPendingTasks();
        assertEquals(List.of(Error.Code.SLOW_CONSUMER, Error.Code.SLOW_CONSUMER), raisedCodes());
        assertFalse(dropped(stalled.write(Frames.fatal(0, Error.Code.SLOW_CONSUMER, "reading too slowly"))));
        assertTrue(dropped(stalled.write(Frames.fatal(0, Error.Code.INTERNAL, "a second last word"))));
        stalled.finishAndReleaseAll();
    }

    @Test
    void aStallShorterThanTheTimeoutIsForgiven() {
        channel.write(Unpooled.wrappedBuffer(new byte[HIGH + 1]));
        assertFalse(channel.isWritable());
        ticker.advance(9_999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        channel.flush(); // the client reads it all
        ReferenceCountUtil.release(channel.readOutbound());
        assertTrue(channel.isWritable());
        ticker.advance(1, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();
        assertEquals(List.of(), raisedCodes());
        assertFalse(dropped(channel.write(refusal(1))));
    }

    @Test
    void whatIsDroppedIsReleased() {
        ByteBuf big = Unpooled.wrappedBuffer(new byte[CAP + 1]);
        assertTrue(dropped(channel.write(big)));
        assertEquals(0, big.refCnt());
        ByteBuf small = Unpooled.wrappedBuffer(new byte[1]);
        assertTrue(dropped(channel.write(small)), "tripped: nothing more");
        assertEquals(0, small.refCnt());
    }
}
