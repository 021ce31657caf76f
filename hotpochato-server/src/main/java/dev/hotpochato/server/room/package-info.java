/**
 * Rooms as the server runs them: the {@link dev.hotpochato.server.room.RoomStore} the network layer
 * calls, and {@link dev.hotpochato.server.room.MemoryRoomStore}, which keeps each room on one of
 * the server's event loops ({@link dev.hotpochato.server.room.RoomShard}), applies the turn rules
 * ({@code server.room.rules}) there, keeps the room's history, runs its turn timer and delivers its
 * events, encoded once ({@code server.room.wire}), to the members' connections through a
 * {@link dev.hotpochato.server.room.RoomOutput}.
 *
 * <p>The boundary with the network layer is small: a session is a
 * {@link dev.hotpochato.server.room.Participant} (its id, name, connection, room slots, and two
 * callbacks naming the rooms it joined and left); everything else is a call on the store, or on
 * the {@link dev.hotpochato.server.room.Matchmaker}.
 */
package dev.hotpochato.server.room;
