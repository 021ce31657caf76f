package dev.hotpochato.server.room.rules;

/** The state of one floor request, as in BFCP (RFC 8855); protocol {@code FloorState}. */
public enum FloorState {
    /** Queued. */
    PENDING,
    /** Its member holds the floor. */
    GRANTED,
    /** The holder's turn ended by itself (said its last message, passed, expired, went away, left). */
    RELEASED,
    /** A chair took the floor back, or the holder was muted. */
    REVOKED,
    /** A chair turned the request down, or its member was muted. */
    DENIED,
    /** Its member took it back, went away or left. */
    WITHDRAWN,
    /** Round robin: an audience member's raised hand was accepted; it joined the speakers. */
    ACCEPTED
}
