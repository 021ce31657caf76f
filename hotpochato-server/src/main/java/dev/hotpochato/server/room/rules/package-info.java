/**
 * The turn rules as a pure state machine: {@link dev.hotpochato.server.room.rules.RoomRules#apply}
 * takes a room's {@link dev.hotpochato.server.room.rules.RoomState} and a
 * {@link dev.hotpochato.server.room.rules.RoomCommand} and gives the new state, the numbered
 * {@link dev.hotpochato.server.room.rules.RoomEvent}s, the replies and the effects
 * ({@link dev.hotpochato.server.room.rules.RoomOutcome}).
 *
 * <p>Plain Java only: no Netty, no channels, no protobuf, no clock. Stores (in memory, or shared)
 * keep the state, deliver the events and run the timers; {@code server.room.wire} maps the events to
 * frames. {@code RulesArePureTest} keeps it so.
 */
package dev.hotpochato.server.room.rules;
