package dev.hotpochato.server.room;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** EventHistory's Javadoc: "at worst they hold what capacity events of the largest frame size take". */
class EventHistoryBoundTest {

    @Test
    void ringNeverHoldsMoreThanCapacityLargestEvents() {
        int capacity = 256;
        int largest = 4_100; // a Said of max_text_bytes (4 KiB) plus its envelope
        EventHistory history = new EventHistory(capacity);
        history.add(new byte[largest - 1]);
        for (int i = 0; i < capacity; i++) {
            history.add(new byte[largest]);
        }
        String s = history.toString(); // EventHistory(n/cap events, used/length bytes)
        long ringBytes = Long.parseLong(s.substring(s.lastIndexOf('/') + 1, s.indexOf(" bytes")));
        assertTrue(ringBytes <= (long) capacity * largest, s + ": bound is " + (long) capacity * largest);
    }
}
