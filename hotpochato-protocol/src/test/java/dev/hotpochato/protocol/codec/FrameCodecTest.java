package dev.hotpochato.protocol.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Say;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameCodecTest {

    private static final int MAX = 1024;

    private final EmbeddedChannel channel = new EmbeddedChannel(
            new FrameDecoder(MAX), new ProtobufDecoder(ClientFrame.getDefaultInstance()), FrameEncoder.INSTANCE);

    @AfterEach
    void releaseEverything() {
        channel.finishAndReleaseAll();
    }

    private static ClientFrame say(long id, String text) {
        return ClientFrame.newBuilder().setRequestId(id)
                .setSay(Say.newBuilder().setRoom("lobby").setText(text)).build();
    }

    private static byte[] frameBytes(ClientFrame frame) {
        ByteBuf buf = FrameEncoder.encode(ByteBufAllocator.DEFAULT, frame);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    @Test
    void encodedFrameDecodesToTheSameMessage() {
        ClientFrame frame = say(7, "hello, potato");
        assertTrue(channel.writeOutbound(frame));
        ByteBuf wire = channel.readOutbound();
        assertTrue(channel.writeInbound(wire));
        assertEquals(frame, channel.readInbound());
    }

    @Test
    void frameIsLengthPrefixedWithVarint() {
        ClientFrame frame = say(1, "x".repeat(200)); // body > 127 bytes: a two-byte prefix
        byte[] bytes = frameBytes(frame);
        int body = frame.getSerializedSize();
        assertEquals(0x80 | (body & 0x7F), bytes[0] & 0xFF);
        assertEquals(body >>> 7, bytes[1]);
        assertEquals(body + 2, bytes.length);
    }

    @Test
    void alreadySerializedMessageIsFramedByteForByteAsEncodeWould() {
        for (String text : new String[] {"", "x", "y".repeat(200), "z".repeat(20_000)}) {
            ClientFrame frame = say(3, text);
            ByteBuf viaEncode = FrameEncoder.encode(ByteBufAllocator.DEFAULT, frame);
            ByteBuf viaBytes = FrameEncoder.encodeSerialized(ByteBufAllocator.DEFAULT, frame.toByteArray());
            try {
                assertEquals(viaEncode, viaBytes, "text of " + text.length() + " chars");
                assertEquals(viaEncode.readableBytes(), viaBytes.capacity(), "exactly sized");
            } finally {
                viaEncode.release();
                viaBytes.release();
            }
        }
    }

    @Test
    void frameSplitIntoSingleBytesIsReassembled() {
        ClientFrame frame = say(42, "split me into pieces");
        byte[] bytes = frameBytes(frame);
        for (int i = 0; i < bytes.length - 1; i++) {
            assertFalse(channel.writeInbound(Unpooled.wrappedBuffer(bytes, i, 1)), "decoded before the last byte");
        }
        assertTrue(channel.writeInbound(Unpooled.wrappedBuffer(bytes, bytes.length - 1, 1)));
        assertEquals(frame, channel.readInbound());
    }

    @Test
    void coalescedFramesAreAllDecodedInOrder() {
        ByteBuf both = Unpooled.buffer();
        for (int i = 1; i <= 3; i++) {
            both.writeBytes(frameBytes(say(i, "message " + i)));
        }
        channel.writeInbound(both);
        for (int i = 1; i <= 3; i++) {
            assertEquals(say(i, "message " + i), channel.readInbound());
        }
        assertNull(channel.readInbound());
    }

    @Test
    void zeroLengthFrameIsAnEmptyMessage() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0}));
        ClientFrame empty = channel.readInbound();
        assertEquals(ClientFrame.BodyCase.BODY_NOT_SET, empty.getBodyCase());
    }

    @Test
    void oversizedLengthIsRejectedBeforeTheBodyArrives() {
        // Only the prefix of a frame one byte over the limit: the decoder must not wait for the body.
        ByteBuf prefix = Unpooled.buffer();
        writeVarint(prefix, MAX + 1);
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, () -> channel.writeInbound(prefix));
        assertEquals(MAX + 1, e.declaredBytes());
        assertEquals(MAX, e.maxFrameBytes());
    }

    @Test
    void frameOfExactlyTheLimitIsAccepted() {
        ByteBuf frame = Unpooled.buffer();
        writeVarint(frame, MAX);
        frame.writeZero(MAX); // MAX zero bytes are not a valid message, but they are a complete frame
        EmbeddedChannel framesOnly = new EmbeddedChannel(new FrameDecoder(MAX));
        assertTrue(framesOnly.writeInbound(frame));
        ByteBuf body = framesOnly.readInbound();
        assertEquals(MAX, body.readableBytes());
        body.release();
        assertFalse(framesOnly.finish());
    }

    @Test
    void bytesAfterAnOversizedFrameAreDiscarded() {
        ByteBuf bad = Unpooled.buffer();
        writeVarint(bad, MAX * 10);
        bad.writeBytes(frameBytes(say(1, "smuggled")));
        assertThrows(DecoderException.class, () -> channel.writeInbound(bad));
        channel.writeInbound(Unpooled.wrappedBuffer(frameBytes(say(2, "later"))));
        assertNull(channel.readInbound(), "nothing may be decoded once the stream is broken");
    }

    @Test
    void lengthsOfTwoGigabytesAndMoreAreTooLargeNotNegative() {
        for (byte[] prefix : new byte[][] {
                {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, // 2^32 - 1
                {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}, // 2^31
                {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}, // 35 bits
        }) {
            EmbeddedChannel fresh = new EmbeddedChannel(new FrameDecoder(MAX));
            FrameTooLargeException e = assertThrows(FrameTooLargeException.class,
                    () -> fresh.writeInbound(Unpooled.wrappedBuffer(prefix)));
            assertTrue(e.declaredBytes() >= 1L << 31, () -> "declared " + e.declaredBytes());
            assertFalse(fresh.finish());
        }
    }

    @Test
    void prefixLongerThanFiveBytesIsCorrupt() {
        byte[] garbage = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00};
        assertThrows(CorruptedFrameException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(garbage)));
    }

    @Test
    void garbageBodyFailsToParse() {
        Random random = new Random(1234);
        byte[] body = new byte[64];
        random.nextBytes(body);
        body[0] = (byte) 0xFF; // an invalid field tag, so the bytes cannot parse by luck
        ByteBuf frame = Unpooled.buffer();
        writeVarint(frame, body.length);
        frame.writeBytes(body);
        DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(frame));
        assertInstanceOf(InvalidProtocolBufferException.class, e.getCause());
    }

    @Test
    void invalidUtf8InAStringFieldFailsToParse() {
        // Say{room: "\xC3\x28"}: field 1 of Say, length 2, an invalid UTF-8 sequence.
        byte[] say = {0x0A, 0x02, (byte) 0xC3, 0x28};
        ByteBuf frame = Unpooled.buffer();
        writeVarint(frame, 2 + say.length);
        frame.writeByte(0x2A).writeByte(say.length).writeBytes(say); // ClientFrame field 5 (say)
        DecoderException e = assertThrows(DecoderException.class, () -> channel.writeInbound(frame));
        assertInstanceOf(InvalidProtocolBufferException.class, e.getCause());
    }

    @Test
    void encodedBufferIsReleasedAfterWriting() {
        ByteBuf encoded = FrameEncoder.encode(ByteBufAllocator.DEFAULT, say(3, "once"));
        channel.writeOutbound(encoded.retainedDuplicate());
        ByteBuf written = channel.readOutbound();
        assertEquals(encoded, written, "a pre-encoded frame passes through unchanged");
        written.release();
        encoded.release();
        assertEquals(0, encoded.refCnt());
    }

    private static void writeVarint(ByteBuf buf, int value) {
        while ((value & ~0x7F) != 0) {
            buf.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf.writeByte(value);
    }
}
