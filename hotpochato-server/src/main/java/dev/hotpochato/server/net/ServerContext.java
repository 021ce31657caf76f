package dev.hotpochato.server.net;

import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.metrics.ServerMetrics;
import dev.hotpochato.server.room.Lobby;
import dev.hotpochato.server.room.RoomStore;

/**
 * What every connection of one server shares.
 *
 * @param sessionIds new session ids: unique for the server's life (in a cluster, across its nodes)
 * @param standing   whether the server still stands as a node of its cluster ({@link NodeStanding#SINGLE} alone)
 */
record ServerContext(ServerOptions options, RoomStore rooms, Lobby matchmaker, ResumeTokens tokens,
                     AddressLedger addresses, ServerMetrics metrics, java.util.function.LongSupplier sessionIds,
                     NodeStanding standing) {

    /** Session ids of the servers of this process that are not cluster nodes. */
    private static final java.util.concurrent.atomic.AtomicLong NEXT_SESSION_ID =
            new java.util.concurrent.atomic.AtomicLong(1);

    /** A server that numbers its sessions itself (not a cluster node). */
    ServerContext(ServerOptions options, RoomStore rooms, Lobby matchmaker, ResumeTokens tokens,
                  AddressLedger addresses, ServerMetrics metrics) {
        this(options, rooms, matchmaker, tokens, addresses, metrics, NEXT_SESSION_ID::getAndIncrement,
                NodeStanding.SINGLE);
    }

    /** Without metrics (tests). */
    ServerContext(ServerOptions options, RoomStore rooms, Lobby matchmaker, ResumeTokens tokens,
                  AddressLedger addresses) {
        this(options, rooms, matchmaker, tokens, addresses, ServerMetrics.discarding());
    }
}
