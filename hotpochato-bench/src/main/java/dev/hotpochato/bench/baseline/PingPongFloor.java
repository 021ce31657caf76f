package dev.hotpochato.bench.baseline;

import dev.hotpochato.bench.load.Cpu;
import dev.hotpochato.bench.load.LoadGroup;
import dev.hotpochato.bench.load.Run;
import dev.hotpochato.protocol.codec.FrameEncoder;
import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;

/**
 * The floor for hand-off latency: a plain Netty TCP ping-pong on the same loopback, with frames of
 * the same sizes (the client sends a frame as long as a {@code Say}; the server answers with one as
 * long as a {@code TurnGranted}). Same transport, same framing, same thread count as the server,
 * and no application logic: no server can hand a turn over faster than this round trip.
 */
public final class PingPongFloor implements AutoCloseable {

    /** Thread-name prefix of the floor server's event loops. */
    public static final String THREAD_PREFIX = "floor-";

    private final RawNetty netty;
    private final ByteBuf pong;

    private PingPongFloor(int workerThreads, int pongBytes) throws InterruptedException {
        this.pong = Unpooled.unreleasableBuffer(rawFrame(pongBytes));
        this.netty = new RawNetty(THREAD_PREFIX, workerThreads, new Answer(pong), ch -> { });
    }

    /** Starts the floor's server with {@code workerThreads} loops (0: Netty's default, two per core). */
    public static PingPongFloor start(int workerThreads, int pongBytes) throws InterruptedException {
        return new PingPongFloor(workerThreads, pongBytes);
    }

    public InetSocketAddress address() {
        return netty.address();
    }

    /** CPU used so far by the floor's server threads. */
    public long cpuNanos() {
        return Cpu.threadsNamed(THREAD_PREFIX);
    }

    /**
     * Connects one client on {@code load} that pings as soon as it has its pong, recording each round
     * trip in {@code run}, until the run stops. Returns the connection; the loop starts at once.
     */
    public Channel startClient(LoadGroup load, Run run, int pingBytes) throws InterruptedException {
        ByteBuf ping = Unpooled.unreleasableBuffer(rawFrame(pingBytes));
        Channel ch = netty.connect(load, () -> new Pinger(run, ping));
        ch.eventLoop().execute(() -> ch.pipeline().get(Pinger.class).ping(ch));
        return ch;
    }

    /** A frame of exactly {@code totalBytes}: a varint length prefix and a body of zeros. */
    static ByteBuf rawFrame(int totalBytes) {
        int body = totalBytes - 1;
        while (CodedOutputStream.computeUInt32SizeNoTag(body) + body > totalBytes) {
            body--;
        }
        return FrameEncoder.encodeSerialized(UnpooledByteBufAllocator.DEFAULT, new byte[body]);
    }

    @Override
    public void close() {
        netty.close();
        pong.unwrap().release();
    }

    /** The floor server's whole behaviour: every frame in is answered by one pong out. */
    @ChannelHandler.Sharable
    private static final class Answer extends ChannelInboundHandlerAdapter {
        private final ByteBuf pong;

        Answer(ByteBuf pong) {
            this.pong = pong;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.writeAndFlush(pong.duplicate(), ctx.voidPromise());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // The client resets its connection when a run ends: nothing to report.
            ctx.close();
        }
    }

    private static final class Pinger extends ChannelInboundHandlerAdapter {
        private final Run run;
        private final ByteBuf ping;
        private long sentAt;

        Pinger(Run run, ByteBuf ping) {
            this.run = run;
            this.ping = ping;
        }

        void ping(Channel ch) {
            if (run.stopping()) {
                return;
            }
            sentAt = System.nanoTime();
            ch.writeAndFlush(ping.duplicate(), ch.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            run.handoff(System.nanoTime() - sentAt);
            ping(ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ping.unwrap().release();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            run.error("ping-pong: " + cause);
            ctx.close();
        }
    }
}
