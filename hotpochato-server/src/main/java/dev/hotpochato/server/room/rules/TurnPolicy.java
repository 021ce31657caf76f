package dev.hotpochato.server.room.rules;

/** How a room decides who holds the turn; fixed when the room is created (protocol {@code TurnPolicy}). */
public enum TurnPolicy {
    /** Members take turns in join order. */
    ROUND_ROBIN,
    /** Members raise a hand; requests queue first come, first served; the head gets the turn. */
    QUEUE,
    /** Members raise a hand; a chair grants the floor, revokes it and denies requests. */
    MODERATED
}
