package dev.hotpochato.client;

import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.Welcome;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A server that speaks the framing but answers nothing except, if asked, {@code Hello}: for
 * requests whose reply never comes and connections that drop mid-request.
 */
final class FakeServer implements AutoCloseable {

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;
    /** Client frames received, in order. */
    final BlockingQueue<ClientFrame> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Channel> connections = new LinkedBlockingQueue<>();

    FakeServer(boolean welcome) throws InterruptedException {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ch.pipeline()
                                .addLast(new FrameDecoder(1 << 20))
                                .addLast(new ProtobufDecoder(ClientFrame.getDefaultInstance()))
                                .addLast(FrameEncoder.INSTANCE)
                                .addLast(new SimpleChannelInboundHandler<ClientFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ClientFrame frame) {
                                        received.add(frame);
                                        if (welcome && frame.hasHello()) {
                                            ctx.writeAndFlush(ServerFrame.newBuilder()
                                                    .setRequestId(frame.getRequestId())
                                                    .setWelcome(Welcome.newBuilder()
                                                            .setDisplayName(frame.getHello().getDisplayName())
                                                            .setSessionId("fake"))
                                                    .build());
                                        }
                                    }
                                });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    /** A Welcome of session "s" for "me", with {@code token} to resume within 30 s. */
    static ServerFrame welcome(long requestId, boolean resumed, String token) {
        return ServerFrame.newBuilder().setRequestId(requestId).setWelcome(Welcome.newBuilder()
                .setSessionId("s").setDisplayName("me").setResumeToken(token).setResumeGraceMs(30_000)
                .setResumed(resumed)).build();
    }

    /** A session of "me" and the connection that welcomed it. */
    record Welcomed(Session session, Channel connection) {
    }

    /**
     * Connects a session of "me" that reconnects at once (10 ms, at most 100 ms between tries) and
     * welcomes it with resume token "token-1", for tests of what happens when its connection goes.
     */
    Welcomed welcomeResumable() throws Exception {
        ClientOptions options = ClientOptions.builder("me").host("127.0.0.1").port(port())
                .reconnectDelay(java.time.Duration.ofMillis(10)).maxReconnectDelay(java.time.Duration.ofMillis(100)).build();
        java.util.concurrent.CompletableFuture<Session> connecting = HotPochatoClient.connect(options);
        ClientFrame hello = nextFrame();
        Channel first = connections.poll(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        first.writeAndFlush(welcome(hello.getRequestId(), false, "token-1"));
        return new Welcomed(Futures.await(connecting), first);
    }

    int port() {
        return ((java.net.InetSocketAddress) server.localAddress()).getPort();
    }

    /** The next frame a client sent, waiting for it. */
    ClientFrame nextFrame() throws InterruptedException {
        ClientFrame f = received.poll(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (f == null) {
            throw new AssertionError("the client sent nothing");
        }
        return f;
    }

    /** Drops the first connection, as a crash or a network failure would. */
    void dropConnection() throws InterruptedException {
        Channel ch = connections.poll(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (ch == null) {
            throw new AssertionError("no client connected");
        }
        ch.close().sync();
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
