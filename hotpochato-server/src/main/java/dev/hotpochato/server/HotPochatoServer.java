package dev.hotpochato.server;

import dev.hotpochato.protocol.net.Transport;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.server.net.ServerInitializer;
import dev.hotpochato.server.room.Frames;
import dev.hotpochato.server.room.Matchmaker;
import dev.hotpochato.server.room.RoomSettings;
import dev.hotpochato.server.room.RoomShard;
import dev.hotpochato.server.room.Rooms;
import dev.hotpochato.server.room.ScheduledTurnClock;
import dev.hotpochato.server.net.ChannelOutput;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running HotPochato server. {@link #start} binds and returns at once; {@link #close} says
 * goodbye to every client and stops. Safe to embed: tests and benchmarks run it in-process.
 */
public final class HotPochatoServer implements AutoCloseable {

    /** The server's version, as told to clients in {@code Welcome.server_version}. */
    public static final String VERSION = "0.1.0";

    private static final Logger log = LoggerFactory.getLogger(HotPochatoServer.class);

    private final ServerOptions options;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final ChannelGroup channels;
    private final Rooms rooms;
    private final ServerInitializer initializer;
    private final Channel serverChannel;
    private final AtomicBoolean closed = new AtomicBoolean();

    private HotPochatoServer(ServerOptions options) throws InterruptedException {
        this.options = options;
        Transport transport = Transport.best();
        this.acceptor = transport.newGroup(1, "hotpochato-accept");
        // One loop per core by default: more loops than cores only adds wake-ups and hops between them.
        int threads = options.workerThreads() > 0 ? options.workerThreads() : Runtime.getRuntime().availableProcessors();
        this.workers = transport.newGroup(threads, "hotpochato-io");
        this.channels = new DefaultChannelGroup("hotpochato-clients", GlobalEventExecutor.INSTANCE);

        // Each worker event loop also owns a shard of the rooms, with its own output.
        List<RoomShard> shards = new ArrayList<>();
        for (EventExecutor loop : workers) {
            shards.add(new RoomShard(loop, new ScheduledTurnClock(loop), new ChannelOutput(PooledByteBufAllocator.DEFAULT)));
        }
        RoomSettings defaults = new RoomSettings(options.turnTimeout().toMillis(), options.maxMembersPerRoom(), "",
                false, options.maxTextBytes(), options.historySize());
        this.rooms = new Rooms(shards, defaults);
        Matchmaker matchmaker = new Matchmaker(rooms);

        try {
            SslContext tls = options.tlsCertificate() == null ? null
                    : SslContextBuilder.forServer(options.tlsCertificate().toFile(), options.tlsPrivateKey().toFile())
                            .build();
            this.initializer = new ServerInitializer(options, rooms, matchmaker, tls, channels);
            this.serverChannel = new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(transport.serverChannelType())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                            options.writeBufferHighWaterMark() / 2, options.writeBufferHighWaterMark()))
                    .childHandler(initializer)
                    .bind(options.bindAddress(), options.port())
                    .sync()
                    .channel();
        } catch (InterruptedException | RuntimeException e) {
            shutdownGroups();
            throw e;
        } catch (SSLException e) {
            shutdownGroups();
            throw new IllegalArgumentException("cannot use the TLS certificate or key: " + e.getMessage(), e);
        }
        log.info("HotPochato {} listening on {} ({}{} transport, {} room shards)", VERSION, localAddress(),
                options.tlsCertificate() == null ? "" : "TLS over ", transport.name().toLowerCase(), shards.size());
    }

    /** Binds as {@code options} say and starts serving. */
    public static HotPochatoServer start(ServerOptions options) throws InterruptedException {
        return new HotPochatoServer(options);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The bound port (useful when the options asked for port 0). */
    public int port() {
        return localAddress().getPort();
    }

    public ServerOptions options() {
        return options;
    }

    /** How many client connections are open now. */
    public int connectionCount() {
        return channels.size();
    }

    /**
     * Bytes queued for clients and not yet written to their sockets, over every connection: what
     * slow readers cost the server (each is cut off at {@link ServerOptions#maxPendingOutboundBytes()}).
     */
    public long pendingOutboundBytes() {
        long pending = 0;
        for (Channel ch : channels) {
            pending += ServerInitializer.pendingBytes(ch);
        }
        return pending;
    }

    /** How many sessions the server keeps: connected ones, and those away within their resume grace period. */
    public int sessionCount() {
        return initializer.resumableSessions();
    }

    /**
     * Stops gracefully: no new connections; every room is closed with a reason; every client gets
     * {@code Error(SERVER_SHUTTING_DOWN)} and is disconnected; then the threads stop. Returns within
     * about {@link ServerOptions#shutdownTimeout()}. Idempotent. It waits for the server's own
     * threads, so it must not be called on one of them (a handler, a room task).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
        serverChannel.close().awaitUninterruptibly(remainingMillis(deadline));
        try {
            rooms.closeAll("the server is shutting down").get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("rooms did not close in time: {}", e.toString());
        }
        var bye = Frames.fatal(0, Error.Code.SERVER_SHUTTING_DOWN, "the server is shutting down");
        for (Channel ch : channels) {
            ch.writeAndFlush(bye).addListener(ChannelFutureListener.CLOSE);
        }
        for (Channel ch : channels) {
            ch.closeFuture().awaitUninterruptibly(remainingMillis(deadline));
        }
        channels.close().awaitUninterruptibly(remainingMillis(deadline));
        shutdownGroups();
        log.info("HotPochato stopped");
    }

    private void shutdownGroups() {
        acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        acceptor.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        workers.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
