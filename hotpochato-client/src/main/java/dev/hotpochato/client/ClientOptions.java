package dev.hotpochato.client;

import dev.hotpochato.protocol.ProtocolDefaults;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * How a client connects: where to, under which name, and its time limits. Immutable; made with
 * {@link #builder(String)}, which validates every value.
 */
public final class ClientOptions {

    private final String host;
    private final int port;
    private final String displayName;
    private final String authToken;
    private final Duration connectTimeout;
    private final Duration requestTimeout;
    private final int historySize;
    private final int maxFrameBytes;
    private final Executor callbackExecutor;
    private final boolean reconnect;
    private final Duration reconnectDelay;
    private final Duration maxReconnectDelay;
    private final TlsOptions tls;

    private ClientOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.displayName = b.displayName;
        this.authToken = b.authToken;
        this.connectTimeout = b.connectTimeout;
        this.requestTimeout = b.requestTimeout;
        this.historySize = b.historySize;
        this.maxFrameBytes = b.maxFrameBytes;
        this.callbackExecutor = b.callbackExecutor;
        this.reconnect = b.reconnect;
        this.reconnectDelay = b.reconnectDelay;
        this.maxReconnectDelay = b.maxReconnectDelay;
        this.tls = b.tls;
    }

    /** Options for connecting as {@code displayName}, to localhost on the default port unless changed. */
    public static Builder builder(String displayName) {
        return new Builder(displayName);
    }

    /** The server's host name or address. Default {@code localhost}. */
    public String host() {
        return host;
    }

    /** The server's TCP port. Default {@value ProtocolDefaults#PORT}. */
    public int port() {
        return port;
    }

    /** The name others see: 1 to 32 printable characters, unique within each room. */
    public String displayName() {
        return displayName;
    }

    /** The credential sent in {@code Hello}; empty for none. */
    public String authToken() {
        return authToken;
    }

    /** How long opening the TCP connection may take. Default 5 s. */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long a request waits for its reply before failing with {@link RequestTimeoutException}.
     * Default 10 s. {@link Session#match()} waits for a partner without limit.
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /** How many recent messages each {@link RoomHandle#history()} keeps. Default 100. */
    public int historySize() {
        return historySize;
    }

    /** Largest frame accepted from the server. Default 16 MiB. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Where listeners, turn handlers and future completions run. Each session serialises its
     * callbacks on top of it, so they run one at a time and in order whatever executor is given.
     * Empty (the default): a shared pool of daemon threads named {@code hotpochato-callback-N}.
     */
    public Optional<Executor> callbackExecutor() {
        return Optional.ofNullable(callbackExecutor);
    }

    /**
     * Whether a lost connection is reconnected and the session resumed (see {@link Session}).
     * Default true. Never after {@link Session#close()}, or after the server dismissed the client
     * with a fatal error other than {@link ErrorCode#IDLE_TIMEOUT} or {@link ErrorCode#SLOW_CONSUMER}.
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

    /** How to secure the connection with TLS; empty (the default) for plain TCP. */
    public Optional<TlsOptions> tls() {
        return Optional.ofNullable(tls);
    }

    public Builder toBuilder() {
        Builder b = new Builder(displayName);
        b.host = host;
        b.port = port;
        b.authToken = authToken;
        b.connectTimeout = connectTimeout;
        b.requestTimeout = requestTimeout;
        b.historySize = historySize;
        b.maxFrameBytes = maxFrameBytes;
        b.callbackExecutor = callbackExecutor;
        b.reconnect = reconnect;
        b.reconnectDelay = reconnectDelay;
        b.maxReconnectDelay = maxReconnectDelay;
        b.tls = tls;
        return b;
    }

    @Override
    public String toString() {
        return "ClientOptions{" + displayName + "@" + host + ":" + port + ", requestTimeout=" + requestTimeout
                + (tls == null ? "" : ", " + tls) + (reconnect ? "" : ", no reconnect") + "}";
    }

    /** Builds {@link ClientOptions}; every setter checks its argument. */
    public static final class Builder {
        private String host = "localhost";
        private int port = ProtocolDefaults.PORT;
        private String displayName;
        private String authToken = "";
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private int historySize = 100;
        private int maxFrameBytes = 16 * 1024 * 1024;
        private Executor callbackExecutor;
        private boolean reconnect = true;
        private Duration reconnectDelay = Duration.ofMillis(100);
        private Duration maxReconnectDelay = Duration.ofSeconds(5);
        private TlsOptions tls;

        private Builder(String displayName) {
            displayName(displayName);
        }

        public Builder host(String host) {
            if (Objects.requireNonNull(host, "host").isBlank()) {
                throw new IllegalArgumentException("host must not be blank");
            }
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be between 1 and 65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** The name must be non-empty here; the server checks the rest of its rules. */
        public Builder displayName(String displayName) {
            if (Objects.requireNonNull(displayName, "displayName").isEmpty()) {
                throw new IllegalArgumentException("displayName must not be empty");
            }
            this.displayName = displayName;
            return this;
        }

        public Builder authToken(String authToken) {
            this.authToken = Objects.requireNonNull(authToken, "authToken");
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
            return this;
        }

        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        public Builder historySize(int historySize) {
            if (historySize < 0) {
                throw new IllegalArgumentException("historySize must not be negative: " + historySize);
            }
            this.historySize = historySize;
            return this;
        }

        public Builder maxFrameBytes(int maxFrameBytes) {
            if (maxFrameBytes < 64) {
                throw new IllegalArgumentException("maxFrameBytes must be at least 64: " + maxFrameBytes);
            }
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** See {@link ClientOptions#callbackExecutor()}; null restores the shared default. */
        public Builder callbackExecutor(Executor callbackExecutor) {
            this.callbackExecutor = callbackExecutor;
            return this;
        }

        /** See {@link ClientOptions#reconnect()}. */
        public Builder reconnect(boolean reconnect) {
            this.reconnect = reconnect;
            return this;
        }

        /** See {@link ClientOptions#reconnectDelay()}. */
        public Builder reconnectDelay(Duration reconnectDelay) {
            this.reconnectDelay = positive(reconnectDelay, "reconnectDelay");
            return this;
        }

        /** See {@link ClientOptions#maxReconnectDelay()}. */
        public Builder maxReconnectDelay(Duration maxReconnectDelay) {
            this.maxReconnectDelay = positive(maxReconnectDelay, "maxReconnectDelay");
            return this;
        }

        /** Connects with TLS as {@code tls} says; null for plain TCP. */
        public Builder tls(TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        public ClientOptions build() {
            if (maxReconnectDelay.compareTo(reconnectDelay) < 0) {
                throw new IllegalArgumentException("maxReconnectDelay " + maxReconnectDelay
                        + " is shorter than reconnectDelay " + reconnectDelay);
            }
            return new ClientOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            if (Objects.requireNonNull(d, name).isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive: " + d);
            }
            return d;
        }
    }
}
