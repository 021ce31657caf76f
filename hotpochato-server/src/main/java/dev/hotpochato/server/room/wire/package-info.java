/**
 * The room rules' events and replies as protocol frames, and the wire's room options as the rules'
 * settings: the only place where {@code server.room.rules} meets the protocol.
 */
package dev.hotpochato.server.room.wire;
