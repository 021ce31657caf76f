package dev.hotpochato.server.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.timeout.IdleStateHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The admin listener: HTTP/1.1 for operators and their tools, on its own event loop so that a
 * scrape never runs on a loop that serves clients. Routes are in {@link AdminHandler}.
 */
public final class AdminServer implements AutoCloseable {

    /** An admin connection silent this long is closed: scrapers reconnect, idle sockets cost nothing then. */
    static final int IDLE_SECONDS = 60;
    /** Requests carry no body worth more than this (POST /reload has none). */
    static final int MAX_CONTENT_BYTES = 4096;

    private final Channel channel;

    private AdminServer(Channel channel) {
        this.channel = channel;
    }

    /**
     * Binds {@code bindAddress:port} on {@code group} (one loop is plenty) and serves {@code registry},
     * {@code health} and {@code reload} (which returns what it reloaded, or throws saying what failed).
     */
    public static AdminServer start(String bindAddress, int port, EventLoopGroup group,
                                    Class<? extends ServerChannel> channelType, PrometheusMeterRegistry registry,
                                    Health health, Callable<String> reload) throws InterruptedException {
        AdminHandler handler = new AdminHandler(registry, health, reload);
        Channel channel = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        p.addLast("idle", new IdleStateHandler(0, 0, IDLE_SECONDS, TimeUnit.SECONDS));
                        p.addLast("http", new HttpServerCodec());
                        p.addLast("keepAlive", new HttpServerKeepAliveHandler());
                        p.addLast("aggregator", new HttpObjectAggregator(MAX_CONTENT_BYTES));
                        p.addLast("admin", handler);
                    }
                })
                .bind(bindAddress, port)
                .sync()
                .channel();
        return new AdminServer(channel);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Stops listening; connections still open close with their event loop group. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
    }
}
