package dev.hotpochato.client.internal;

import dev.hotpochato.client.ConnectFailedException;
import dev.hotpochato.client.ConnectFailedException.Reason;
import dev.hotpochato.client.ErrorCode;
import dev.hotpochato.client.ServerAddress;
import dev.hotpochato.client.ServerErrorException;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import javax.net.ssl.SSLException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Why a connection failed, in the terms of {@link ConnectFailedException.Reason}: each way a
 * connection can go wrong before its {@code Welcome}, told apart once, here.
 */
final class Failures {

    private Failures() {
    }

    /** The TCP connect itself failed. */
    static ConnectFailedException connect(Throwable cause, ServerAddress address, Duration connectTimeout) {
        if (cause instanceof ConnectTimeoutException) {
            return new ConnectFailedException(Reason.UNREACHABLE, address,
                    "no answer within the connect timeout of " + Durations.format(connectTimeout), cause);
        }
        if (cause instanceof UnknownHostException) {
            return new ConnectFailedException(Reason.UNREACHABLE, address, "unknown host " + address.host(), cause);
        }
        if (cause instanceof NoRouteToHostException) {
            return new ConnectFailedException(Reason.UNREACHABLE, address, "no route to the host", cause);
        }
        // NIO says "Connection refused: /127.0.0.1:1", epoll "finishConnect(..) failed: Connection refused".
        String message = String.valueOf(cause.getMessage());
        if (cause instanceof ConnectException && message.toLowerCase(java.util.Locale.ROOT).contains("refused")) {
            return new ConnectFailedException(Reason.REFUSED, address, "connection refused (no server listens there)", cause);
        }
        return new ConnectFailedException(Reason.UNREACHABLE, address, message, cause);
    }

    /**
     * A connection that ended before its {@code Welcome}, from what it showed; null if it showed
     * nothing (closed without a word).
     */
    static Throwable handshake(ServerAddress address, ServerErrorException refusal, boolean timedOut, Duration timeout,
                               Throwable tlsFailure, boolean unexpectedFrame, Throwable decodeFailure) {
        if (refusal != null) {
            return refusal;
        }
        if (timedOut) {
            return new ConnectFailedException(Reason.NOT_HOTPOCHATO, address,
                    "no answer to the handshake within " + Durations.format(timeout)
                            + " (is it a HotPochato server?)", null);
        }
        if (tlsFailure != null) {
            return tls(address, tlsFailure);
        }
        if (unexpectedFrame || decodeFailure instanceof DecoderException) {
            return new ConnectFailedException(Reason.NOT_HOTPOCHATO, address,
                    "the server answered with something other than HotPochato", decodeFailure);
        }
        return null;
    }

    private static ConnectFailedException tls(ServerAddress address, Throwable failure) {
        Throwable cause = failure instanceof DecoderException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof NotSslRecordException) {
            // Its message is a hex dump of what came instead: keep it as the cause only.
            return new ConnectFailedException(Reason.TLS_NOT_SUPPORTED, address,
                    "the server does not speak TLS there (connect without TLS)", cause);
        }
        if (cause instanceof SslHandshakeTimeoutException) {
            return new ConnectFailedException(Reason.NOT_HOTPOCHATO, address,
                    "no TLS handshake (is it a HotPochato server?)", cause);
        }
        return new ConnectFailedException(Reason.TLS_HANDSHAKE_FAILED, address,
                "the TLS handshake failed: " + cause.getMessage(), cause);
    }

    /** The server closed the connection without a word; {@code tls} if it turned out to speak TLS. */
    static ConnectFailedException closedSilently(ServerAddress address, boolean tls) {
        if (tls) {
            return new ConnectFailedException(Reason.TLS_REQUIRED, address,
                    "the server expects TLS (connect with TLS)", null);
        }
        return new ConnectFailedException(Reason.NOT_HOTPOCHATO, address,
                "the server closed the connection without answering (is it a HotPochato server?)", null);
    }

    /**
     * Whether a server's refusal may not be another's, or the same one's a moment later: a node full
     * or stopping may be replaced by one that is not, and a cluster node that cannot reach its store
     * ({@code UNAVAILABLE}: nothing changed) answers once the store is back; a wrong name, token or
     * protocol version would be refused everywhere.
     */
    static boolean anotherServerMayAccept(ErrorCode code) {
        return switch (code) {
            case TOO_MANY_CONNECTIONS, SERVER_SHUTTING_DOWN, IDLE_TIMEOUT, SLOW_CONSUMER, INTERNAL, UNAVAILABLE -> true;
            default -> false;
        };
    }

    /**
     * Finds out whether {@code address} speaks TLS: opens a connection that starts a TLS handshake,
     * and looks at the first bytes that come back. A TLS server answers a ClientHello with a TLS
     * record (a handshake or an alert: type 22 or 21, version 3.x), anything else does not.
     * Nothing but the handshake is ever sent. {@code done} runs once, on the bootstrap's event loop.
     */
    static void probeTls(Bootstrap bootstrap, ServerAddress address, Duration timeout, Consumer<Boolean> done) {
        SslContext context;
        try {
            context = SslContextBuilder.forClient().build();
        } catch (SSLException e) {
            done.accept(false);
            return;
        }
        boolean[] answered = {false};
        Consumer<Boolean> once = isTls -> {
            if (!answered[0]) {
                answered[0] = true;
                done.accept(isTls);
            }
        };
        ChannelFuture connecting = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("sniff", new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf in = (ByteBuf) msg;
                        try {
                            boolean record = in.readableBytes() >= 2
                                    && (in.getUnsignedByte(in.readerIndex()) == 22 || in.getUnsignedByte(in.readerIndex()) == 21)
                                    && in.getUnsignedByte(in.readerIndex() + 1) == 3;
                            once.accept(record);
                        } finally {
                            ReferenceCountUtil.release(msg);
                            ctx.close();
                        }
                    }

                    @Override
                    public void channelInactive(ChannelHandlerContext ctx) {
                        once.accept(false);
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        ctx.close();
                    }
                });
                // After the sniffer: it sends the ClientHello, and never sees a byte of the answer.
                ch.pipeline().addLast("tls", context.newHandler(ch.alloc(), address.host(), address.port()));
            }
        }).connect(address.host(), address.port());
        Channel ch = connecting.channel();
        ScheduledFuture<?> deadline = ch.eventLoop().schedule(() -> {
            once.accept(false);
            ch.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        connecting.addListener((ChannelFuture f) -> {
            if (!f.isSuccess()) {
                once.accept(false);
            }
        });
        ch.closeFuture().addListener(f -> deadline.cancel(false));
    }
}
