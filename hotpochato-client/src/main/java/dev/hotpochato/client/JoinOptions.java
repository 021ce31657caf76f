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

    private JoinOptions(Builder b) {
        this.turnTimeout = b.turnTimeout;
        this.maxMembers = b.maxMembers;
        this.password = b.password;
        this.inviteOnly = b.inviteOnly;
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
                && password.equals(j.password) && inviteOnly == j.inviteOnly;
    }

    @Override
    public int hashCode() {
        return Objects.hash(turnTimeout, maxMembers, password, inviteOnly);
    }

    @Override
    public String toString() {
        // Never the password itself: options end up in logs.
        return "JoinOptions{" + (turnTimeout == null ? "" : "turnTimeout=" + Durations.format(turnTimeout) + ", ")
                + "maxMembers=" + maxMembers + (password.isEmpty() ? "" : ", password") + (inviteOnly ? ", invite-only" : "") + "}";
    }

    /** Builds {@link JoinOptions}; every setter checks its argument. */
    public static final class Builder {
        private Duration turnTimeout;
        private int maxMembers;
        private String password = "";
        private boolean inviteOnly;

        private Builder() {
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
