package dev.hotpochato.client;

/** The state of a floor request (as in BFCP, RFC 8855), as {@link FloorUpdate#state()} reports it. */
public enum FloorState {
    /** Queued: {@link FloorUpdate#queue()} gives its position. */
    PENDING,
    /** The member holds the floor; its turn follows. */
    GRANTED,
    /** The holder's turn ended by itself (said its last message, passed, ran out of time, went away, left). */
    RELEASED,
    /** A chair took the floor back ({@link FloorUpdate#reason()} says why), or the holder was muted. */
    REVOKED,
    /** A chair turned the request down, or its member was muted. */
    DENIED,
    /** Its member took it back, went away or left. */
    WITHDRAWN,
    /** Round robin: an audience member's raised hand was accepted by a chair; it joined the speakers. */
    ACCEPTED,
    /** A state this client does not know. */
    UNKNOWN
}
