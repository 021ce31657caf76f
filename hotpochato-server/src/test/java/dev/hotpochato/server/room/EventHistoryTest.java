package dev.hotpochato.server.room;

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
}
