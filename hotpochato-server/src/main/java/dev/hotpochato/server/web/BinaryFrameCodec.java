package dev.hotpochato.server.web;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code hotpochato.v1.proto}: a frame is a binary message holding its protobuf encoding, exactly
 * the bytes that follow the length prefix over TCP. A broadcast encoded once is sent as it is,
 * prefix stripped, without a copy.
 */
final class BinaryFrameCodec extends WebSocketFrameCodec {

    BinaryFrameCodec(int maxFrameBytes) {
        super(maxFrameBytes);
    }

    @Override
    ClientFrame decode(WebSocketFrame message) {
        if (!(message instanceof BinaryWebSocketFrame)) {
            throw new CorruptedFrameException("a text message on " + Subprotocol.PROTO.id()
                    + ": frames are binary messages on this subprotocol");
        }
        try {
            return ClientFrame.parseFrom(message.content().nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            throw new DecoderException(e); // reported as TCP reports it: "malformed frame: ..."
        }
    }

    @Override
    WebSocketFrame encode(ByteBufAllocator alloc, ServerFrame frame) {
        int size = frame.getSerializedSize();
        ByteBuf buf = alloc.buffer(size, size);
        try {
            CodedOutputStream out = CodedOutputStream.newInstance(buf.nioBufferCount() == 1
                    ? buf.internalNioBuffer(0, size) : buf.nioBuffer(0, size));
            frame.writeTo(out);
            out.checkNoSpaceLeft();
            buf.writerIndex(size);
            return new BinaryWebSocketFrame(buf);
        } catch (IOException e) {
            buf.release();
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            buf.release();
            throw e;
        }
    }

    @Override
    WebSocketFrame encodeSerialized(ByteBufAllocator alloc, ByteBuf body) {
        return new BinaryWebSocketFrame(body);
    }
}
