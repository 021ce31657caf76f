package dev.hotpochato.server.room.rules;

/**
 * A numbered room event, as data: what every connected member of the room is told, in {@link #seq}
 * order, and what is kept for members that resume. Each names the session it is about (where there
 * is one) as well as its display name, so that delivery can tell who it concerns without the wire.
 *
 * <p>Who receives an event: every member present (not away) when it happens, except that a
 * {@link MemberJoined} is not sent to the joiner (its {@code Joined} snapshot includes it), a
 * {@link MemberLeft} or {@link MemberAway} is not sent to the member it is about, and a
 * {@link MemberBack} is sent to the returning member too.
 */
public sealed interface RoomEvent {

    /** The room's sequence number of this event: 1, 2, 3, ... without gaps. */
    long seq();

    record MemberJoined(long seq, long sessionId, String name) implements RoomEvent {
    }

    record MemberLeft(long seq, long sessionId, String name, LeaveReason reason) implements RoomEvent {
    }

    /** @param durationMillis the turn's length; 0 (with deadline 0) for no limit */
    record TurnGranted(long seq, long sessionId, String holder, long turn, long deadlineMillis,
                       long durationMillis) implements RoomEvent {
    }

    record Said(long seq, long sessionId, String speaker, String text, long timeMillis, long turn)
            implements RoomEvent {
    }

    record Passed(long seq, long sessionId, String name, long turn) implements RoomEvent {
    }

    record TurnExpired(long seq, long sessionId, String name, long turn) implements RoomEvent {
    }

    record TurnSkipped(long seq, long sessionId, String name, long turn) implements RoomEvent {
    }

    record MemberAway(long seq, long sessionId, String name) implements RoomEvent {
    }

    record MemberBack(long seq, long sessionId, String name) implements RoomEvent {
    }

    record RoomClosed(long seq, String reason) implements RoomEvent {
    }

    // ------------------------------------------------------------------ floor control

    /**
     * A floor request changed state ({@code FloorUpdate}).
     *
     * @param queue          the pending requests after the change, head first (names)
     * @param by             the chair who granted, revoked or denied; "" otherwise
     * @param reason         the chair's reason, or the server's; "" for none
     * @param talkTimeMillis for {@link FloorState#GRANTED}: the turn's length (0: no limit); for {@link FloorState#REVOKED}
     *                       with a revoke grace: how long the holder may still finish (0: none)
     */
    record FloorUpdate(long seq, long sessionId, String name, FloorState state, java.util.List<String> queue,
                       String by, String reason, long talkTimeMillis) implements RoomEvent {
    }

    /** Nobody holds the floor of a QUEUE or MODERATED room, and (QUEUE) nobody is queued. */
    record FloorIdle(long seq) implements RoomEvent {
    }

    /**
     * {@code name} became a chair: appointed by {@code by}, or by succession ({@code by} ""); or,
     * with {@code steppedDown}, {@code name} stepped down and is a chair no more ({@code by} is itself).
     */
    record ChairChanged(long seq, long sessionId, String name, String by, boolean steppedDown) implements RoomEvent {
        /** A member becoming a chair. */
        public ChairChanged(long seq, long sessionId, String name, String by) {
            this(seq, sessionId, name, by, false);
        }
    }

    record MemberMuted(long seq, long sessionId, String name, boolean muted, String by) implements RoomEvent {
    }

    /**
     * A chair removed a member ({@code MemberLeft} with reason {@code REMOVED}): like
     * {@link MemberLeft}, not sent to the member it is about (it gets a {@code Left}).
     */
    record MemberRemoved(long seq, long sessionId, String name, String by, String message) implements RoomEvent {
    }

    /** {@code name} moved to the audience ({@code audience}) or to the speakers; {@code by} "" when a grant moved it. */
    record MemberMoved(long seq, long sessionId, String name, boolean audience, String by) implements RoomEvent {
    }

    /** The room ended by its end rule {@code rule} ({@code RoomClosed} with {@code ended_by}). */
    record RoomEnded(long seq, EndRule rule, String reason) implements RoomEvent {
    }
}
