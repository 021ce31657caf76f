package dev.hotpochato.server.net;

import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.room.Matchmaker;
import dev.hotpochato.server.room.RoomStore;

/**
 * What every connection of one server shares.
 *
 * @param sessionIds new session ids: unique for the server's life (in a cluster, across its nodes)
 */
record ServerContext(ServerOptions options, RoomStore rooms, Matchmaker matchmaker, Sessions sessions,
                     java.util.function.LongSupplier sessionIds) {
}
