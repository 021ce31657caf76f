package dev.hotpochato.server.room.rules;

/**
 * What may happen to a room: a member's request, the end of a session, a timer, the server. Every
 * command names its room. Commands are plain values: a store may log, retry or ship them.
 *
 * <p>Sessions are named by id ({@code sessionId}, unique across the server, or across a cluster)
 * and display name; the rules never see a connection.
 */
public sealed interface RoomCommand {

    String room();

    /**
     * {@code Join}: admit the session at the end of the rotation, creating the room with
     * {@code settings} if it does not exist.
     *
     * @param slotTaken the caller has taken one of the session's room slots for this join (see
     *                  {@link RoomRules#joinNeedsSlot}); if false, the join is refused with
     *                  {@link Refusal#TOO_MANY_ROOMS} where it would otherwise need one
     * @param settings  the room's settings if this join creates it; ignored otherwise
     * @param audience  join as audience (listen, no turns until moved to the speakers); ignored for the creator
     */
    record Join(String room, long sessionId, String name, long requestId, String password, boolean slotTaken,
                RoomSettings settings, boolean audience) implements RoomCommand {

        /** A join as a speaker. */
        public Join(String room, long sessionId, String name, long requestId, String password, boolean slotTaken,
                    RoomSettings settings) {
            this(room, sessionId, name, requestId, password, slotTaken, settings, false);
        }
    }

    /** {@code Leave} ({@link LeaveReason#LEFT}), or the end of a session for another reason. */
    record Leave(String room, long sessionId, long requestId, LeaveReason reason) implements RoomCommand {
    }

    record Say(String room, long sessionId, long requestId, String text) implements RoomCommand {
    }

    record Pass(String room, long sessionId, long requestId) implements RoomCommand {
    }

    record Invite(String room, long sessionId, long requestId, String invitee) implements RoomCommand {
    }

    /** The session's connection is lost; it may resume. */
    record Away(String room, long sessionId) implements RoomCommand {
    }

    /** The session resumed: replay what it missed after {@code lastSeenSeq}, then it is back. */
    record Back(String room, long sessionId, long lastSeenSeq) implements RoomCommand {
    }

    /**
     * The timer of turn {@code turn} ran out. Whoever owns the timer submits it when the room's
     * deadline has passed; a turn that already ended makes it a no-op, so a stale or duplicate
     * timer (two nodes racing) changes nothing.
     */
    record ExpireTurn(String room, long turn) implements RoomCommand {
    }

    /** Close the room; {@code reason} is told to the members, or null to close it silently. */
    record Close(String room, String reason) implements RoomCommand {
    }

    /**
     * Create the private room of a matched pair and admit both, {@code first} (the longer waiter)
     * first. Their names differ and their room slots are already taken.
     */
    record AdmitPair(String room, RoomSettings settings, Pairing first, Pairing second) implements RoomCommand {
    }

    /** One side of a pair: the session, its name, and the request id of its {@code Match}. */
    record Pairing(long sessionId, String name, long matchRequestId) {
    }

    // ------------------------------------------------------------------ floor control

    /** A floor-control request of a member: answered like any request, by its {@link #requestId()}. */
    sealed interface FloorCommand extends RoomCommand {
        long sessionId();

        long requestId();
    }

    /** {@code RaiseHand}: ask for the floor (QUEUE, MODERATED). */
    record RaiseHand(String room, long sessionId, long requestId) implements FloorCommand {
    }

    /** {@code Withdraw}: take back one's pending floor request. */
    record Withdraw(String room, long sessionId, long requestId) implements FloorCommand {
    }

    /**
     * {@code Grant}: a chair gives the floor to {@code member}, or to the head of the queue if it is
     * empty, for {@code talkTimeMillis} (0: the room's turn timeout). MODERATED only.
     */
    record Grant(String room, long sessionId, long requestId, String member, long talkTimeMillis)
            implements FloorCommand {
    }

    /** {@code Revoke}: a chair takes the floor back from its holder. MODERATED only. */
    record Revoke(String room, long sessionId, long requestId, String reason) implements FloorCommand {
    }

    /** {@code Deny}: a chair turns down {@code member}'s pending request. MODERATED only. */
    record Deny(String room, long sessionId, long requestId, String member, String reason) implements FloorCommand {
    }

    /** {@code AppointChair}: a chair makes {@code member} a chair too. */
    record AppointChair(String room, long sessionId, long requestId, String member) implements FloorCommand {
    }

    /** {@code StepDown}: a chair stops being one (the longest-present other member succeeds the last). */
    record StepDown(String room, long sessionId, long requestId) implements FloorCommand {
    }

    /** {@code Mute}: a chair mutes ({@code muted}) or unmutes {@code member}. */
    record Mute(String room, long sessionId, long requestId, String member, boolean muted) implements FloorCommand {
    }

    /** {@code Remove}: a chair removes {@code member} from the room. */
    record Remove(String room, long sessionId, long requestId, String member, String reason) implements FloorCommand {
    }

    /** {@code Move}: a chair moves {@code member} to the audience ({@code audience}) or to the speakers. */
    record Move(String room, long sessionId, long requestId, String member, boolean audience) implements FloorCommand {
    }

    /**
     * The room's wake-up time ({@link Floor#wakeAtMillis}) has come: a talk-time warning is due, or
     * the room's time is up. Whoever owns the timers submits it; anything not yet due is left as
     * it is, so a stale or duplicate wake-up changes nothing.
     */
    record Wake(String room) implements RoomCommand {
    }
}
