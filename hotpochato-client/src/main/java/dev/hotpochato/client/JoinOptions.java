package dev.hotpochato.client;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What to ask for when joining a room: the password it needs, and the settings to create it with if
 * this join creates it (they are ignored otherwise; the server's defaults fill the gaps). Immutable;
 * made with {@link #builder()}.
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
            if (turnTimeout.isNegative() || turnTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("turnTimeout must be between 0 and 24 days: " + turnTimeout);
            }
            this.turnTimeout = turnTimeout;
            return this;
        }

        public Builder maxMembers(int maxMembers) {
            if (maxMembers < 0) {
                throw new IllegalArgumentException("maxMembers must not be negative: " + maxMembers);
            }
            this.maxMembers = maxMembers;
            return this;
        }

        public Builder password(String password) {
            this.password = Objects.requireNonNull(password, "password");
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
