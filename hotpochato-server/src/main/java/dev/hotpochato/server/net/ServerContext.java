package dev.hotpochato.server.net;

import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.room.Matchmaker;
import dev.hotpochato.server.room.RoomStore;

/** What every connection of one server shares. */
record ServerContext(ServerOptions options, RoomStore rooms, Matchmaker matchmaker, ResumeTokens tokens,
                     AddressLedger addresses) {
}
