package dev.hotpochato.client;

import java.time.Duration;
import java.util.Optional;

/**
 * One turn of a room: who holds it, its number, and how long it has left. Immutable; safe to keep
 * and to read from any thread.
 *
 * <p>Time left is measured on this machine's monotonic clock from the moment the grant arrived, so
 * it does not depend on the server's clock being in step with this one.
 */
public final class Turn {

    private final String room;
    private final String holder;
    private final long number;
    private final boolean mine;
    private final long lengthMillis;
    private final long deadlineNanos;
    private final boolean revoked;

    /**
     * @param lengthMillis      the turn's length, 0 for no limit
     * @param remainingMillis   how long it had left when it was observed, at {@code observedAtNanos}
     * @param observedAtNanos   a {@link System#nanoTime()} reading
     */
    public Turn(String room, String holder, long number, boolean mine, long lengthMillis, long remainingMillis,
                long observedAtNanos) {
        this(room, holder, number, mine, lengthMillis, remainingMillis, observedAtNanos, false);
    }

    /**
     * As the other constructor; {@code revoked}: a chair revoked this turn with a grace period, of
     * which {@code remainingMillis} is left (see {@link #isRevoked()}).
     */
    public Turn(String room, String holder, long number, boolean mine, long lengthMillis, long remainingMillis,
                long observedAtNanos, boolean revoked) {
        this.revoked = revoked;
        this.room = room;
        this.holder = holder;
        this.number = number;
        this.mine = mine;
        this.lengthMillis = lengthMillis;
        this.deadlineNanos = observedAtNanos + Duration.ofMillis(Math.max(0, remainingMillis)).toNanos();
    }

    /** The room this turn belongs to. */
    public String room() {
        return room;
    }

    /** The display name of the member who holds the turn. */
    public String holder() {
        return holder;
    }

    /** The turn number: 1 for the first turn of the room, +1 for each turn. */
    public long number() {
        return number;
    }

    /** True if this client holds the turn. */
    public boolean isMine() {
        return mine;
    }

    /**
     * True if a chair revoked this turn and the room gives a grace period
     * ({@link JoinOptions.Builder#revokeGrace}): the holder still holds it, and may finish (say one
     * more thing, or pass) until {@link #timeLeft()} runs out. A turn revoked without a grace simply
     * ends, so it is never seen revoked.
     */
    public boolean isRevoked() {
        return revoked;
    }

    /** The turn's full length; empty if the room's turns have no time limit (a revoked turn's: its grace). */
    public Optional<Duration> length() {
        return lengthMillis == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(lengthMillis));
    }

    /** How long the turn has left now (never negative); empty if the turn has no time limit. */
    public Optional<Duration> timeLeft() {
        if (lengthMillis == 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
    }

    @Override
    public String toString() {
        return "Turn{" + room + " #" + number + " " + holder + (mine ? " (me)" : "") + (revoked ? ", revoked" : "")
                + timeLeft().map(d -> ", " + d.toMillis() + " ms left").orElse("") + "}";
    }
}
