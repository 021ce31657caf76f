package dev.hotpochato.server.room.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The floor-control part of a room's state: chairs, the queue of floor requests, muted members,
 * and the counters of the current turn and of the end rules. Immutable: the rules replace it
 * ({@link RoomState#floor()}) rather than change it, so a store may share or serialize it as is.
 * Members are named by session id.
 *
 * @param chairs         the chairs, in the order they became chairs (the creator first)
 * @param queue          the pending floor requests, head first
 * @param muted          muted members: never granted the turn
 * @param saidThisTurn   how many things the holder has said in the current turn
 * @param turnsEnded     turns ended so far (for {@link FloorRules#endAfterTurns()})
 * @param createdMillis  when the room was created (for {@link FloorRules#endAfterMillis()})
 * @param stopPhraseSaid someone has said the stop phrase (sticky, for AND)
 * @param timeUp         {@link FloorRules#endAfterMillis()} has passed (sticky, for AND)
 * @param warnAtMillis   when the holder is to be warned that its turn runs out; 0 for no warning due
 * @param audience       members who listen without taking turns, until moved to the speakers
 * @param finishing      a chair revoked the holder's floor with a grace ({@link FloorRules#revokeGraceMillis()}):
 *                       it may still finish (one Say or a Pass) until its turn ends
 */
public record Floor(List<Long> chairs, List<Long> queue, List<Long> muted, int saidThisTurn, long turnsEnded,
                    long createdMillis, boolean stopPhraseSaid, boolean timeUp, long warnAtMillis,
                    List<Long> audience, boolean finishing) {

    public Floor {
        chairs = List.copyOf(chairs);
        queue = List.copyOf(queue);
        muted = List.copyOf(muted);
        audience = List.copyOf(audience);
    }

    /** As the canonical constructor, with no revoked holder finishing. */
    public Floor(List<Long> chairs, List<Long> queue, List<Long> muted, int saidThisTurn, long turnsEnded,
                 long createdMillis, boolean stopPhraseSaid, boolean timeUp, long warnAtMillis, List<Long> audience) {
        this(chairs, queue, muted, saidThisTurn, turnsEnded, createdMillis, stopPhraseSaid, timeUp, warnAtMillis,
                audience, false);
    }

    /** As the canonical constructor, with nobody in the audience. */
    public Floor(List<Long> chairs, List<Long> queue, List<Long> muted, int saidThisTurn, long turnsEnded,
                 long createdMillis, boolean stopPhraseSaid, boolean timeUp, long warnAtMillis) {
        this(chairs, queue, muted, saidThisTurn, turnsEnded, createdMillis, stopPhraseSaid, timeUp, warnAtMillis,
                List.of());
    }

    /** In the audience: listens, takes no turn until moved to the speakers. */
    public boolean isAudience(long sessionId) {
        return audience.contains(sessionId);
    }

    Floor withAudience(List<Long> a) {
        return new Floor(chairs, queue, muted, saidThisTurn, turnsEnded, createdMillis, stopPhraseSaid, timeUp,
                warnAtMillis, a, finishing);
    }

    /** The floor of a room created at {@code nowMillis}: no chairs yet, nobody queued or muted. */
    public static Floor created(long nowMillis) {
        return new Floor(List.of(), List.of(), List.of(), 0, 0, nowMillis, false, false, 0);
    }

    public boolean isChair(long sessionId) {
        return chairs.contains(sessionId);
    }

    public boolean isQueued(long sessionId) {
        return queue.contains(sessionId);
    }

    public boolean isMuted(long sessionId) {
        return muted.contains(sessionId);
    }

    /**
     * When the room needs waking up (a warning due, or the room's time running out), in ms since the
     * epoch; 0 for never. The store submits {@link RoomCommand.Wake} then.
     */
    public long wakeAtMillis(FloorRules rules) {
        long at = warnAtMillis;
        if (rules.endAfterMillis() > 0 && !timeUp) {
            long end = createdMillis + rules.endAfterMillis();
            at = at == 0 ? end : Math.min(at, end);
        }
        return at;
    }

    Floor withChairs(List<Long> c) {
        return new Floor(c, queue, muted, saidThisTurn, turnsEnded, createdMillis, stopPhraseSaid, timeUp, warnAtMillis, audience, finishing);
    }

    Floor withQueue(List<Long> q) {
        return new Floor(chairs, q, muted, saidThisTurn, turnsEnded, createdMillis, stopPhraseSaid, timeUp, warnAtMillis, audience, finishing);
    }

    Floor withMuted(List<Long> m) {
        return new Floor(chairs, queue, m, saidThisTurn, turnsEnded, createdMillis, stopPhraseSaid, timeUp, warnAtMillis, audience, finishing);
    }

    Floor withSaid(int n) {
        return new Floor(chairs, queue, muted, n, turnsEnded, createdMillis, stopPhraseSaid, timeUp, warnAtMillis, audience, finishing);
    }

    Floor withTurnsEnded(long n) {
        return new Floor(chairs, queue, muted, saidThisTurn, n, createdMillis, stopPhraseSaid, timeUp, warnAtMillis, audience, finishing);
    }

    Floor withStopPhraseSaid() {
        return new Floor(chairs, queue, muted, saidThisTurn, turnsEnded, createdMillis, true, timeUp, warnAtMillis, audience, finishing);
    }

    Floor withTimeUp() {
        return new Floor(chairs, queue, muted, saidThisTurn, turnsEnded, createdMillis, stopPhraseSaid, true, warnAtMillis, audience, finishing);
    }

    Floor withWarnAt(long at) {
        return new Floor(chairs, queue, muted, saidThisTurn, turnsEnded, createdMillis, stopPhraseSaid, timeUp, at, audience, finishing);
    }

    Floor withFinishing(boolean f) {
        return new Floor(chairs, queue, muted, saidThisTurn, turnsEnded, createdMillis, stopPhraseSaid, timeUp, warnAtMillis,
                audience, f);
    }

    static List<Long> plus(List<Long> list, long id) {
        List<Long> l = new ArrayList<>(list.size() + 1);
        l.addAll(list);
        l.add(id);
        return l;
    }

    static List<Long> minus(List<Long> list, long id) {
        List<Long> l = new ArrayList<>(list);
        l.remove(Long.valueOf(id));
        return l;
    }
}
