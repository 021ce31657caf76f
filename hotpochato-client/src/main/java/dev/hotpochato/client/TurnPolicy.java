package dev.hotpochato.client;

/** How a room decides who holds the turn; chosen by the join that creates the room ({@link JoinOptions.Builder#policy}). */
public enum TurnPolicy {
    /** Members take turns in join order (the default). */
    ROUND_ROBIN,
    /**
     * Members raise a hand ({@link RoomHandle#raiseHand()}); requests queue first come, first served,
     * and the head of the queue gets the turn. With nobody queued the floor is idle.
     */
    QUEUE,
    /** Members raise a hand; a chair gives the floor ({@link RoomHandle#grant}), revokes it and denies requests. */
    MODERATED,
    /** A policy this client does not know (sent by a newer server). */
    UNKNOWN
}
