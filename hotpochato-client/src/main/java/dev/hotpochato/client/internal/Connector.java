package dev.hotpochato.client.internal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.ClientResources;
import dev.hotpochato.client.InvalidOptionException;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.TlsOptions;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLException;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/** Wires a session together: the composition root behind {@link dev.hotpochato.client.HotPochatoClient}. */
public final class Connector {

    /** A session on resources of its own uses one event loop: it needs no more threads than that. */
    private static final int OWN_IO_THREADS = 1;

    private Connector() {
    }

    /**
     * Makes a session on {@code resources} (null: resources of its own, shut down when it ends),
     * connects it and says Hello; the future completes on the new session's callback executor.
     */
    public static CompletableFuture<Session> connect(ClientResources resources, ClientOptions options) {
        Objects.requireNonNull(options, "options");
        DefaultClientResources threads = resources == null
                ? new DefaultClientResources(OWN_IO_THREADS, null)
                : DefaultClientResources.of(resources);
        boolean own = resources == null;
        try {
            SslContext tls = options.tls().isPresent() ? sslContext(options.tls().get()) : null;
            EventLoop loop = threads.nextLoop();
            DefaultSession session = new DefaultSession(options, threads, own);
            Bootstrap bootstrap = new Bootstrap()
                    .group(loop)
                    .channel(threads.channelType())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            options.connectTimeout().toMillis()));
            ConnectionWatchdog watchdog = new ConnectionWatchdog(options, session, loop, bootstrap, tls);
            session.watchdog(watchdog);
            watchdog.start();
            return session.connectFuture();
        } catch (SSLException | RuntimeException e) {
            if (own) {
                threads.shutdown();
            }
            return CompletableFuture.failedFuture(e);
        }
    }

    private static SslContext sslContext(TlsOptions tls) throws SSLException {
        SslContextBuilder b = SslContextBuilder.forClient()
                .endpointIdentificationAlgorithm(tls.verifyHostname() ? "HTTPS" : null);
        try {
            tls.trustedCertificates().ifPresent(pem -> b.trustManager(pem.toFile()));
        } catch (IllegalArgumentException e) {
            throw new InvalidOptionException("trustedCertificates", "the trusted certificates file "
                    + tls.trustedCertificates().orElseThrow(), "holds no certificate Java can read: " + e.getMessage());
        }
        return b.build();
    }
}
