package dev.hotpochato.testing;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A test client's framing over WebSocket (Netty's client handshaker): one frame per message, in
 * binary ({@code hotpochato.v1.proto}) or canonical JSON ({@code hotpochato.v1.json}). Holds back
 * {@code channelActive} until the handshake is done, so that the client sends nothing before.
 */
final class WebSocketFraming extends ChannelDuplexHandler {

    static final String PROTO = "hotpochato.v1.proto";
    static final String JSON = "hotpochato.v1.json";

    private static final AttributeKey<WebSocketCloseStatus> CLOSE = AttributeKey.valueOf(WebSocketFraming.class, "close");
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    private final boolean json;

    private WebSocketFraming(boolean json) {
        this.json = json;
    }

    static void install(SocketChannel ch, InetSocketAddress server, String subprotocol) {
        URI uri = URI.create("ws://" + server.getHostString() + ":" + server.getPort() + "/ws");
        ch.pipeline()
                .addLast(new HttpClientCodec())
                .addLast(new HttpObjectAggregator(64 * 1024))
                .addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                        .webSocketUri(uri)
                        .subprotocol(subprotocol)
                        .customHeaders(new DefaultHttpHeaders())
                        .maxFramePayloadLength(16 * 1024 * 1024)
                        // Close frames reach this handler, so that tests can see the server's status.
                        .handleCloseFrames(false)
                        .build()))
                .addLast(new WebSocketFrameAggregator(16 * 1024 * 1024))
                .addLast(new WebSocketFraming(JSON.equals(subprotocol)));
    }

    /** The close frame the server sent on {@code ch}, or null. */
    static WebSocketCloseStatus closeStatus(Channel ch) {
        return ch.attr(CLOSE).get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // held back until the handshake completes
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            ctx.fireChannelActive();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws InvalidProtocolBufferException {
        try {
            if (msg instanceof CloseWebSocketFrame close) {
                ctx.channel().attr(CLOSE).set(new WebSocketCloseStatus(close.statusCode(), close.reasonText()));
            } else if (msg instanceof BinaryWebSocketFrame binary && !json) {
                ctx.fireChannelRead(ServerFrame.parseFrom(ByteBufUtil.getBytes(binary.content())));
            } else if (msg instanceof TextWebSocketFrame text && json) {
                ServerFrame.Builder frame = ServerFrame.newBuilder();
                PARSER.merge(text.text(), frame);
                ctx.fireChannelRead(frame.build());
            } else if (msg instanceof WebSocketFrame other) {
                throw new DecoderException("unexpected " + other + " on " + (json ? JSON : PROTO));
            } else {
                ctx.fireChannelRead(ReferenceCountUtil.retain(msg));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ClientFrame frame) {
            ctx.write(json ? new TextWebSocketFrame(PRINTER.print(frame))
                    : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame.toByteArray())), promise);
        } else if (msg instanceof ByteBuf raw) {
            // sendRaw: the bytes as one message
            ctx.write(json ? new TextWebSocketFrame(raw.toString(StandardCharsets.UTF_8)) : new BinaryWebSocketFrame(raw),
                    promise);
            if (json) {
                raw.release();
            }
        } else {
            ctx.write(msg, promise);
        }
    }
}
