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
    NOT_MATCHING,
    /** A floor request whose talk time is above the room's turn timeout. */
    INVALID_OPTION,
    // Floor control.
    /** The request needs a chair. */
    NOT_A_CHAIR,
    /** The room's policy has no such request. */
    WRONG_POLICY,
    /** RaiseHand from a member with a pending request, or from the holder. */
    ALREADY_REQUESTED,
    /** Withdraw or Deny without a pending request; Grant of the head of an empty queue. */
    NOT_REQUESTED,
    /** Grant while someone holds the floor. */
    FLOOR_TAKEN,
    /** Revoke while nobody holds the floor. */
    FLOOR_IDLE,
    /** RaiseHand from, or Grant to, a muted member. */
    MUTED,
    /** A request names someone who is not a member. */
    UNKNOWN_MEMBER,
    /** AppointChair of a chair. */
    ALREADY_CHAIR,
    /** Grant to a member whose connection is lost. */
    MEMBER_AWAY,
    /** Remove, Deny or Mute (on) by a chair of itself. */
    SELF_TARGETED
}
