package dev.hotpochato.client;

import dev.hotpochato.client.internal.Durations;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What to ask for when joining a room: the password it needs, and the settings to create it with if
 * this join creates it (they are ignored otherwise; the server's defaults fill the gaps). Immutable;
 * made with {@link #builder()}, whose setters fail with {@link InvalidOptionException}.
 */
public final class JoinOptions {

    private static final JoinOptions DEFAULTS = builder().build();

    private final Duration turnTimeout;
    private final int maxMembers;
    private final String password;
    private final boolean inviteOnly;
    private final TurnPolicy policy;
    private final int messagesPerTurn;
    private final Duration warning;
    private final int endAfterTurns;
    private final Duration endAfter;
    private final String stopPhrase;
    private final boolean endWhenAll;
    private final boolean audience;
    private final Duration revokeGrace;

    private JoinOptions(Builder b) {
        this.revokeGrace = b.revokeGrace;
        this.audience = b.audience;
        this.turnTimeout = b.turnTimeout;
        this.maxMembers = b.maxMembers;
        this.password = b.password;
        this.inviteOnly = b.inviteOnly;
        this.policy = b.policy;
        this.messagesPerTurn = b.messagesPerTurn;
        this.warning = b.warning;
        this.endAfterTurns = b.endAfterTurns;
        this.endAfter = b.endAfter;
        this.stopPhrase = b.stopPhrase;
        this.endWhenAll = b.endWhenAll;
    }

    /** The turn policy of a new room. */
    public TurnPolicy policy() {
        return policy;
    }

    /** How many things a holder of a new room may say in one turn. */
    public int messagesPerTurn() {
        return messagesPerTurn;
    }

    /** How long a revoked holder of a new room may still finish; zero for not at all. */
    public Duration revokeGrace() {
        return revokeGrace;
    }

    /** How long before a turn runs out its holder is warned; empty for never. */
    public Optional<Duration> warning() {
        return Optional.ofNullable(warning);
    }

    /** A new room ends after this many turns; 0: not a rule. */
    public int endAfterTurns() {
        return endAfterTurns;
    }

    /** A new room ends this long after it was created; empty: not a rule. */
    public Optional<Duration> endAfter() {
        return Optional.ofNullable(endAfter);
    }

    /** A new room ends when someone says this (ignoring case); empty: not a rule. */
    public String stopPhrase() {
        return stopPhrase;
    }

    /** True: a new room ends when every end rule holds (AND); false: when any does (OR). */
    public boolean endWhenAll() {
        return endWhenAll;
    }

    /** Join as audience: listen without a place in the turns until a chair moves this client to the speakers. */
    public boolean audience() {
        return audience;
    }

    /** Whether any end rule is set. */
    public boolean hasEndRules() {
        return endAfterTurns > 0 || endAfter != null || !stopPhrase.isEmpty();
    }

    /** No password, and the server's defaults for a new room. */
    public static JoinOptions defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The turn length for a new room; empty for the server's default; zero for no limit. */
    public Optional<Duration> turnTimeout() {
        return Optional.ofNullable(turnTimeout);
    }

    /** Most members for a new room; 0 for the server's default. */
    public int maxMembers() {
        return maxMembers;
    }

    /** The password to join with (and to protect a new room with); empty for none. */
    public String password() {
        return password;
    }

    /** Whether a new room admits only the names its creator invites. */
    public boolean inviteOnly() {
        return inviteOnly;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JoinOptions j && Objects.equals(turnTimeout, j.turnTimeout) && maxMembers == j.maxMembers
                && password.equals(j.password) && inviteOnly == j.inviteOnly && policy == j.policy
                && messagesPerTurn == j.messagesPerTurn && Objects.equals(warning, j.warning)
                && endAfterTurns == j.endAfterTurns && Objects.equals(endAfter, j.endAfter)
                && stopPhrase.equals(j.stopPhrase) && endWhenAll == j.endWhenAll && audience == j.audience
                && revokeGrace.equals(j.revokeGrace);
    }

    @Override
    public int hashCode() {
        return Objects.hash(turnTimeout, maxMembers, password, inviteOnly, policy, messagesPerTurn, warning,
                endAfterTurns, endAfter, stopPhrase, endWhenAll, audience, revokeGrace);
    }

    @Override
    public String toString() {
        // Never the password itself: options end up in logs.
        return "JoinOptions{" + (turnTimeout == null ? "" : "turnTimeout=" + Durations.format(turnTimeout) + ", ")
                + "maxMembers=" + maxMembers + (password.isEmpty() ? "" : ", password") + (inviteOnly ? ", invite-only" : "")
                + (policy == TurnPolicy.ROUND_ROBIN ? "" : ", " + policy)
                + (messagesPerTurn == 1 ? "" : ", messagesPerTurn=" + messagesPerTurn)
                + (warning == null ? "" : ", warning=" + Durations.format(warning))
                + (revokeGrace.isZero() ? "" : ", revokeGrace=" + Durations.format(revokeGrace))
                + (endAfterTurns == 0 ? "" : ", endAfterTurns=" + endAfterTurns)
                + (endAfter == null ? "" : ", endAfter=" + Durations.format(endAfter))
                + (stopPhrase.isEmpty() ? "" : ", stopPhrase=" + stopPhrase)
                + (hasEndRules() ? (endWhenAll ? " (all)" : " (any)") : "") + (audience ? ", audience" : "") + "}";
    }

    /** Builds {@link JoinOptions}; every setter checks its argument. */
    public static final class Builder {
        private Duration turnTimeout;
        private int maxMembers;
        private String password = "";
        private boolean inviteOnly;
        private TurnPolicy policy = TurnPolicy.ROUND_ROBIN;
        private int messagesPerTurn = 1;
        private Duration warning;
        private Duration revokeGrace = Duration.ZERO;
        private int endAfterTurns;
        private Duration endAfter;
        private String stopPhrase = "";
        private boolean endWhenAll;
        private boolean audience;

        private Builder() {
        }

        /**
         * Join as audience: hear everything, take no turn until a chair moves this client to the
         * speakers ({@link RoomHandle#move}) or its raised hand is granted. Ignored when this join
         * creates the room.
         */
        public Builder audience(boolean audience) {
            this.audience = audience;
            return this;
        }

        /** Who gets the turn in a new room (default {@link TurnPolicy#ROUND_ROBIN}). */
        public Builder policy(TurnPolicy policy) {
            if (policy == null || policy == TurnPolicy.UNKNOWN) {
                throw new InvalidOptionException("policy", "the turn policy", "must be ROUND_ROBIN, QUEUE or MODERATED");
            }
            this.policy = policy;
            return this;
        }

        /** How many things a holder may say in one turn (1..100; default 1); it can end the turn earlier by passing. */
        public Builder messagesPerTurn(int n) {
            if (n < 1 || n > 100) {
                throw new InvalidOptionException("messagesPerTurn", "the messages per turn", "must be 1..100, not " + n);
            }
            this.messagesPerTurn = n;
            return this;
        }

        /**
         * After a chair's revoke, let the holder finish (one say, or a pass) for this long (at most
         * 60 s; zero, the default: the turn ends at the revoke). See docs/protocol.md §18.
         */
        public Builder revokeGrace(Duration grace) {
            if (grace == null || grace.isNegative() || grace.toMillis() > 60_000) {
                throw new InvalidOptionException("revokeGrace", "the grace after a revoke", "must be 0 to 60 s");
            }
            this.revokeGrace = grace;
            return this;
        }

        /** Warn the holder this long before its turn runs out ({@link RoomListener#onTurnWarning}). */
        public Builder warning(Duration warning) {
            if (warning == null || warning.isNegative() || warning.isZero() || warning.toMillis() > Integer.MAX_VALUE) {
                throw new InvalidOptionException("warning", "the turn warning", "must be positive and at most 24 days");
            }
            this.warning = warning;
            return this;
        }

        /** End a new room after this many turns have ended (said, passed, expired, revoked, left). */
        public Builder endAfterTurns(int turns) {
            if (turns < 1) {
                throw new InvalidOptionException("endAfterTurns", "the turn count", "must be positive, not " + turns);
            }
            this.endAfterTurns = turns;
            return this;
        }

        /** End a new room this long after it was created. */
        public Builder endAfter(Duration time) {
            if (time == null || time.isNegative() || time.isZero() || time.toMillis() > Integer.MAX_VALUE) {
                throw new InvalidOptionException("endAfter", "the room's time", "must be positive and at most 24 days");
            }
            this.endAfter = time;
            return this;
        }

        /** End a new room when someone says {@code phrase} (ignoring case; at most 100 characters). */
        public Builder stopPhrase(String phrase) {
            if (phrase == null || phrase.isBlank() || phrase.length() > 100) {
                throw new InvalidOptionException("stopPhrase", "the stop phrase", "must be 1..100 characters, not blank");
            }
            this.stopPhrase = phrase;
            return this;
        }

        /** True: end only when every end rule holds (AND); false (default): when any does (OR). */
        public Builder endWhenAll(boolean all) {
            this.endWhenAll = all;
            return this;
        }

        /**
         * Turn length if this join creates the room; {@link Duration#ZERO} for no limit. A server
         * caps what may be asked for (10 minutes unless its operator says otherwise, and then no
         * limit is refused too): the join fails with {@link ServerErrorException} whose
         * {@link ServerErrorException#code() code()} is {@link ErrorCode#INVALID_OPTION}, even for a
         * room that exists already.
         */
        public Builder turnTimeout(Duration turnTimeout) {
            // The server caps turns at 2^31-1 ms; refuse more here rather than be silently cut short.
            if (turnTimeout == null || turnTimeout.isNegative() || turnTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new InvalidOptionException("turnTimeout", "the turn timeout", "must be between 0 and 24 days, not "
                        + (turnTimeout == null ? "null" : Durations.format(turnTimeout)));
            }
            this.turnTimeout = turnTimeout;
            return this;
        }

        public Builder maxMembers(int maxMembers) {
            if (maxMembers < 0) {
                throw new InvalidOptionException("maxMembers", "the most members", "must not be negative, not " + maxMembers);
            }
            this.maxMembers = maxMembers;
            return this;
        }

        public Builder password(String password) {
            if (password == null) {
                throw new InvalidOptionException("password", "the room password", "must not be null (empty for none)");
            }
            this.password = password;
            return this;
        }

        public Builder inviteOnly(boolean inviteOnly) {
            this.inviteOnly = inviteOnly;
            return this;
        }

        public JoinOptions build() {
            return new JoinOptions(this);
        }
    }
}
