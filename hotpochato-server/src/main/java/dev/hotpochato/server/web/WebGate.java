package dev.hotpochato.server.web;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker13;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP connection before it becomes a WebSocket, if it ever does: answers {@code GET} (and
 * {@code HEAD}) of the page's files, refuses everything else with a plain status, and upgrades
 * {@code /ws} once the request passes the origin and subprotocol checks. Every request must arrive
 * whole within {@link #REQUEST_TIMEOUT_MILLIS} of connecting or of the previous response having
 * been sent, however slowly its bytes trickle in.
 *
 * <p>One per connection, on its event loop; it leaves the pipeline at the upgrade.
 */
final class WebGate extends ChannelInboundHandlerAdapter {

    /** The WebSocket endpoint. */
    static final String WEBSOCKET_PATH = "/ws";

    /** Time to send a whole request (or to complete a TLS handshake and the first request). */
    static final long REQUEST_TIMEOUT_MILLIS = 10_000;

    /** What the gate needs, the same for every connection of a server. */
    record Settings(StaticFiles files, OriginPolicy origins, boolean originsWidened,
                    WebSocketDecoderConfig decoderConfig, boolean tls, long requestTimeoutMillis, Upgrade upgrade) {
    }

    /** Puts the WebSocket's handlers in place of the gate; called once the handshake response is on its way. */
    @FunctionalInterface
    interface Upgrade {
        void upgraded(ChannelHandlerContext gate, Subprotocol subprotocol);
    }

    /** Requests a client may pipeline before it reads their answers. */
    static final int MAX_UNANSWERED = 8;

    /**
     * No inline script or style and nothing from another origin; the page puts text in the document
     * only as text, so Trusted Types can forbid every HTML sink outright.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; "
            + "require-trusted-types-for 'script'; trusted-types 'none'";

    private static final Logger log = LoggerFactory.getLogger(WebGate.class);

    private final Settings web;
    private ScheduledFuture<?> deadline;
    private int unanswered;
    /** Why this connection may not be served (the connection limits refused it), or null. */
    private String refusal;

    WebGate(Settings web) {
        this.web = web;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        arm(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    /** Closes the connection unless the next request has been answered by then. */
    private void arm(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        deadline = ctx.executor().schedule(() -> {
            log.debug("{}: no complete HTTP request within {} ms", ctx.channel(), web.requestTimeoutMillis());
            ctx.close();
        }, web.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            // Bytes a client sent right behind its upgrade request, before it could have read the answer.
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        try {
            handle(ctx, request);
        } finally {
            request.release();
        }
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        DecoderResult decoded = request.decoderResult();
        if (decoded.isFailure()) {
            Throwable cause = decoded.cause();
            HttpResponseStatus status = cause instanceof TooLongHttpLineException ? HttpResponseStatus.REQUEST_URI_TOO_LONG
                    : cause instanceof TooLongHttpHeaderException ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE
                    : cause instanceof TooLongFrameException ? HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE
                    : HttpResponseStatus.BAD_REQUEST;
            respond(ctx, request, status, "malformed request", true);
            return;
        }
        if (refusal != null) {
            respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, refusal, true);
            return;
        }
        if (unanswered >= MAX_UNANSWERED) {
            ctx.close(); // pipelining without reading the answers
            return;
        }
        String path = path(request.uri());
        HttpMethod method = request.method();
        if (WEBSOCKET_PATH.equals(path)) {
            upgrade(ctx, request);
            return;
        }
        StaticFiles.File file = path == null ? null : web.files().get(path);
        if (file == null) {
            respond(ctx, request, HttpResponseStatus.NOT_FOUND, "not found", false);
            return;
        }
        if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
            FullHttpResponse response = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD");
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            send(ctx, request, response, false);
            return;
        }
        FullHttpResponse response;
        if (file.etag().equals(request.headers().get(HttpHeaderNames.IF_NONE_MATCH))) {
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_MODIFIED,
                    Unpooled.EMPTY_BUFFER);
        } else {
            ByteBuf body = HttpMethod.HEAD.equals(method) ? Unpooled.EMPTY_BUFFER : file.content().duplicate();
            response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, file.contentType());
            HttpUtil.setContentLength(response, file.content().readableBytes());
        }
        response.headers().set(HttpHeaderNames.ETAG, file.etag());
        // Revalidated on every load: a new server version takes effect at the next reload.
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        send(ctx, request, response, false);
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpHeaders headers = request.headers();
        if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            respond(ctx, request, HttpResponseStatus.UPGRADE_REQUIRED,
                    "this address is for WebSocket clients; the page is at /", false);
            return;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "a WebSocket upgrade is a GET", true);
            return;
        }
        String origin = headers.get(HttpHeaderNames.ORIGIN);
        if (!web.origins().allows(origin, headers.get(HttpHeaderNames.HOST))) {
            log.debug("{}: WebSocket refused to a page of {}", ctx.channel(), origin);
            respond(ctx, request, HttpResponseStatus.FORBIDDEN, "origin not allowed: " + excerpt(origin)
                    + " (the server accepts its own pages" + (web.originsWidened() ? " and those of --allowed-origins"
                    : "") + ")", true);
            return;
        }
        Subprotocol subprotocol = Subprotocol.choose(headers.get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
        if (subprotocol == null) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "Sec-WebSocket-Protocol must name one of: "
                    + Subprotocol.ids(), true);
            return;
        }
        if (!"13".equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))) {
            // RFC 6455 only; not the drafts before it, which Netty would also speak.
            FullHttpResponse response = text(HttpResponseStatus.UPGRADE_REQUIRED,
                    "unsupported WebSocket version; this server speaks version 13");
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
            send(ctx, request, response, true);
            return;
        }
        String host = headers.get(HttpHeaderNames.HOST);
        String url = (web.tls() ? "wss://" : "ws://") + (host == null ? "localhost" : host) + WEBSOCKET_PATH;
        try {
            new WebSocketServerHandshaker13(url, Subprotocol.ids(), web.decoderConfig()).handshake(ctx.channel(), request);
        } catch (WebSocketHandshakeException e) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, e.getMessage(), true);
            return;
        }
        // The decoder is in place from here on; the session's handlers must be too, before the next read.
        web.upgrade().upgraded(ctx, subprotocol);
    }

    /** The request's path without query or fragment, or null if it is not an absolute path. */
    static String path(String uri) {
        int end = uri.length();
        int q = uri.indexOf('?');
        if (q >= 0) {
            end = q;
        }
        int h = uri.indexOf('#');
        if (h >= 0 && h < end) {
            end = h;
        }
        String path = uri.substring(0, end);
        return path.startsWith("/") ? path : null;
    }

    private static String excerpt(String s) {
        return s == null ? "none" : s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }

    private void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status, String text,
                         boolean close) {
        send(ctx, request, text(status, text), close);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String text) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        return response;
    }

    /**
     * Sends {@code response} with the security headers; closes afterwards if asked or if the client
     * does not keep the connection alive. Reading pauses until it is sent, so that a client that
     * does not read its answers cannot make the server queue more of them.
     */
    private void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean close) {
        secure(response.headers());
        boolean keepAlive = !close && HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        unanswered++;
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(response).addListener(written -> {
            unanswered--;
            if (!keepAlive || !written.isSuccess()) {
                ctx.close();
                return;
            }
            arm(ctx);
            ctx.channel().config().setAutoRead(true);
        });
    }

    /** The headers every response carries, the page's and the refusals alike. */
    static void secure(HttpHeaders headers) {
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Cross-Origin-Resource-Policy", "same-origin");
        headers.set("Permissions-Policy", "camera=(), microphone=(), geolocation=()");
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            return; // the request deadline is shorter; the idle timeout is for sessions
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException || cause instanceof DecoderException) {
            log.debug("{}: HTTP connection closed: {}", ctx.channel(), cause.toString());
            ctx.close();
            return;
        }
        // Raised before any request: the connection limits refused this connection. The client is
        // told so in answer to its request, as HTTP allows, or the deadline closes the connection.
        log.debug("{}: refused: {}", ctx.channel(), cause.getMessage());
        refusal = cause.getMessage();
    }
}
