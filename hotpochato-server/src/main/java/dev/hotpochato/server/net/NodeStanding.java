package dev.hotpochato.server.net;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether this server still stands as a node of its cluster. Asked before a decision that a node
 * the cluster declared dead must leave to fencing, because its reason may be the node's own pause:
 * a client that looks silent for the idle timeout when the node itself was stopped (a long GC,
 * {@code SIGSTOP}) is not idle, and its node, fenced, closes it with {@code SERVER_SHUTTING_DOWN}
 * (resumable elsewhere) instead; and before a handshake is answered, since a node declared dead
 * welcomes nobody. Any thread.
 */
@FunctionalInterface
public interface NodeStanding {

    /** What a node the cluster declared dead says to each client as it sends it away ({@code SERVER_SHUTTING_DOWN}). */
    String FENCED_GOODBYE = "this node lost its place in the cluster: resume on another node";

    /** A server that is no cluster's node: it always stands. */
    NodeStanding SINGLE = () -> CompletableFuture.completedFuture(true);

    /**
     * True while the node is alive in its cluster (at once, unless its liveness is in doubt: then
     * once Redis has answered), false once it was declared dead; never completes exceptionally.
     */
    CompletionStage<Boolean> confirmed();
}
