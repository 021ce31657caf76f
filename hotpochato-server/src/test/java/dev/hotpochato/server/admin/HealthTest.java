package dev.hotpochato.server.admin;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ready means serving, not stopping, and every condition up; live means every event loop runs tasks. */
class HealthTest {

    private final DefaultEventLoopGroup loops = new DefaultEventLoopGroup(2);
    private final DefaultEventLoop timer = new DefaultEventLoop();

    @AfterEach
    void stop() {
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        timer.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void readyOnlyWhileServingWithEveryConditionUp() {
        Health health = new Health(loops);
        assertEquals("starting", health.readiness());
        health.serving();
        assertTrue(health.ready());
        Health.Condition engine = health.condition("engine");
        Health.Condition disk = health.condition("disk");
        engine.down("unreachable");
        disk.down(null);
        assertEquals("engine: unreachable; disk: down", health.readiness());
        engine.up();
        disk.up();
        assertNull(health.readiness());
        health.stopping();
        assertEquals("shutting down", health.readiness(), "never ready again once shutdown starts");
        assertFalse(health.ready());
    }

    @Test
    void liveWhenEveryLoopRunsATask() throws Exception {
        Health health = new Health(loops);
        assertNull(health.liveness(timer, Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS));
    }

    @Test
    void notLiveWhileALoopIsBlocked() throws Exception {
        Health health = new Health(loops);
        EventExecutor second = loops.next();
        second = loops.next(); // the group hands out its loops in turn
        CountDownLatch release = new CountDownLatch(1);
        second.execute(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            // The blocked loop cannot answer however long the deadline: the verdict does not depend on timing.
            String verdict = health.liveness(timer, Duration.ofMillis(200)).get(60, TimeUnit.SECONDS);
            assertTrue(verdict != null && verdict.startsWith("1 of 2 event loops did not run a task within 200 ms"), verdict);
        } finally {
            release.countDown();
        }
        assertNull(health.liveness(timer, Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS));
    }

    @Test
    void aServerShuttingDownOnPurposeIsLive() throws Exception {
        Health health = new Health(loops);
        health.stopping();
        loops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        assertNull(health.liveness(timer, Duration.ofSeconds(30)).get(60, TimeUnit.SECONDS));
    }
}
