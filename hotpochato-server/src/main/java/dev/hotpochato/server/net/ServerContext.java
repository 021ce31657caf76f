package dev.hotpochato.server.net;

import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.room.Lobby;
import dev.hotpochato.server.room.Rooms;

/** What every connection of one server shares. */
record ServerContext(ServerOptions options, Rooms rooms, Lobby lobby, Sessions sessions) {
}
