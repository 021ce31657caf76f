package dev.hotpochato.server.room;

import dev.hotpochato.server.room.rules.RoomListing;

import java.util.List;

/**
 * One page of the public rooms, sorted by name.
 *
 * @param nextAfter the name to list after for the next page; "" if this is the last
 */
public record RoomPage(List<RoomListing> rooms, String nextAfter) {
}
