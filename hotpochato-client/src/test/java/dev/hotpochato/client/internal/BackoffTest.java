package dev.hotpochato.client.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

class BackoffTest {

    @Test
    void delaysDoubleFromTheFirstUpToTheCap() {
        Backoff noJitter = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), bound -> 0);
        assertEquals(100, noJitter.delayMillis(0));
        assertEquals(200, noJitter.delayMillis(1));
        assertEquals(800, noJitter.delayMillis(3));
        assertEquals(1000, noJitter.delayMillis(4));
        assertEquals(1000, noJitter.delayMillis(Integer.MAX_VALUE));
    }

    @Test
    void jitterTakesOffAtMostHalfOfEachDelay() {
        Backoff mostJitter = new Backoff(Duration.ofMillis(100), Duration.ofMillis(1000), bound -> bound);
        assertEquals(50, mostJitter.delayMillis(0));
        assertEquals(500, mostJitter.delayMillis(10));
    }
}
