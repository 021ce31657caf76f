package dev.hotpochato.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy on 127.0.0.1 in front of a server, to break the network on purpose the ways users
 * meet: {@link #cut()} closes every connection and refuses new ones (accepts, then closes) until
 * {@link #restore()}, a network that drops; {@link #freeze()} silently stops carrying bytes on the
 * connections open now while new ones work, a laptop that slept (its old connections are dead but
 * nobody said so); {@link #freezeFirst()} does that to the first connection alone, one of several
 * that a client opens (a Redis client's busy connection beside its idle ones); {@link #retarget} sends new connections to another address, a server restarted
 * elsewhere. Shared by the client's, the terminal's and the browser's tests.
 */
public final class CuttableProxy implements AutoCloseable {

    /** Set on both channels of a frozen pair: bytes are read and dropped, and a close is not passed on. */
    private static final AttributeKey<Boolean> FROZEN = AttributeKey.valueOf(CuttableProxy.class, "frozen");
    /** On an accepted channel: the channel to the target it is relayed to. */
    private static final AttributeKey<Channel> RELAYED_TO = AttributeKey.valueOf(CuttableProxy.class, "relayedTo");

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final ChannelGroup frozen = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final Channel listener;
    private volatile boolean refusing;
    private volatile InetSocketAddress target;
    /** The first connection accepted, for {@link #freezeFirst()}. */
    private volatile Channel first;

    public CuttableProxy(InetSocketAddress firstTarget) throws InterruptedException {
        this.target = firstTarget;
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel inbound) {
                        if (refusing) {
                            inbound.close();
                            return;
                        }
                        connections.add(inbound);
                        if (first == null) {
                            first = inbound;
                        }
                        new Bootstrap().group(inbound.eventLoop()).channel(NioSocketChannel.class)
                                .handler(new Relay(inbound))
                                .connect(CuttableProxy.this.target).addListener((ChannelFutureListener) f -> {
                                    if (!f.isSuccess()) {
                                        inbound.close();
                                        return;
                                    }
                                    connections.add(f.channel());
                                    inbound.attr(RELAYED_TO).set(f.channel());
                                    inbound.pipeline().addLast(new Relay(f.channel()));
                                    inbound.read();
                                });
                    }
                })
                .bind("127.0.0.1", 0).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /** Cuts every connection now, and refuses new ones until {@link #restore()}. */
    public void cut() {
        refusing = true;
        connections.close().syncUninterruptibly();
    }

    /** Accepts connections again. */
    public void restore() {
        refusing = false;
    }

    /** The connections open now stop carrying bytes, without closing; new connections work. */
    public void freeze() {
        for (Channel c : connections) {
            c.attr(FROZEN).set(true);
            frozen.add(c);
        }
        connections.removeAll(frozen);
    }

    /** The first connection this proxy accepted stops carrying bytes, without closing; the others work on. */
    public void freezeFirst() {
        Channel inbound = first;
        Channel outbound = inbound == null ? null : inbound.attr(RELAYED_TO).get();
        if (outbound == null) {
            throw new IllegalStateException("no connection was relayed yet");
        }
        for (Channel c : new Channel[] {inbound, outbound}) {
            c.attr(FROZEN).set(true);
            frozen.add(c);
            connections.remove(c);
        }
    }

    /** New connections go to {@code newTarget} from now on (a server restarted elsewhere). */
    public void retarget(InetSocketAddress newTarget) {
        target = newTarget;
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        connections.close().syncUninterruptibly();
        frozen.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static boolean isFrozen(Channel c) {
        return Boolean.TRUE.equals(c.attr(FROZEN).get());
    }

    /** Copies what one side sends to the other, reading on only once it is written. */
    private static final class Relay extends ChannelInboundHandlerAdapter {
        private final Channel to;

        Relay(Channel to) {
            this.to = to;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.read();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (isFrozen(ctx.channel())) {
                ReferenceCountUtil.release(msg);
                ctx.read();
                return;
            }
            to.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
                if (f.isSuccess()) {
                    ctx.channel().read();
                } else {
                    ctx.close();
                }
            });
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!isFrozen(ctx.channel())) {
                to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
