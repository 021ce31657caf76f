package dev.hotpochato.bench.load;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.hotpochato.protocol.ProtocolDefaults;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Said;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.TurnGranted;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * A bot's WebSocket: Netty's client handshake, then one frame per message. Holds back
 * {@code channelActive} until the handshake is done, so that the bot's Hello goes out as a message.
 *
 * <p>Binary: a message's payload is the frame body the bot reads over TCP, handed on as it is; the
 * bot's length-prefixed writes go out without the prefix. JSON: like the binary bot, which
 * recognises a Said by its first byte and counts it, this one recognises a Said by the name of the
 * frame's body and reads a TurnGranted's holder straight from the text; anything else goes through
 * protobuf's JsonFormat. (A JSON client in a browser would use the browser's native JSON.parse.) Each distinct frame the bot writes (its Say is always the same bytes)
 * is printed as JSON once.
 *
 * <p>One per connection, on its event loop.
 */
final class WebSocketFraming extends ChannelDuplexHandler {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();
    private static final ServerFrame SAID = ServerFrame.newBuilder().setSaid(Said.getDefaultInstance()).build();
    private static final String HOLDER = "\"holder\":\"";

    private final boolean json;
    private ByteBuf lastBody = Unpooled.EMPTY_BUFFER;
    private byte[] lastJson;

    private WebSocketFraming(boolean json) {
        this.json = json;
    }

    static void install(SocketChannel ch, InetSocketAddress server, boolean json) {
        URI uri = URI.create("ws://" + server.getHostString() + ":" + server.getPort() + "/ws");
        ch.pipeline()
                .addLast(new HttpClientCodec())
                .addLast(new HttpObjectAggregator(8192))
                .addLast(new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                        .webSocketUri(uri)
                        .subprotocol(json ? "hotpochato.v1.json" : "hotpochato.v1.proto")
                        .maxFramePayloadLength(ProtocolDefaults.MAX_FRAME_BYTES * 256)
                        .build()))
                .addLast(new WebSocketFraming(json));
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
        if (msg instanceof BinaryWebSocketFrame binary && !json) {
            ctx.fireChannelRead(binary.content()); // the bot releases it
        } else if (msg instanceof TextWebSocketFrame text && json) {
            try {
                ctx.fireChannelRead(decode(text.text()));
            } finally {
                text.release();
            }
        } else {
            ReferenceCountUtil.release(msg);
            throw new IllegalStateException("unexpected " + msg);
        }
    }

    private static ServerFrame decode(String text) throws InvalidProtocolBufferException {
        String body = bodyName(text);
        if (body.equals("said")) {
            return SAID;
        }
        if (body.equals("turnGranted")) {
            // The bots' names (b0, b1, ...) need no JSON escapes, so the holder is the text between quotes.
            int at = text.indexOf(HOLDER);
            if (at >= 0) {
                int start = at + HOLDER.length();
                return ServerFrame.newBuilder().setTurnGranted(TurnGranted.newBuilder()
                        .setHolder(text.substring(start, text.indexOf('"', start)))).build();
            }
        }
        ServerFrame.Builder frame = ServerFrame.newBuilder();
        PARSER.merge(text, frame);
        return frame.build();
    }

    /**
     * The name of the frame's body: the first key, or the second after a request id (canonical JSON
     * prints fields in field-number order, and the request id is field 1).
     */
    private static String bodyName(String text) {
        int start = 2; // past {"
        if (text.startsWith("{\"requestId\":\"")) {
            start = text.indexOf('"', 14) + 3; // past the id's closing quote and ,"
        }
        int end = text.indexOf('"', start);
        return start < 2 || end < 0 ? "" : text.substring(start, end);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws InvalidProtocolBufferException {
        if (!(msg instanceof ByteBuf framed)) {
            ctx.write(msg, promise); // the handshake request, WebSocket control frames
            return;
        }
        try {
            skipLengthPrefix(framed);
            if (!json) {
                ctx.write(new BinaryWebSocketFrame(framed.retain()), promise);
                return;
            }
            if (!ByteBufUtil.equals(framed, lastBody)) {
                lastJson = PRINTER.print(ClientFrame.parseFrom(framed.nioBuffer())).getBytes(StandardCharsets.UTF_8);
                lastBody = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(framed));
            }
            ctx.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(lastJson)), promise);
        } finally {
            framed.release();
        }
    }

    private static void skipLengthPrefix(ByteBuf in) {
        while (in.readByte() < 0) {
            // continuation bit set: the prefix goes on
        }
    }
}
