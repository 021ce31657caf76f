package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A commit whose answer does not come within Redis's command timeout (Redis paused with SIGSTOP)
 * is applied once Redis runs again: the node finds that out and gives the sender the normal answer,
 * not an {@code UNAVAILABLE} "nothing changed" that would make it say the line twice.
 */
class ClusterCommitTimeoutTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    /** The nodes' Redis command timeout (HotPochatoServer's). */
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(5);

    /** A node timeout longer than the pause: the nodes stay alive in the cluster throughout. */
    private final NodePerClient nodes = new NodePerClient(REDIS, o -> o.clusterNodeTimeout(Duration.ofSeconds(60)));

    @AfterEach
    void stop() throws Exception {
        REDIS.resume();
        nodes.close();
    }

    @Test
    void aSayCommittedAfterItsAnswerTimedOutIsAcknowledgedNotRefused() throws Exception {
        TestClient alice = nodes.client("alice");
        TestClient bob = nodes.client("bob");
        NodePerClient.joinAll("tea", alice, bob);

        REDIS.pause();
        long id = alice.say("tea", "during the pause");
        // Past the command timeout, which is the condition under test; a bounded wait on the wall clock.
        long until = System.nanoTime() + REDIS_TIMEOUT.plusMillis(1_500).toNanos();
        while (System.nanoTime() < until) {
            Thread.sleep(50);
        }
        REDIS.resume();

        ServerFrame answer = alice.await(f -> f.getRequestId() == id);
        assertEquals(BodyCase.SAID, answer.getBodyCase(), answer::toString);
        assertEquals("during the pause", answer.getSaid().getText());
        assertEquals("during the pause", bob.expect(BodyCase.SAID).getSaid().getText());
        assertEquals("bob", bob.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        bob.expectNothingMore("tea");
    }
}
