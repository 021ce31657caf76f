package dev.hotpochato.client;

import java.util.Optional;

/**
 * A public room as {@link Session#listRooms()} lists it.
 *
 * @param name       the room's name
 * @param members    how many members it has
 * @param holder     who holds the turn; empty while the room waits for a second member
 * @param password   true if joining needs a password
 * @param inviteOnly true if only invited names may join
 * @param policy     how the room shares its floor ({@link TurnPolicy#UNKNOWN} for a policy this client does not know)
 */
public record RoomInfo(String name, int members, Optional<String> holder, boolean password, boolean inviteOnly,
                       TurnPolicy policy) {
}
