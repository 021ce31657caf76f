package dev.hotpochato.client.internal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.ServerAddress;
import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * The pipeline of one client connection, in order: {@code tls} (only with TLS), {@code frameDecoder},
 * {@code protobufDecoder}, {@code frameEncoder}, {@code keepAlive} (which puts an
 * {@code IdleStateHandler} named {@code idle} in front of itself once the {@code Welcome} tells
 * the heartbeat interval), {@code watchdog} (the session's {@link ConnectionWatchdog}, the same
 * for each of its connections) and {@code requests}.
 */
final class ClientInitializer extends ChannelInitializer<SocketChannel> {

    private static final ProtobufDecoder PROTOBUF_DECODER = new ProtobufDecoder(ServerFrame.getDefaultInstance());

    private final ClientOptions options;
    private final ServerAddress address;
    private final SslContext tls;
    private final SessionEvents session;
    private final ConnectionWatchdog watchdog;

    /** @param tls null for plain TCP */
    ClientInitializer(ClientOptions options, ServerAddress address, SslContext tls, SessionEvents session,
                      ConnectionWatchdog watchdog) {
        this.options = options;
        this.address = address;
        this.tls = tls;
        this.session = session;
        this.watchdog = watchdog;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            // Host and port tell the engine which name the certificate must carry, and enable SNI.
            SslHandler ssl = tls.newHandler(ch.alloc(), address.host(), address.port());
            ssl.setHandshakeTimeoutMillis(options.handshakeTimeout().toMillis());
            p.addLast("tls", ssl);
        }
        p.addLast("frameDecoder", new FrameDecoder(options.maxFrameBytes()));
        p.addLast("protobufDecoder", PROTOBUF_DECODER);
        p.addLast("frameEncoder", FrameEncoder.INSTANCE);
        p.addLast("keepAlive", new KeepAlive());
        p.addLast("watchdog", watchdog);
        p.addLast("requests", new RequestHandler(session));
    }
}
