package dev.hotpochato.client.internal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.TlsOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;

import javax.net.ssl.SSLException;
import java.util.concurrent.CompletableFuture;

/** Opens connections: the bootstrap behind {@link dev.hotpochato.client.HotPochatoClient}. */
public final class Connector {

    private Connector() {
    }

    /**
     * Connects (with TLS, the handshake included) and says Hello; the future completes on the new
     * session's callback executor.
     */
    public static CompletableFuture<Session> connect(ClientOptions options) {
        CompletableFuture<Session> connected = new CompletableFuture<>();
        SslContext tls;
        try {
            tls = options.tls().isPresent() ? sslContext(options.tls().get()) : null;
        } catch (SSLException | RuntimeException e) {
            connected.completeExceptionally(e);
            return connected;
        }
        ClientThreads.Lease lease = ClientThreads.acquire();
        DefaultSession session = new DefaultSession(options);
        try {
            Bootstrap bootstrap = new Bootstrap()
                    .group(lease.group())
                    .channel(lease.channelType())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            options.connectTimeout().toMillis()));
            ConnectionWatchdog watchdog = new ConnectionWatchdog(options, session, bootstrap);
            session.watchdog(watchdog);
            bootstrap.handler(new ClientInitializer(options.maxFrameBytes(), options.host(), options.port(), tls,
                    session, watchdog));
            // The event loops are needed until the session is over, reconnections included.
            session.closeFuture().whenComplete((v, e) -> lease.release());
            bootstrap.connect(options.host(), options.port()).addListener((ChannelFuture f) -> {
                if (!f.isSuccess()) {
                    lease.release();
                    session.callbacks().execute(() -> connected.completeExceptionally(f.cause()));
                    return;
                }
                SslHandler ssl = f.channel().pipeline().get(SslHandler.class);
                if (ssl == null) {
                    session.start(f.channel(), connected);
                    return;
                }
                // Wait for the handshake, so that a certificate not trusted fails the connect with the TLS error itself.
                ssl.handshakeFuture().addListener(hs -> {
                    if (hs.isSuccess()) {
                        session.start(f.channel(), connected);
                    } else {
                        session.callbacks().execute(() -> connected.completeExceptionally(hs.cause()));
                    }
                });
            });
        } catch (RuntimeException e) {
            lease.release();
            connected.completeExceptionally(e);
        }
        return connected;
    }

    private static SslContext sslContext(TlsOptions tls) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient()
                .endpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
        tls.trustedCertificates().ifPresent(pem -> b.trustManager(pem.toFile()));
        return b.build();
    }
}
