package dev.hotpochato.server.room.wire;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.Refusal;
import dev.hotpochato.server.room.rules.RoomEvent;
import org.junit.jupiter.api.Test;

import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RoomFramesTest {

    private final Random random = new Random(20261202);

    @Test
    void everyEventWrittenDirectlyIsByteForByteWhatTheBuilderSerializes() {
        for (int n = 0; n < 20_000; n++) {
            String room = text(64);
            RoomEvent e = event(room);
            byte[] expected = RoomFrames.toFrame(room, e).toByteArray();
            assertArrayEquals(expected, RoomFrames.serialize(room, e), () -> "event " + e + " in room '" + room + "'");
        }
    }

    @Test
    void anEventWrittenAtAnOffsetEndsWhereItsSizeSays() {
        for (int n = 0; n < 1_000; n++) {
            String room = text(10);
            RoomEvent e = event(room);
            int messageSize = RoomFrames.messageSize(room, e);
            int size = RoomFrames.frameBodySize(e, messageSize);
            byte[] out = new byte[size + 20];
            int at = random.nextInt(10);
            assertEquals(at + size, RoomFrames.writeFrameBody(out, at, room, e, messageSize));
        }
    }

    @Test
    void everyRefusalIsTheProtocolsErrorCodeOfTheSameName() {
        for (Refusal r : Refusal.values()) {
            assertEquals(r.name(), RoomFrames.code(r).name());
            assertEquals(Error.Code.valueOf(r.name()), RoomFrames.code(r));
        }
    }

    @Test
    void everyLeaveReasonMapsBothWays() {
        for (LeaveReason r : LeaveReason.values()) {
            assertEquals(r, RoomFrames.reason(RoomFrames.reason(r)));
            assertEquals(r.name(), RoomFrames.reason(r).name());
        }
    }

    private RoomEvent event(String room) {
        long seq = number();
        long session = random.nextLong();
        String name = text(32);
        long turn = number();
        return switch (random.nextInt(10)) {
            case 0 -> new RoomEvent.Said(seq, session, name, text(4096), number(), turn);
            case 1 -> new RoomEvent.TurnGranted(seq, session, name, turn, number(), random.nextInt(4) == 0 ? 0
                    : random.nextInt(Integer.MAX_VALUE));
            case 2 -> new RoomEvent.Passed(seq, session, name, turn);
            case 3 -> new RoomEvent.TurnExpired(seq, session, name, turn);
            case 4 -> new RoomEvent.TurnSkipped(seq, session, name, turn);
            case 5 -> new RoomEvent.MemberJoined(seq, session, name);
            case 6 -> new RoomEvent.MemberLeft(seq, session, name,
                    LeaveReason.values()[random.nextInt(LeaveReason.values().length)]);
            case 7 -> new RoomEvent.MemberAway(seq, session, name);
            case 8 -> new RoomEvent.MemberBack(seq, session, name);
            default -> new RoomEvent.RoomClosed(seq, text(100));
        };
    }

    /** 0, small, large and huge (up to 2^63-1 and beyond, as protobuf's unsigned 64-bit) numbers. */
    private long number() {
        return switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> random.nextInt(128);
            case 2 -> random.nextInt(1 << 21);
            case 3 -> random.nextLong() >>> random.nextInt(64);
            default -> random.nextLong();
        };
    }

    /** Empty, ASCII, two- and three-byte characters, astral pairs, and now and then a lone surrogate. */
    private String text(int max) {
        int length = random.nextInt(8) == 0 ? 0 : random.nextInt(max + 1);
        StringBuilder b = new StringBuilder();
        Function<Random, String> pick = r -> switch (r.nextInt(6)) {
            case 0, 1 -> String.valueOf((char) (' ' + r.nextInt(95)));
            case 2 -> String.valueOf((char) (0x80 + r.nextInt(0x780)));
            case 3 -> String.valueOf((char) (0x800 + r.nextInt(0xD000 - 0x800)));
            case 4 -> new String(Character.toChars(0x10000 + r.nextInt(0x100000)));
            default -> r.nextInt(20) == 0 ? String.valueOf((char) (0xD800 + r.nextInt(0x800))) : "é";
        };
        while (b.length() < length) {
            b.append(pick.apply(random));
        }
        return b.toString();
    }

    @Test
    void aServerFrameWithTheEventParsesBackToTheSameEvent() throws Exception {
        RoomEvent said = new RoomEvent.Said(7, 1, "alice", "hi ☕ 🎉", 1_700_000_000_000L, 3);
        ServerFrame parsed = ServerFrame.parseFrom(RoomFrames.serialize("tea", said));
        assertEquals("hi ☕ 🎉", parsed.getSaid().getText());
        assertEquals("tea", parsed.getSaid().getRoom());
        assertEquals(7, parsed.getSaid().getSeq());
    }
}
