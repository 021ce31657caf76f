package dev.hotpochato.bench.jmh;

import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.TimeUnit;

/** Encoding a {@code Said} frame once, and decoding one through the server's inbound codec pipeline. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {

    private ServerFrame said;
    private ByteBuf encoded;
    private EmbeddedChannel decoder;

    @Setup
    public void setUp() {
        said = Fixtures.said("fanout-1000");
        encoded = FrameEncoder.encode(PooledByteBufAllocator.DEFAULT, said);
        decoder = new EmbeddedChannel(new FrameDecoder(1 << 16), new ProtobufDecoder(ServerFrame.getDefaultInstance()));
    }

    @TearDown
    public void tearDown() {
        encoded.release();
        decoder.finishAndReleaseAll();
    }

    /** The frame into one exactly sized pooled buffer, as a broadcast does once per frame. */
    @Benchmark
    public int encodeFrame() {
        ByteBuf buf = FrameEncoder.encode(PooledByteBufAllocator.DEFAULT, said);
        int size = buf.readableBytes();
        buf.release();
        return size;
    }

    /** Length prefix and protobuf body back into a message, as the server's pipeline reads it. */
    @Benchmark
    public Object decodeFrame() {
        decoder.writeInbound(encoded.retainedDuplicate());
        return decoder.readInbound();
    }
}
