package dev.hotpochato.client;

/**
 * Why the server refused a request; mirrors {@code Error.Code} of the protocol (see
 * {@code proto/hotpochato/v1/hotpochato.proto} for each code's exact rule).
 */
public enum ErrorCode {
    /** A code this client does not know (sent by a newer server). */
    UNKNOWN,
    PROTOCOL_VIOLATION,
    UNSUPPORTED_VERSION,
    INVALID_NAME,
    NAME_TAKEN,
    UNKNOWN_ROOM,
    NOT_A_MEMBER,
    NOT_YOUR_TURN,
    FRAME_TOO_LARGE,
    TEXT_TOO_LONG,
    ROOM_FULL,
    SERVER_SHUTTING_DOWN,
    EMPTY_TEXT,
    INVALID_ROOM_NAME,
    ALREADY_MEMBER,
    ALREADY_MATCHING,
    NOT_MATCHING,
    UNAUTHENTICATED,
    WRONG_PASSWORD,
    NOT_INVITED,
    TOO_MANY_ROOMS,
    TOO_MANY_CONNECTIONS,
    RATE_LIMITED,
    SLOW_CONSUMER,
    IDLE_TIMEOUT,
    RESUME_FAILED,
    INTERNAL,
    INVALID_OPTION,
    /** An invite-only room keeps as many invitations as it may (100): invite fewer names. */
    TOO_MANY_INVITATIONS,
    /** {@code Say} text holds a control character other than newline and tab. */
    INVALID_TEXT,
    /** Too many failed password (or authentication) attempts within the last minute: wait before trying again. */
    TOO_MANY_ATTEMPTS,
    /** The handshake did not complete within the server's handshake timeout. */
    HANDSHAKE_TIMEOUT,
    /** Cluster mode: the server's shared store (Redis) did not answer; nothing changed: send the request again. */
    UNAVAILABLE,
    // Floor control (turn policies): see RoomHandle#raiseHand and the chair's requests.
    /** The request needs a chair of the room. */
    NOT_A_CHAIR,
    /** The room's policy has no such request (a raised hand in a round-robin room, a grant outside a moderated one). */
    WRONG_POLICY,
    /** A raised hand from a member whose hand is up already, or from the holder. */
    ALREADY_REQUESTED,
    /** A withdraw or deny without a raised hand; a grant to the head of an empty queue. */
    NOT_REQUESTED,
    /** A grant while someone holds the floor: revoke it first. */
    FLOOR_TAKEN,
    /** A revoke while nobody holds the floor. */
    FLOOR_IDLE,
    /** A raised hand from, or a grant to, a muted member. */
    MUTED,
    /** The request names nobody in the room. */
    UNKNOWN_MEMBER,
    /** Appointing a chair who is one already. */
    ALREADY_CHAIR,
    /** A grant to a member whose connection is lost. */
    MEMBER_AWAY,
    /** A chair removing, denying or muting itself: leave the room or withdraw the hand instead. */
    SELF_TARGETED
}
