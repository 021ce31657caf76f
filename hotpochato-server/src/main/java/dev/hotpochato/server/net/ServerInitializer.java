package dev.hotpochato.server.net;

import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.cluster.SessionDirectory;
import dev.hotpochato.server.metrics.ServerMetrics;
import dev.hotpochato.server.room.Lobby;
import dev.hotpochato.server.room.RoomStore;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The pipeline of every TCP client connection, in order. The handlers before the framing
 * ({@link #addConnectionHandlers}), the idle timeout right after it ({@link #addIdleHandler}) and
 * everything after the parsing ({@link #addSessionHandlers}) are shared with the WebSocket gateway,
 * so that a session follows the same rules whichever transport carries it.
 */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {

    private final ServerContext server;
    private final ChannelGroup channels;
    private final SslContext tls;
    private final ConnectionLimiter connectionLimiter;
    private final TurnScheduler turnScheduler;
    private final ProtobufDecoder protobufDecoder = new ProtobufDecoder(ClientFrame.getDefaultInstance());

    /**
     * @param tls      null for plain TCP
     * @param channels every connection is added here, so that the server can say goodbye to them all
     */
    public ServerInitializer(ServerOptions options, RoomStore rooms, Lobby matchmaker, SslContext tls, ChannelGroup channels) {
        this(options, rooms, matchmaker, tls, channels, ServerMetrics.discarding(), null);
    }

    /**
     * @param metrics what every connection's handlers record: frames, errors, cut-offs, sessions
     * @param sessionIds new session ids, unique across the cluster (a node's generation in the high
     *                   bits); null: numbered by this process
     */
    public ServerInitializer(ServerOptions options, RoomStore rooms, Lobby matchmaker, SslContext tls,
                             ChannelGroup channels, ServerMetrics metrics, java.util.function.LongSupplier sessionIds) {
        this(options, rooms, matchmaker, tls, channels, metrics, sessionIds, null, null, NodeStanding.SINGLE);
    }

    /**
     * A node of a cluster: its sessions are also kept in {@code directory}, so that any node can
     * resume them.
     *
     * @param directory the cluster's sessions; null: this server's sessions are its own
     * @param loops     where sessions adopted from a dead node live (one of the server's event loops)
     * @param standing  whether the node still stands in its cluster: asked before a client is closed for its silence
     */
    public ServerInitializer(ServerOptions options, RoomStore rooms, Lobby matchmaker, SslContext tls,
                             ChannelGroup channels, ServerMetrics metrics, java.util.function.LongSupplier sessionIds,
                             SessionDirectory directory, Supplier<EventExecutor> loops, NodeStanding standing) {
        AddressLedger addresses = new AddressLedger(options.maxConnections(), options.maxConnectionsPerAddress(),
                options.maxFailedAttemptsPerAddress(), Ticker.systemTicker().nanoTime());
        ResumeTokens tokens = directory == null ? new LocalResumeTokens() : new ClusterResumeTokens(directory, loops);
        this.server = sessionIds == null
                ? new ServerContext(options, rooms, matchmaker, tokens, addresses, metrics)
                : new ServerContext(options, rooms, matchmaker, tokens, addresses, metrics, sessionIds, standing);
        if (tokens instanceof ClusterResumeTokens cluster) {
            cluster.server(server);
        }
        this.channels = channels;
        this.tls = tls;
        this.connectionLimiter = new ConnectionLimiter(addresses, metrics);
        this.turnScheduler = new TurnScheduler(rooms, options.maxTurnTimeout().toMillis());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            SslHandler handler = tls.newHandler(ch.alloc());
            handler.setHandshakeTimeoutMillis(server.options().tlsHandshakeTimeout().toMillis());
            p.addLast("tls", handler);
        }
        addConnectionHandlers(p);
        p.addLast("frameDecoder", new FrameDecoder(server.options().maxFrameBytes()));
        addIdleHandler(p);
        p.addLast("protobufDecoder", protobufDecoder);
        p.addLast("frameEncoder", FrameEncoder.INSTANCE);
        addSessionHandlers(p);
    }

    /**
     * The handlers every client connection starts with, right after TLS and before any framing:
     * the connection limits (a connection over them is refused with its first frame).
     */
    public void addConnectionHandlers(ChannelPipeline p) {
        p.addLast("connectionLimit", connectionLimiter);
    }

    /**
     * The idle timeout: closes a connection that has sent nothing for the idle timeout with
     * IDLE_TIMEOUT. Add it right after the framing, where only whole frames arrive (over TCP one
     * length-prefixed frame, over a WebSocket one message or control frame), so that a trickle of
     * bytes that never makes a frame is not life. It counts from the moment it is added.
     */
    public void addIdleHandler(ChannelPipeline p) {
        p.addLast("idle", new IdleStateHandler(server.options().idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
    }

    /**
     * Everything after the parsing, for any transport: the handlers before these must turn what
     * the client sends into {@code ClientFrame}s, and take {@code ServerFrame}s and frames already
     * encoded by {@code FrameEncoder} (length-prefixed {@code ByteBuf}s) out to the client. These are
     * the traffic counts and the connection's closing log line, the rate limit, the slow-consumer guard, the session and its rooms, and the error handler last.
     * The handshake deadline runs from the moment these are added to an open connection, or from
     * its activation.
     */
    public void addSessionHandlers(ChannelPipeline p) {
        ServerOptions o = server.options();
        p.addLast("traffic", new ConnectionTraffic(server.metrics()));
        p.addLast("frameRate", new FrameRateLimiter(o.maxFramesPerSecond(), o.frameBurst(), server.metrics()));
        p.addLast("slowConsumer", new SlowConsumerGuard(o.slowConsumerTimeout().toMillis(), o.maxPendingOutboundBytes(),
                server.metrics()));
        p.addLast("session", new SessionHandler(server));
        p.addLast("turnScheduler", turnScheduler);
        p.addLast("errors", ErrorHandler.INSTANCE);
    }

    /** Bytes queued on {@code ch} and not yet sent, as the slow-consumer guard counts them. */
    public static long pendingBytes(Channel ch) {
        return SlowConsumerGuard.pendingBytes(ch);
    }

    /** In a cluster: another node took session {@code sessionId}, which this node lets go. */
    public void sessionMoved(long sessionId) {
        if (server.tokens() instanceof ClusterResumeTokens cluster) {
            cluster.moved(sessionId);
        }
    }

    /** In a cluster: node {@code generation} died; this node takes over its sessions and marks them away. */
    public void adoptSessionsOf(long generation) {
        if (server.tokens() instanceof ClusterResumeTokens cluster) {
            cluster.adoptFrom(generation);
        }
    }

    /** Sessions a Resume can still find (connected, resuming, or away within their grace period). */
    public int resumableSessions() {
        return server.tokens().sessions();
    }
}
