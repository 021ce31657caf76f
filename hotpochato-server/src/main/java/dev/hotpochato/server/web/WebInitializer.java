package dev.hotpochato.server.web;

import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.metrics.ServerMetrics;
import dev.hotpochato.server.net.ServerInitializer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;

/**
 * The pipeline of every connection to the web port, in order: HTTP until {@link WebGate} upgrades
 * it, then WebSocket framing in front of the very handlers a TCP session has.
 *
 * <p>Shared by every connection of one server; immutable.
 */
public final class WebInitializer extends ChannelInitializer<SocketChannel> {

    /** Longest request line: the page's paths are short. */
    static final int MAX_REQUEST_LINE = 4096;
    /** All of a request's headers together. */
    static final int MAX_REQUEST_HEADERS = 8192;
    /** A request body: none is needed (only GET is served), a small one is tolerated. */
    static final int MAX_REQUEST_BODY = 1024;

    private final ServerOptions options;
    private final SslContext tls;
    private final ServerInitializer sessions;
    private final ChannelGroup channels;
    private final ServerMetrics metrics;
    private final WebGate.Settings gate;

    /**
     * @param tls      null for plain HTTP
     * @param sessions the TCP pipeline, whose connection and session handlers every WebSocket gets too
     * @param channels every WebSocket connection is added here, so that the server can say goodbye to them all
     * @param metrics  counts WebSocket connections (not the page's HTTP ones) under transport WEBSOCKET
     */
    public WebInitializer(ServerOptions options, SslContext tls, ServerInitializer sessions, ChannelGroup channels,
                          ServerMetrics metrics) {
        this.options = options;
        this.tls = tls;
        this.sessions = sessions;
        this.channels = channels;
        this.metrics = metrics;
        WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
                // The frame limit, checked from each WebSocket frame's header before its payload is read.
                .maxFramePayloadLength(options.maxFrameBytes())
                .allowExtensions(false)
                // Refused by the session's own error handling: a typed Error, then a close with a code.
                .closeOnProtocolViolation(false)
                .build();
        this.gate = new WebGate.Settings(StaticFiles.load(), new OriginPolicy(options.allowedOrigins()),
                !options.allowedOrigins().isEmpty(), decoderConfig, tls != null, WebGate.REQUEST_TIMEOUT_MILLIS,
                this::upgraded);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        if (tls != null) {
            SslHandler handler = tls.newHandler(ch.alloc());
            handler.setHandshakeTimeoutMillis(options.tlsHandshakeTimeout().toMillis());
            p.addLast("tls", handler);
        }
        sessions.addConnectionHandlers(p);
        p.addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(MAX_REQUEST_LINE)
                .setMaxHeaderSize(MAX_REQUEST_HEADERS)));
        p.addLast("httpAggregator", new HttpObjectAggregator(MAX_REQUEST_BODY));
        p.addLast("web", new WebGate(gate));
    }

    /**
     * Called by the gate once the handshake response is on its way (the WebSocket decoder is in the
     * pipeline already): replaces the gate with the WebSocket handlers and the session's.
     */
    private void upgraded(ChannelHandlerContext gateContext, Subprotocol subprotocol) {
        ChannelPipeline p = gateContext.pipeline();
        channels.add(gateContext.channel());
        metrics.connectionOpened(ServerMetrics.Transport.WEBSOCKET);
        gateContext.channel().closeFuture().addListener(closed -> metrics.connectionClosed(ServerMetrics.Transport.WEBSOCKET));
        p.replace(gateContext.handler(), "wsHeartbeat", new WebSocketHeartbeat(options.heartbeatInterval().toMillis()));
        p.addLast("wsUtf8", new Utf8FrameValidator(false));
        p.addLast("wsAggregator", new WebSocketMessageAggregator(options.maxFrameBytes()));
        // After the aggregator: a whole message, a ping or a pong is life; a fragment is not, so
        // that a message trickled a byte at a time cannot hold the connection open.
        sessions.addIdleHandler(p);
        p.addLast("wsControl", new WebSocketControl());
        p.addLast("wsCodec", subprotocol == Subprotocol.PROTO
                ? new BinaryFrameCodec(options.maxFrameBytes())
                : new JsonFrameCodec(options.maxFrameBytes()));
        sessions.addSessionHandlers(p);
    }
}
