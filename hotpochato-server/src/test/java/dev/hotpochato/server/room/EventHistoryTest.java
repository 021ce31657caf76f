package dev.hotpochato.server.room;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventHistoryTest {

    @Test
    void keepsTheLatestEventsInOrderThroughWrapsAndGrowth() {
        for (int capacity : new int[] {1, 2, 3, 8, 50, 256}) {
            Random random = new Random(capacity);
            EventHistory history = new EventHistory(capacity);
            ArrayDeque<byte[]> model = new ArrayDeque<>();
            for (int n = 0; n < 5_000; n++) {
                // Mostly small events with the odd large one, so the byte ring both wraps and grows.
                int length = random.nextInt(20) == 0 ? random.nextInt(5_000) : random.nextInt(80);
                byte[] event = new byte[length];
                random.nextBytes(event);
                history.add(event);
                model.addLast(event);
                if (model.size() > capacity) {
                    model.removeFirst();
                }
                if (n % 97 == 0) {
                    assertSame(model, history, random.nextInt(capacity + 2) - 1);
                }
            }
            assertSame(model, history, 0);
        }
    }

    @Test
    void capacityZeroKeepsNothing() {
        EventHistory history = new EventHistory(0);
        history.add(new byte[] {1, 2, 3});
        assertEquals(0, history.size());
        history.forEachAfter(0, event -> {
            throw new AssertionError("nothing is kept");
        });
    }

    @Test
    void clearForgetsEverythingAndTheRingsAreUsableAgain() {
        EventHistory history = new EventHistory(4);
        for (int i = 0; i < 10; i++) {
            history.add(new byte[] {(byte) i});
        }
        history.clear();
        assertEquals(0, history.size());
        history.add(new byte[] {42});
        List<byte[]> kept = new ArrayList<>();
        history.forEachAfter(0, kept::add);
        assertEquals(1, kept.size());
        assertArrayEquals(new byte[] {42}, kept.get(0));
    }

    @Test
    void emptyEventsAreKeptAsEvents() {
        EventHistory history = new EventHistory(3);
        history.add(new byte[0]);
        history.add(new byte[] {7});
        history.add(new byte[0]);
        List<byte[]> kept = new ArrayList<>();
        history.forEachAfter(1, kept::add);
        assertEquals(2, kept.size());
        assertArrayEquals(new byte[] {7}, kept.get(0));
        assertArrayEquals(new byte[0], kept.get(1));
    }

    private static void assertSame(ArrayDeque<byte[]> model, EventHistory history, int skip) {
        assertEquals(model.size(), history.size());
        List<byte[]> kept = new ArrayList<>();
        history.forEachAfter(skip, kept::add);
        List<byte[]> expected = new ArrayList<>(model).subList(Math.min(Math.max(skip, 0), model.size()), model.size());
        assertEquals(expected.size(), kept.size());
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.get(i), kept.get(i), "event " + i + " after skipping " + skip);
        }
        assertTrue(history.toString().startsWith("EventHistory("));
    }

    @Test
    void eventsTakenFromABufferAreWrittenBackAsFramesEachBehindItsLength() {
        Random random = new Random(7);
        EventHistory history = new EventHistory(5);
        ArrayDeque<byte[]> model = new ArrayDeque<>();
        for (int n = 0; n < 200; n++) {
            byte[] event = new byte[random.nextInt(300)];
            random.nextBytes(event);
            ByteBuf src = Unpooled.buffer().writeZero(3).writeBytes(event).writeZero(2);
            history.add(src, 3, event.length);
            src.release();
            model.addLast(event);
            if (model.size() > 5) {
                model.removeFirst();
            }
            int skip = random.nextInt(model.size());
            int count = model.size() - skip - random.nextInt(model.size() - skip + 1);
            ByteBuf out = Unpooled.buffer();
            history.writeFrames(skip, count, out);
            assertEquals(history.framesSize(skip, count), out.readableBytes());
            List<byte[]> expected = new ArrayList<>(model).subList(skip, skip + count);
            for (byte[] e : expected) {
                int length = 0;
                for (int shift = 0; ; shift += 7) {
                    byte b = out.readByte();
                    length |= (b & 0x7F) << shift;
                    if (b >= 0) {
                        break;
                    }
                }
                byte[] got = new byte[length];
                out.readBytes(got);
                assertArrayEquals(e, got);
            }
            assertEquals(0, out.readableBytes());
            out.release();
        }
    }
}
