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
    UNAVAILABLE
}
