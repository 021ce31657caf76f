package dev.hotpochato.bench.baseline;

import dev.hotpochato.bench.load.LoadGroup;
import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.net.Transport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What the raw Netty floors share: a server on the same transport and thread count as
 * HotPochato's, and clients on the load generator's loops, each with the same length-prefix framing
 * and nothing else. The floors add only their one handler.
 */
final class RawNetty implements AutoCloseable {

    private static final int MAX_FRAME = 1 << 16;

    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final Channel serverChannel;

    /**
     * Starts a server whose every connection runs {@code handler} behind the frame decoder, and is
     * then given to {@code accepted} (on its event loop).
     *
     * @param threadPrefix names the server's threads, so that their CPU can be told apart
     */
    RawNetty(String threadPrefix, int workerThreads, ChannelHandler handler, Consumer<Channel> accepted)
            throws InterruptedException {
        Transport transport = Transport.best();
        this.acceptor = transport.newGroup(1, threadPrefix + "accept");
        this.workers = transport.newGroup(workerThreads, threadPrefix + "io");
        this.serverChannel = new ServerBootstrap()
                .group(acceptor, workers)
                .channel(transport.serverChannelType())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("frameDecoder", new FrameDecoder(MAX_FRAME));
                        ch.pipeline().addLast("floor", handler);
                        accepted.accept(ch);
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Connects one client on {@code load} whose connection runs {@code handler} behind the frame decoder. */
    Channel connect(LoadGroup load, Supplier<ChannelHandler> handler) throws InterruptedException {
        return new Bootstrap()
                .group(load.group())
                .channel(load.transport().channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("frameDecoder", new FrameDecoder(MAX_FRAME));
                        ch.pipeline().addLast("client", handler.get());
                    }
                })
                .connect(address()).sync().channel();
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(3, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
