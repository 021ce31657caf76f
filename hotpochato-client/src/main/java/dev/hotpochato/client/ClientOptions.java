package dev.hotpochato.client;

import dev.hotpochato.client.internal.Durations;
import dev.hotpochato.protocol.ProtocolDefaults;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client connects: where to, under which name, its time limits, and what it does when the
 * connection is lost. Immutable; made with {@link #builder(String)}, which checks every value
 * (failing with {@link InvalidOptionException}); changed copies are made with {@link #mutate()}.
 *
 * <pre>{@code
 * ClientOptions options = ClientOptions.builder("echo-bot")
 *         .addresses(ServerAddress.parseList("a.example.org:7447,b.example.org:7447", 7447))
 *         .autoRejoin(true)
 *         .build();
 * }</pre>
 */
public final class ClientOptions {

    public static final String DEFAULT_HOST = "localhost";
    public static final int DEFAULT_PORT = ProtocolDefaults.PORT;
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_HISTORY_SIZE = 100;
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;
    public static final boolean DEFAULT_RECONNECT = true;
    public static final Duration DEFAULT_RECONNECT_DELAY = Duration.ofMillis(100);
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(5);
    public static final boolean DEFAULT_AUTO_REJOIN = false;

    private final List<ServerAddress> addresses;
    private final String displayName;
    private final String authToken;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final Duration requestTimeout;
    private final int historySize;
    private final int maxFrameBytes;
    private final boolean reconnect;
    private final Duration reconnectDelay;
    private final Duration maxReconnectDelay;
    private final boolean autoRejoin;
    private final TlsOptions tls;

    private ClientOptions(Builder b) {
        this.addresses = b.addresses;
        this.displayName = b.displayName;
        this.authToken = b.authToken;
        this.connectTimeout = b.connectTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.requestTimeout = b.requestTimeout;
        this.historySize = b.historySize;
        this.maxFrameBytes = b.maxFrameBytes;
        this.reconnect = b.reconnect;
        this.reconnectDelay = b.reconnectDelay;
        this.maxReconnectDelay = b.maxReconnectDelay;
        this.autoRejoin = b.autoRejoin;
        this.tls = b.tls;
    }

    /** Options for connecting as {@code displayName}, to {@value #DEFAULT_HOST} on the default port unless changed. */
    public static Builder builder(String displayName) {
        return new Builder(displayName);
    }

    /**
     * The servers to connect to, in order of preference (at least one). The first connection goes
     * to the first that accepts; a lost connection is resumed on the next one, round the list (see
     * {@link Session}). Several addresses are meant for the nodes of one cluster; default
     * {@value #DEFAULT_HOST}:{@value #DEFAULT_PORT}.
     */
    public List<ServerAddress> addresses() {
        return addresses;
    }

    /** The first server's host name or address. */
    public String host() {
        return addresses.get(0).host();
    }

    /** The first server's TCP port. */
    public int port() {
        return addresses.get(0).port();
    }

    /** The name others see: 1 to 32 printable characters, unique within each room. */
    public String displayName() {
        return displayName;
    }

    /** The credential sent in {@code Hello} and {@code Resume}; empty for none. */
    public String authToken() {
        return authToken;
    }

    /** How long opening a TCP connection may take. Default 5 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long a server may take to answer {@code Hello} or {@code Resume} (and, with TLS, to
     * complete the TLS handshake) before the connection is given up with
     * {@link ConnectFailedException.Reason#NOT_HOTPOCHATO}: a HotPochato server answers at once
     * unless it is overloaded, so long silence means something else listens there. Default 10 s,
     * the time a server itself gives a client to complete its handshake.
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * How long a request waits for its reply before failing with {@link RequestTimeoutException}.
     * Default 10 s. {@link Session#match()} waits for a partner without limit.
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * How many recent messages each {@link RoomHandle#history()} keeps, and {@link MyTurn#heard()}
     * at most holds. Default 100.
     */
    public int historySize() {
        return historySize;
    }

    /** Largest frame accepted from the server. Default 16 MiB. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Whether a lost connection is reconnected and the session resumed (see {@link Session}).
     * Default true. Never after {@link Session#close()}, or after the server dismissed the client
     * with a fatal error that rules it out (anything but {@link ErrorCode#IDLE_TIMEOUT},
     * {@link ErrorCode#SLOW_CONSUMER} and {@link ErrorCode#SERVER_SHUTTING_DOWN}).
     */
    public boolean reconnect() {
        return reconnect;
    }

    /**
     * The delay before the first reconnection attempt; each further attempt waits twice as long as
     * the one before, up to {@link #maxReconnectDelay()}, with up to half of each delay taken off at
     * random so that many clients cut off together do not return together. Default 100 ms.
     */
    public Duration reconnectDelay() {
        return reconnectDelay;
    }

    /** The longest delay between two reconnection attempts. Default 5 s. */
    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
    }

    /**
     * Whether a session that cannot be resumed (the server restarted and answers
     * {@link ErrorCode#RESUME_FAILED}, or was gone for longer than its resume grace period) is
     * replaced by a new one under the same name, which joins the same public rooms again with the
     * same {@link JoinOptions}. Needs {@link #reconnect()}; with it, reconnection attempts go on
     * (with backoff) until a server answers or the session is closed. Listeners hear
     * {@link SessionListener#onNewSession}, then, for each room, {@link RoomListener#onRejoined} or
     * {@link RoomListener#onRejoinFailed}. What is lost in between is in docs/client.md. Default false.
     */
    public boolean autoRejoin() {
        return autoRejoin;
    }

    /** How to secure the connection with TLS; empty (the default) for plain TCP. */
    public Optional<TlsOptions> tls() {
        return Optional.ofNullable(tls);
    }

    /** A builder holding these options, to make a changed copy. */
    public Builder mutate() {
        Builder b = new Builder(displayName);
        b.addresses = addresses;
        b.authToken = authToken;
        b.connectTimeout = connectTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.requestTimeout = requestTimeout;
        b.historySize = historySize;
        b.maxFrameBytes = maxFrameBytes;
        b.reconnect = reconnect;
        b.reconnectDelay = reconnectDelay;
        b.maxReconnectDelay = maxReconnectDelay;
        b.autoRejoin = autoRejoin;
        b.tls = tls;
        return b;
    }

    @Override
    public String toString() {
        return "ClientOptions{" + displayName + "@" + addresses + ", requestTimeout=" + Durations.format(requestTimeout)
                + (tls == null ? "" : ", " + tls) + (reconnect ? "" : ", no reconnect")
                + (autoRejoin ? ", auto-rejoin" : "") + "}";
    }

    /** Builds {@link ClientOptions}; every setter checks its argument and fails with {@link InvalidOptionException}. */
    public static final class Builder {
        private List<ServerAddress> addresses = List.of(new ServerAddress(DEFAULT_HOST, DEFAULT_PORT));
        private String displayName;
        private String authToken = "";
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int historySize = DEFAULT_HISTORY_SIZE;
        private int maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
        private boolean reconnect = DEFAULT_RECONNECT;
        private Duration reconnectDelay = DEFAULT_RECONNECT_DELAY;
        private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;
        private boolean autoRejoin = DEFAULT_AUTO_REJOIN;
        private TlsOptions tls;

        private Builder(String displayName) {
            displayName(displayName);
        }

        /** One server, at {@code host} on the port set so far (replaces any list of {@link #addresses}). */
        public Builder host(String host) {
            this.addresses = List.of(new ServerAddress(host, addresses.get(0).port()));
            return this;
        }

        /** One server, on {@code port} of the host set so far (replaces any list of {@link #addresses}). */
        public Builder port(int port) {
            this.addresses = List.of(new ServerAddress(addresses.get(0).host(), port));
            return this;
        }

        /** See {@link ClientOptions#addresses()}; at least one. */
        public Builder addresses(List<ServerAddress> addresses) {
            if (Objects.requireNonNull(addresses, "addresses").isEmpty()) {
                throw new InvalidOptionException("addresses", "the server address list", "must name at least one server");
            }
            this.addresses = List.copyOf(addresses);
            return this;
        }

        /** See {@link ClientOptions#addresses()}. */
        public Builder addresses(ServerAddress first, ServerAddress... more) {
            ServerAddress[] all = new ServerAddress[more.length + 1];
            all[0] = first;
            System.arraycopy(more, 0, all, 1, more.length);
            return addresses(List.of(all));
        }

        /** The name must be non-empty here; the server checks the rest of its rules. */
        public Builder displayName(String displayName) {
            if (displayName == null || displayName.isEmpty()) {
                throw new InvalidOptionException("displayName", "the display name", "must not be empty");
            }
            this.displayName = displayName;
            return this;
        }

        public Builder authToken(String authToken) {
            if (authToken == null) {
                throw new InvalidOptionException("authToken", "the authentication token", "must not be null (empty for none)");
            }
            this.authToken = authToken;
            return this;
        }

        /** See {@link ClientOptions#connectTimeout()}. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout", "the connect timeout");
            return this;
        }

        /** See {@link ClientOptions#handshakeTimeout()}. */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = positive(handshakeTimeout, "handshakeTimeout", "the handshake timeout");
            return this;
        }

        /** See {@link ClientOptions#requestTimeout()}. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout", "the request timeout");
            return this;
        }

        /** See {@link ClientOptions#historySize()}. */
        public Builder historySize(int historySize) {
            if (historySize < 0) {
                throw new InvalidOptionException("historySize", "the history size", "must not be negative, not " + historySize);
            }
            this.historySize = historySize;
            return this;
        }

        /** See {@link ClientOptions#maxFrameBytes()}. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            if (maxFrameBytes < 64) {
                throw new InvalidOptionException("maxFrameBytes", "the largest frame size",
                        "must be at least 64 bytes, not " + maxFrameBytes);
            }
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** See {@link ClientOptions#reconnect()}. */
        public Builder reconnect(boolean reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        /** See {@link ClientOptions#reconnectDelay()}. */
        public Builder reconnectDelay(Duration reconnectDelay) {
            this.reconnectDelay = positive(reconnectDelay, "reconnectDelay", "the reconnect delay");
            return this;
        }

        /** See {@link ClientOptions#maxReconnectDelay()}. */
        public Builder maxReconnectDelay(Duration maxReconnectDelay) {
            this.maxReconnectDelay = positive(maxReconnectDelay, "maxReconnectDelay", "the longest reconnect delay");
            return this;
        }

        /** See {@link ClientOptions#autoRejoin()}. */
        public Builder autoRejoin(boolean autoRejoin) {
            this.autoRejoin = autoRejoin;
            return this;
        }

        /** Connects with TLS as {@code tls} says; null for plain TCP. */
        public Builder tls(TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        public ClientOptions build() {
            if (maxReconnectDelay.compareTo(reconnectDelay) < 0) {
                throw new InvalidOptionException("maxReconnectDelay", "the longest reconnect delay",
                        "(" + Durations.format(maxReconnectDelay) + ") must not be shorter than the reconnect delay ("
                                + Durations.format(reconnectDelay) + ")");
            }
            return new ClientOptions(this);
        }

        private static Duration positive(Duration d, String option, String label) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new InvalidOptionException(option, label, "must be positive, not "
                        + (d == null ? "null" : Durations.format(d)));
            }
            return d;
        }
    }
}
