package dev.hotpochato.server.room.rules;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The strangers waiting to be paired, in arrival order: the rule of matching without the threads,
 * slots and rooms around it (see {@code server.room.Matchmaker}), so that it can live in another
 * store. Not thread-safe: its owner is one thread.
 */
public final class MatchQueue {

    /** A session waiting for a partner, and the request id of its {@code Match}. */
    public record Waiter(long sessionId, String name, long requestId) {
    }

    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();

    public boolean isWaiting(long sessionId) {
        return find(sessionId) != null;
    }

    /**
     * {@code w} asks for a partner: returns the longest waiter it can be paired with, taken out of
     * the queue, or null if there is none and {@code w} now waits. Two members of a room may not
     * share a name, so such a pair waits for someone else. {@code w} must not be waiting already.
     */
    public Waiter offer(Waiter w) {
        if (isWaiting(w.sessionId())) {
            throw new IllegalStateException(w + " is waiting already");
        }
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
            Waiter candidate = it.next();
            if (!candidate.name().equals(w.name())) {
                it.remove();
                return candidate;
            }
        }
        waiting.add(w);
        return null;
    }

    /** Stops {@code sessionId} waiting; returns its waiter, or null if it was not waiting. */
    public Waiter remove(long sessionId) {
        Waiter w = find(sessionId);
        if (w != null) {
            waiting.remove(w);
        }
        return w;
    }

    public int size() {
        return waiting.size();
    }

    private Waiter find(long sessionId) {
        for (Waiter w : waiting) {
            if (w.sessionId() == sessionId) {
                return w;
            }
        }
        return null;
    }
}
