package dev.hotpochato.server;

import dev.hotpochato.server.cluster.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis loses its data while a node runs (restarted without its append-only file; here FLUSHALL):
 * a node started after that must not get the generation the running one has, or the two would
 * hand out the same session ids, pair room names and channel, and a crash of one would be taken
 * for the other's (an outside tester saw a node's members never marked away).
 */
class ClusterGenerationTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private final NodePerClient nodes = new NodePerClient(REDIS);

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aNodeStartedAfterRedisLostItsDataGetsAGenerationNoRunningNodeHas() throws Exception {
        assertEquals("+OK", REDIS.command("FLUSHALL"));
        nodes.client("alice");
        long running = Long.parseLong(REDIS.bulk("GET hp:node:generation"));
        // Redis's clock in seconds since 2026-01-01, not 1: a counter that was missing starts there.
        assertTrue(running > 10_000_000, "generation " + running);

        assertEquals("+OK", REDIS.command("FLUSHALL"));
        // The running node's next heartbeat (one a second by default) puts its generation back.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!String.valueOf(running).equals(REDIS.bulk("GET hp:node:generation"))) {
            assertTrue(System.nanoTime() < deadline, "the running node did not put its generation back");
            Thread.sleep(20); // waiting on the node's heartbeat thread, with a deadline
        }
        nodes.client("bob");
        long started = Long.parseLong(REDIS.bulk("GET hp:node:generation"));
        assertTrue(started > running, "the new node's generation " + started + ", the running one's " + running);
    }
}
