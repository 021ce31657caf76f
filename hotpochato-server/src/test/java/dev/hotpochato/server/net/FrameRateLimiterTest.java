package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.Error;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The token bucket, with time taken from the loop's ticker and moved by the test. */
class FrameRateLimiterTest {

    private final MockTicker ticker = Ticker.newMockTicker();
    private final EmbeddedChannel channel = EmbeddedChannel.builder().ticker(ticker)
            .handlers(new FrameRateLimiter(10, 20)).build();

    private static ByteBuf frame() {
        return Unpooled.wrappedBuffer(new byte[] {1});
    }

    private void passes(int frames) {
        for (int i = 0; i < frames; i++) {
            channel.writeInbound(frame());
            ByteBuf through = channel.readInbound();
            through.release();
        }
    }

    private void isCutOff() {
        ByteBuf extra = frame();
        ProtocolException e = assertThrows(ProtocolException.class, () -> channel.writeInbound(extra));
        assertEquals(Error.Code.RATE_LIMITED, e.code());
        assertEquals(0, extra.refCnt(), "the frame over the limit is dropped");
    }

    @Test
    void aBurstPassesAndOneFrameMoreIsCutOff() {
        passes(20);
        isCutOff();
        channel.finishAndReleaseAll();
    }

    @Test
    void theBucketRefillsAtTheRateAndNeverAboveTheBurst() {
        passes(20);
        ticker.advance(500, TimeUnit.MILLISECONDS); // five frames' worth
        passes(5);
        isCutOff();

        EmbeddedChannel rested = EmbeddedChannel.builder().ticker(ticker).handlers(new FrameRateLimiter(10, 20)).build();
        ticker.advance(1, TimeUnit.HOURS); // a long silence does not save up more than the burst
        for (int i = 0; i < 20; i++) {
            rested.writeInbound(frame());
            ((ByteBuf) rested.readInbound()).release();
        }
        assertThrows(ProtocolException.class, () -> rested.writeInbound(frame()));
        channel.finishAndReleaseAll();
        rested.finishAndReleaseAll();
    }
}
