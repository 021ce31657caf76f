package dev.hotpochato.server.room.rules;

/**
 * A public room as {@code ListRooms} shows it.
 *
 * @param holder the holder's name, or "" while the room waits
 * @param policy how the room shares its floor
 */
public record RoomListing(String name, int members, String holder, boolean password, boolean inviteOnly,
                          TurnPolicy policy) {
}
