package dev.hotpochato.server.web;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code hotpochato.v1.json}: a frame is a text message holding protobuf's canonical JSON mapping
 * of it ({@code JsonFormat}): lowerCamelCase field names, enums by name, 64-bit integers as strings,
 * fields at their default left out. Unknown fields are ignored, as the binary encoding ignores
 * them; a frame with no known body is then refused by the session as over TCP.
 *
 * <p>A broadcast reaches this codec once per member as the same encoded bytes; the JSON of the
 * latest one is kept per event loop, so the members a loop serves cost one conversion, not one each.
 */
final class JsonFrameCodec extends WebSocketFrameCodec {

    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer().omittingInsignificantWhitespace();

    /** Larger frames (a big room's snapshot, say) are converted each time rather than kept. */
    private static final int MAX_CACHED_BYTES = 8192;
    /** Longest piece of a parser's complaint (which may quote the input) sent back to the client. */
    private static final int MAX_DETAIL_CHARS = 200;

    private static final FastThreadLocal<LastConversion> LAST = new FastThreadLocal<>() {
        @Override
        protected LastConversion initialValue() {
            return new LastConversion();
        }
    };

    /** The serialized frame converted last on this thread, and its JSON in UTF-8. Never shared across threads. */
    private static final class LastConversion {
        ByteBuf serialized = Unpooled.EMPTY_BUFFER;
        byte[] json;
    }

    JsonFrameCodec(int maxFrameBytes) {
        super(maxFrameBytes);
    }

    @Override
    ClientFrame decode(WebSocketFrame message) {
        if (!(message instanceof TextWebSocketFrame text)) {
            throw new CorruptedFrameException("a binary message on " + Subprotocol.JSON.id()
                    + ": frames are JSON text messages on this subprotocol");
        }
        ClientFrame.Builder frame = ClientFrame.newBuilder();
        try {
            // Valid UTF-8: checked before this, fragment by fragment, by Netty's Utf8FrameValidator.
            PARSER.merge(text.text(), frame);
        } catch (InvalidProtocolBufferException | RuntimeException | StackOverflowError e) {
            throw new CorruptedFrameException("not a ClientFrame in JSON: " + detail(e));
        }
        ClientFrame parsed = frame.build();
        if (!wellFormed(parsed)) {
            // A JSON escape such as "\ud800" makes a lone surrogate, which has no UTF-8 form: protobuf
            // would send it on as '?'. Binary clients get the same refusal for invalid UTF-8.
            throw new CorruptedFrameException("not a ClientFrame in JSON: a string holds an unpaired surrogate escape");
        }
        return parsed;
    }

    /** Whether every string in {@code message}, at any depth, is well-formed UTF-16 (so has a UTF-8 form). */
    private static boolean wellFormed(Message message) {
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            Object value = field.getValue();
            for (Object item : value instanceof List<?> list ? list : List.of(value)) {
                if (item instanceof String string && !wellFormed(string)
                        || item instanceof Message nested && !wellFormed(nested)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean wellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** The parser's complaint, without the class name of its JSON library's exception, and short. */
    private static String detail(Throwable e) {
        String message = String.valueOf(e.getMessage()).replaceFirst("^(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*: ", "");
        return message.length() <= MAX_DETAIL_CHARS ? message : message.substring(0, MAX_DETAIL_CHARS) + "...";
    }

    @Override
    WebSocketFrame encode(ByteBufAllocator alloc, ServerFrame frame) {
        return new TextWebSocketFrame(Unpooled.wrappedBuffer(json(frame)));
    }

    @Override
    WebSocketFrame encodeSerialized(ByteBufAllocator alloc, ByteBuf body) {
        try {
            int length = body.readableBytes();
            if (length > MAX_CACHED_BYTES) {
                return new TextWebSocketFrame(Unpooled.wrappedBuffer(json(parse(body))));
            }
            LastConversion last = LAST.get();
            if (!ByteBufUtil.equals(body, last.serialized)) {
                byte[] json = json(parse(body));
                last.serialized = Unpooled.wrappedBuffer(ByteBufUtil.getBytes(body));
                last.json = json;
            }
            // The array is never written to again, so every member's message can wrap the same one.
            return new TextWebSocketFrame(Unpooled.wrappedBuffer(last.json));
        } finally {
            body.release();
        }
    }

    private static ServerFrame parse(ByteBuf body) {
        try {
            return ServerFrame.parseFrom(body.nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the server encoded a frame it cannot read", e);
        }
    }

    private static byte[] json(ServerFrame frame) {
        try {
            return PRINTER.print(frame).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("cannot print a ServerFrame as JSON", e);
        }
    }
}
