package dev.hotpochato.server.net;

import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.room.Matchmaker;
import dev.hotpochato.server.room.RoomStore;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;

import java.util.concurrent.TimeUnit;

/**
 * The pipeline of every TCP client connection, in order. The handlers that come after the framing
 * ({@link #addSessionHandlers}) and before it ({@link #addConnectionHandlers}) are shared with the
 * WebSocket gateway, so that a session follows the same rules whichever transport carries it.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {

    private final ServerContext server;
    private final ChannelGroup channels;
    private final SslContext tls;
    private final ConnectionLimiter connectionLimiter;
    /** Session ids of the servers of this process that are not cluster nodes. */
    private static final java.util.concurrent.atomic.AtomicLong NEXT_SESSION_ID = new java.util.concurrent.atomic.AtomicLong(1);

    private final TurnScheduler turnScheduler;
    private final ProtobufDecoder protobufDecoder = new ProtobufDecoder(ClientFrame.getDefaultInstance());

    /**
     * @param tls      null for plain TCP
     * @param channels every connection is added here, so that the server can say goodbye to them all
     */
    public ServerInitializer(ServerOptions options, RoomStore rooms, Matchmaker matchmaker, SslContext tls, ChannelGroup channels) {
        this(options, rooms, matchmaker, tls, channels, NEXT_SESSION_ID::getAndIncrement);
    }

    /** @param sessionIds new session ids, unique across the cluster (a node's generation in the high bits) */
    public ServerInitializer(ServerOptions options, RoomStore rooms, Matchmaker matchmaker, SslContext tls, ChannelGroup channels,
                             java.util.function.LongSupplier sessionIds) {
        this.server = new ServerContext(options, rooms, matchmaker, new Sessions(), sessionIds);
        this.channels = channels;
        this.tls = tls;
        this.connectionLimiter = new ConnectionLimiter(options.maxConnections(), options.maxConnectionsPerAddress());
        this.turnScheduler = new TurnScheduler(rooms, options.maxTurnTimeout().toMillis());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ServerOptions o = server.options();
        channels.add(ch);
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            p.addLast("tls", tls.newHandler(ch.alloc()));
        }
        addConnectionHandlers(p);
        p.addLast("frameDecoder", new FrameDecoder(o.maxFrameBytes()));
        p.addLast("protobufDecoder", protobufDecoder);
        p.addLast("frameEncoder", FrameEncoder.INSTANCE);
        addSessionHandlers(p);
    }

    /**
     * The handlers every client connection starts with, right after TLS and before any framing:
     * the connection limits and the idle timeout, both counted from the moment of connecting.
     */
    public void addConnectionHandlers(ChannelPipeline p) {
        p.addLast("connectionLimit", connectionLimiter);
        p.addLast("idle", new IdleStateHandler(server.options().idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    }

    /**
     * Everything after the framing, for any transport: the handlers before these must turn what
     * the client sends into {@code ClientFrame}s, and take {@code ServerFrame}s and frames already
     * encoded by {@code FrameEncoder} (length-prefixed {@code ByteBuf}s) out to the client.
     */
    public void addSessionHandlers(ChannelPipeline p) {
        ServerOptions o = server.options();
        p.addLast("frameRate", new FrameRateLimiter(o.maxFramesPerSecond(), o.frameBurst(), System::nanoTime));
        p.addLast("slowConsumer", new SlowConsumerGuard(o.slowConsumerTimeout().toMillis(), o.maxPendingOutboundBytes()));
        p.addLast("session", new SessionHandler(server));
        p.addLast("turnScheduler", turnScheduler);
        p.addLast("errors", ErrorHandler.INSTANCE);
    }
}
