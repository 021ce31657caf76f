package dev.hotpochato.server.net;

import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.room.Lobby;
import dev.hotpochato.server.room.Rooms;

/** What every connection of one server shares. */
record ServerContext(ServerOptions options, Rooms rooms, Lobby lobby, Sessions sessions) {

    /** Reported in {@code Welcome.server_version}. */
    static final String VERSION = "0.1.0";
}
