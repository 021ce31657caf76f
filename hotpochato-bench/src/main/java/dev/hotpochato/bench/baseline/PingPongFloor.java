package dev.hotpochato.bench.baseline;

import dev.hotpochato.bench.load.Cpu;
import dev.hotpochato.bench.load.LoadGroup;
import dev.hotpochato.bench.load.Run;
import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.net.Transport;
import com.google.protobuf.CodedOutputStream;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The floor for hand-off latency: a plain Netty TCP ping-pong on the same loopback, with frames of
 * the same sizes (the client sends a frame as long as a {@code Say}; the server answers with one as
 * long as a {@code TurnGranted}). Same transport, same framing, same thread count as the server,
 * and no application logic: no server can hand a turn over faster than this round trip.
 */
public final class PingPongFloor implements AutoCloseable {

    /** Thread-name prefix of the floor server's event loops. */
    public static final String THREAD_PREFIX = "floor-";

    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel serverChannel;
    private final ByteBuf pong;

    private PingPongFloor(int workerThreads, int pongBytes) throws InterruptedException {
        Transport transport = Transport.best();
        this.acceptor = transport.newGroup(1, THREAD_PREFIX + "accept");
        this.workers = transport.newGroup(workerThreads, THREAD_PREFIX + "io");
        this.pong = Unpooled.unreleasableBuffer(rawFrame(pongBytes));
        ByteBuf reply = pong;
        this.serverChannel = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(transport.serverChannelType())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("frameDecoder", new FrameDecoder(1 << 16));
                        ch.pipeline().addLast("echo", new Answer(reply));
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** Starts the floor's server with {@code workerThreads} loops (0: Netty's default, two per core). */
    public static PingPongFloor start(int workerThreads, int pongBytes) throws InterruptedException {
        return new PingPongFloor(workerThreads, pongBytes);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
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
        Channel ch = new Bootstrap()
                .group(load.group())
                .channel(load.transport().channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("frameDecoder", new FrameDecoder(1 << 16));
                        ch.pipeline().addLast("pinger", new Pinger(run, ping));
                    }
                })
                .connect(address()).sync().channel();
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
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(3, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(3, TimeUnit.SECONDS);
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
