package dev.hotpochato.server.net;

import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.room.Matchmaker;
import dev.hotpochato.server.room.Rooms;

/** What every connection of one server shares. */
record ServerContext(ServerOptions options, Rooms rooms, Matchmaker matchmaker, ResumeTokens tokens,
                     AddressLedger addresses) {
}
