package dev.hotpochato.server.cluster;

import java.util.concurrent.atomic.LongAdder;

/**
 * Which refused commits are expected, and so not worth a WARN each: once a node stopping gracefully
 * has left the cluster ({@code hp_node_stop}), Redis refuses what is still queued on it
 * ({@code FENCED}: the {@code Away} of each member whose connection was closing, a {@code Say} in
 * flight), possibly thousands at once. Those are counted, for one summary line at the end of the
 * stop. A {@code FENCED} refusal before the node left (the cluster declared it dead) is a real
 * failure, as is any other. Any thread.
 */
final class CommitRefusals {

    private volatile boolean leftCluster;
    private final LongAdder whileStopping = new LongAdder();

    /** The node is leaving the cluster as it stops: its refusals from now on are expected. */
    void leavingCluster() {
        leftCluster = true;
    }

    /** Whether {@code failure} is a refusal of a node that left the cluster as it stops (then counted). */
    boolean expected(Throwable failure) {
        if (leftCluster && RedisEngine.refusedAsFenced(failure)) {
            whileStopping.increment();
            return true;
        }
        return false;
    }

    /** How many refusals {@link #expected} counted. */
    long whileStopping() {
        return whileStopping.sum();
    }
}
