package dev.hotpochato.server.room.rules;

/**
 * A message for one session rather than for the whole room: an answer to its request, a refusal,
 * or what a resuming member is sent. Not numbered.
 *
 * <p>{@link #afterSeq} places it among the room's events: the session must get it after every event
 * numbered up to {@code afterSeq} that it receives and before every later one. (A {@code Joined}
 * snapshot taken when the room's seq was 7 must reach its member before event 8.)
 */
public sealed interface RoomReply {

    long sessionId();

    /** The request this answers; 0 for none. */
    long requestId();

    long afterSeq();

    /** The answer to {@code Join}, or a fresh view after {@link HistoryLost} or for a pair. */
    record Joined(long sessionId, long requestId, long afterSeq, RoomView room) implements RoomReply {
    }

    /** The answer to {@code Leave}. */
    record Left(long sessionId, long requestId, long afterSeq) implements RoomReply {
    }

    /** The answer to {@code Invite}. */
    record Invited(long sessionId, long requestId, long afterSeq, String invitee) implements RoomReply {
    }

    /** The answer to {@code Match}: a private room was made with {@code partner}. */
    record Paired(long sessionId, long requestId, long afterSeq, String partner, boolean first)
            implements RoomReply {
    }

    /** The request was turned down; nothing changed. */
    record Refused(long sessionId, long requestId, long afterSeq, Refusal refusal, String message)
            implements RoomReply {
    }

    /** After a resume: the events after {@code lastSeenSeq} are no longer kept; a {@link Joined} follows. */
    record HistoryLost(long sessionId, long requestId, long afterSeq, long oldestSeq, long lastSeenSeq)
            implements RoomReply {
    }

    /**
     * After a resume: the kept events {@code fromSeq..toSeq} (inclusive), as they were sent the
     * first time, from the store's history. The rules only ask for events the history still keeps
     * (the latest {@link RoomSettings#historySize()}).
     */
    record Replay(long sessionId, long requestId, long afterSeq, long fromSeq, long toSeq) implements RoomReply {
    }

    /**
     * After a resume: how long the current turn has left. A replayed {@code TurnGranted} carries the
     * turn's full length as of its grant, which may be long past.
     */
    record TurnTimeLeft(long sessionId, long requestId, long afterSeq, long turn, String holder,
                        long remainingMillis, long deadlineMillis) implements RoomReply {
    }

    /** To a member a chair removed: {@code Left} with reason {@code REMOVED}. */
    record Removed(long sessionId, long requestId, long afterSeq, String by, String message) implements RoomReply {
    }

    /** To the holder, {@link FloorRules#warningMillis()} before its turn runs out ({@code TurnWarning}). */
    record TurnWarning(long sessionId, long requestId, long afterSeq, long turn, long remainingMillis)
            implements RoomReply {
    }

    /** A move to where the member is already: the answer to the requester alone ({@code MemberMoved}, seq 0). */
    record MoveUnchanged(long sessionId, long requestId, long afterSeq, String member, boolean audience, String by)
            implements RoomReply {
    }

    /**
     * A request that changed nothing (muting a muted member): its answer, the current state of
     * things, to the requester alone ({@code MemberMuted} with seq 0).
     */
    record MuteUnchanged(long sessionId, long requestId, long afterSeq, String member, boolean muted, String by)
            implements RoomReply {
    }

    /** A StepDown by the room's only member: it stays chair (a room always has one); nothing changed. */
    record StepDownUnchanged(long sessionId, long requestId, long afterSeq, String member) implements RoomReply {
    }
}
