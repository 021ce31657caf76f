package dev.hotpochato.server.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * The admin routes. Runs on the admin event loop only.
 *
 * <pre>
 * GET  /metrics        Prometheus text exposition (OpenMetrics when the Accept header asks for it)
 * GET  /health/live    200 "live", or 503 naming the event loops that did not answer within 5 s
 * GET  /health/ready   200 "ready", or 503 and why not ("shutting down", a condition that is down)
 * POST /reload         reloads the token file and the TLS certificate: 200 and what was reloaded,
 *                      or 500 and what failed (the rest is reloaded, the failed part keeps its old state)
 * </pre>
 *
 * HEAD works wherever GET does. Anything else: 404, or 405 with {@code Allow}.
 */
@Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
    static final Duration LIVENESS_DEADLINE = Duration.ofSeconds(5);
    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

    private final PrometheusMeterRegistry registry;
    private final Health health;
    private final Callable<String> reload;

    AdminHandler(PrometheusMeterRegistry registry, Health health, Callable<String> reload) {
        this.registry = registry;
        this.health = health;
        this.reload = reload;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        // What the response depends on, read now: the request is released when this method returns.
        Reply reply = new Reply(ctx, request.method().equals(HttpMethod.HEAD), HttpUtil.isKeepAlive(request));
        if (!request.decoderResult().isSuccess()) {
            reply.text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        boolean read = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD);
        switch (path) {
            case "/metrics" -> {
                if (read) {
                    metrics(reply, request.headers().get(HttpHeaderNames.ACCEPT, ""));
                } else {
                    reply.notAllowed("GET, HEAD");
                }
            }
            case "/health/live" -> {
                if (read) {
                    health.liveness(ctx.executor(), LIVENESS_DEADLINE).addListener(f -> {
                        String problem = (String) f.getNow();
                        reply.text(problem == null ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                                problem == null ? "live\n" : "not live: " + problem + "\n");
                    });
                } else {
                    reply.notAllowed("GET, HEAD");
                }
            }
            case "/health/ready" -> {
                if (read) {
                    String problem = health.readiness();
                    reply.text(problem == null ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                            problem == null ? "ready\n" : "not ready: " + problem + "\n");
                } else {
                    reply.notAllowed("GET, HEAD");
                }
            }
            case "/reload" -> {
                if (method.equals(HttpMethod.POST)) {
                    reload(reply);
                } else {
                    reply.notAllowed("POST");
                }
            }
            default -> reply.text(HttpResponseStatus.NOT_FOUND,
                    "not found; try /metrics, /health/live, /health/ready or POST /reload\n");
        }
    }

    private void metrics(Reply reply, String accept) {
        String contentType = accept.contains("application/openmetrics-text") ? OPENMETRICS : PROMETHEUS_TEXT;
        ByteBuf body = reply.ctx.alloc().buffer(16 * 1024);
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            registry.scrape(out, contentType);
        } catch (IOException | RuntimeException e) {
            body.release();
            log.warn("the metrics could not be written", e);
            reply.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "metrics unavailable: " + e + "\n");
            return;
        }
        reply.send(HttpResponseStatus.OK, contentType, body);
    }

    private void reload(Reply reply) {
        // Reading two small files takes a millisecond; this loop serves nothing but the admin port.
        try {
            reply.text(HttpResponseStatus.OK, "reloaded " + reload.call() + "\n");
        } catch (Exception e) {
            reply.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "reload failed: " + e.getMessage() + "\n");
        }
    }

    /** Writes the one response to a request. */
    private record Reply(ChannelHandlerContext ctx, boolean head, boolean keepAlive) {

        void text(HttpResponseStatus status, String text) {
            send(status, "text/plain; charset=utf-8", ByteBufUtil.writeUtf8(ctx.alloc(), text));
        }

        void notAllowed(String allow) {
            FullHttpResponse response = response(HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                    ByteBufUtil.writeUtf8(ctx.alloc(), "method not allowed\n"));
            response.headers().set(HttpHeaderNames.ALLOW, allow);
            write(response);
        }

        void send(HttpResponseStatus status, String contentType, ByteBuf body) {
            write(response(status, contentType, body));
        }

        private FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
            return response;
        }

        /** HEAD gets the headers GET would, and no body; HttpServerKeepAliveHandler closes when asked to. */
        private void write(FullHttpResponse response) {
            if (head) {
                response.content().clear();
            }
            HttpUtil.setKeepAlive(response, keepAlive);
            ctx.writeAndFlush(response);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("admin connection {} failed: {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
