package dev.hotpochato.client.internal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.Session;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;

import java.util.concurrent.CompletableFuture;

/** Opens connections: the bootstrap behind {@link dev.hotpochato.client.HotPochatoClient}. */
public final class Connector {

    private Connector() {
    }

    /** Connects and says Hello; the future completes on the new session's callback executor. */
    public static CompletableFuture<Session> connect(ClientOptions options) {
        ClientThreads.Lease lease = ClientThreads.acquire();
        DefaultSession session = new DefaultSession(options);
        CompletableFuture<Session> connected = new CompletableFuture<>();
        try {
            new Bootstrap()
                    .group(lease.group())
                    .channel(lease.channelType())
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
                            options.connectTimeout().toMillis()))
                    .handler(new ClientInitializer(options.maxFrameBytes(), session))
                    .connect(options.host(), options.port())
                    .addListener((ChannelFuture f) -> {
                        if (!f.isSuccess()) {
                            lease.release();
                            session.callbacks().execute(() -> connected.completeExceptionally(f.cause()));
                            return;
                        }
                        f.channel().closeFuture().addListener(closed -> lease.release());
                        session.start(f.channel(), connected);
                    });
        } catch (RuntimeException e) {
            lease.release();
            connected.completeExceptionally(e);
        }
        return connected;
    }
}
