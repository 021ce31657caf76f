package dev.hotpochato.server.room.rules;

/**
 * Why the rules turned a request down. Each is sent to the requester as the protocol's
 * {@code Error.Code} of the same name, not fatal, and nothing in the room changes.
 */
public enum Refusal {
    ALREADY_MEMBER,
    UNKNOWN_ROOM,
    WRONG_PASSWORD,
    NOT_INVITED,
    TOO_MANY_ROOMS,
    NAME_TAKEN,
    ROOM_FULL,
    NOT_A_MEMBER,
    NOT_YOUR_TURN,
    EMPTY_TEXT,
    TEXT_TOO_LONG,
    /** The room keeps {@link RoomRules#MAX_INVITATIONS} invitations already. */
    TOO_MANY_INVITATIONS,
    ALREADY_MATCHING,
    NOT_MATCHING
}
