package dev.hotpochato.client.internal;

import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.ssl.SslContext;

/**
 * The pipeline of a client connection, in order: {@code tls} (only with TLS), {@code frameDecoder},
 * {@code protobufDecoder}, {@code frameEncoder}, {@code keepAlive} (which puts an
 * {@code IdleStateHandler} named {@code idle} in front of itself once the {@code Welcome} tells
 * the heartbeat interval), {@code watchdog} (the session's {@link ConnectionWatchdog}, the same
 * for each of its connections) and {@code requests}.
 */
final class ClientInitializer extends ChannelInitializer<SocketChannel> {

    private static final ProtobufDecoder PROTOBUF_DECODER = new ProtobufDecoder(ServerFrame.getDefaultInstance());

    private final int maxFrameBytes;
    private final String host;
    private final int port;
    private final SslContext tls;
    private final SessionEvents session;
    private final ConnectionWatchdog watchdog;

    /** @param tls null for plain TCP */
    ClientInitializer(int maxFrameBytes, String host, int port, SslContext tls, SessionEvents session,
                      ConnectionWatchdog watchdog) {
        this.maxFrameBytes = maxFrameBytes;
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.session = session;
        this.watchdog = watchdog;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            // Host and port tell the engine which name the certificate must carry, and enable SNI.
            p.addLast("tls", tls.newHandler(ch.alloc(), host, port));
        }
        p.addLast("frameDecoder", new FrameDecoder(maxFrameBytes));
        p.addLast("protobufDecoder", PROTOBUF_DECODER);
        p.addLast("frameEncoder", FrameEncoder.INSTANCE);
        p.addLast("keepAlive", new KeepAlive());
        p.addLast("watchdog", watchdog);
        p.addLast("requests", new RequestHandler(session));
    }
}
