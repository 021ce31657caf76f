package dev.hotpochato.server.net;

import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.room.Matchmaker;
import dev.hotpochato.server.room.Rooms;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Ticker;

import java.util.concurrent.TimeUnit;

/**
 * The pipeline of every client connection, in order. Another transport (a WebSocket gateway) does
 * its own framing and then calls {@link #addSessionHandlers}: everything after the frame codec is
 * the same for both.
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
    public ServerInitializer(ServerOptions options, Rooms rooms, Matchmaker matchmaker, SslContext tls, ChannelGroup channels) {
        AddressLedger addresses = new AddressLedger(options.maxConnections(), options.maxConnectionsPerAddress(),
                options.maxFailedAttemptsPerAddress(), Ticker.systemTicker().nanoTime());
        this.server = new ServerContext(options, rooms, matchmaker, new LocalResumeTokens(), addresses);
        this.channels = channels;
        this.tls = tls;
        this.connectionLimiter = new ConnectionLimiter(addresses);
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
        p.addLast("connectionLimit", connectionLimiter);
        p.addLast("frameDecoder", new FrameDecoder(server.options().maxFrameBytes()));
        p.addLast("frameEncoder", FrameEncoder.INSTANCE);
        addSessionHandlers(p);
    }

    /**
     * Adds what follows the frame codec, once the pipeline's last handler reads frame bodies (one
     * {@code ClientFrame} each, as retained buffers) and encodes what is written ({@code ServerFrame}s,
     * and room frames already encoded as length-prefixed buffers): liveness, the rate limit, parsing,
     * the slow-consumer guard, the session and its rooms, and the error handler last. The handshake
     * deadline runs from the moment these are added to an open connection, or from its activation.
     */
    public void addSessionHandlers(ChannelPipeline p) {
        ServerOptions o = server.options();
        // After the frame decoder: only a whole frame is life, so that a trickle of bytes is not.
        p.addLast("idle", new IdleStateHandler(o.idleTimeout().toMillis(), 0, 0, TimeUnit.MILLISECONDS));
        p.addLast("frameRate", new FrameRateLimiter(o.maxFramesPerSecond(), o.frameBurst()));
        p.addLast("protobufDecoder", protobufDecoder);
        p.addLast("slowConsumer", new SlowConsumerGuard(o.slowConsumerTimeout().toMillis(), o.maxPendingOutboundBytes()));
        p.addLast("session", new SessionHandler(server));
        p.addLast("turnScheduler", turnScheduler);
        p.addLast("errors", ErrorHandler.INSTANCE);
    }

    /** Bytes queued on {@code ch} and not yet sent, as the slow-consumer guard counts them. */
    public static long pendingBytes(Channel ch) {
        return SlowConsumerGuard.pendingBytes(ch);
    }

    /** Sessions a Resume can still find (connected, resuming, or away within their grace period). */
    public int resumableSessions() {
        return server.tokens().sessions();
    }
}
