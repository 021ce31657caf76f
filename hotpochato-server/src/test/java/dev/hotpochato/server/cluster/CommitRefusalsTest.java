package dev.hotpochato.server.cluster;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A stopping node's refused commits are expected (counted for one line); any other refusal is a real failure (a WARN each). */
class CommitRefusalsTest {

    private static final Throwable FENCED = new CompletionException(
            new RedisCommandExecutionException("FENCED this node is not alive in the cluster"));

    @Test
    void aFencedRefusalBeforeTheNodeLeavesTheClusterIsARealFailure() {
        CommitRefusals refusals = new CommitRefusals();
        assertFalse(refusals.expected(FENCED), "declared dead by the cluster: worth a WARN");
        assertEquals(0, refusals.whileStopping());
    }

    @Test
    void fencedRefusalsAfterTheNodeLeftAsItStopsAreCountedAndOtherFailuresStayReal() {
        CommitRefusals refusals = new CommitRefusals();
        refusals.leavingCluster();
        for (int i = 0; i < 300; i++) {
            assertTrue(refusals.expected(FENCED));
        }
        assertFalse(refusals.expected(new RedisCommandTimeoutException("Command timed out after 5 second(s)")));
        assertFalse(refusals.expected(new RedisCommandExecutionException("ERR something else")));
        assertEquals(300, refusals.whileStopping());
    }
}
