package dev.hotpochato.server.room.rules;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatchQueueTest {

    private final MatchQueue queue = new MatchQueue();

    @Test
    void theLongestWaiterWithAnotherNameIsTakenFirst() {
        assertNull(queue.offer(new MatchQueue.Waiter(1, "sam", 10)));
        assertNull(queue.offer(new MatchQueue.Waiter(2, "sam", 20)), "two sams wait for someone else");
        assertEquals(1, queue.offer(new MatchQueue.Waiter(3, "ann", 30)).sessionId(), "ann takes the first sam");
        assertEquals(1, queue.size());
        assertTrue(queue.isWaiting(2));
        assertFalse(queue.isWaiting(1));
        assertEquals(2, queue.offer(new MatchQueue.Waiter(4, "kim", 40)).sessionId());
        assertEquals(0, queue.size());
    }

    @Test
    void aWaiterCanBeRemovedOnceAndNotOfferedTwice() {
        queue.offer(new MatchQueue.Waiter(1, "a", 10));
        assertThrows(IllegalStateException.class, () -> queue.offer(new MatchQueue.Waiter(1, "a", 11)));
        assertEquals(10, queue.remove(1).requestId());
        assertNull(queue.remove(1));
        assertEquals(0, queue.size());
    }
}
