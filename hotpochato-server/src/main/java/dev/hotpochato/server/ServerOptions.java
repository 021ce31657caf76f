package dev.hotpochato.server;

import dev.hotpochato.protocol.ProtocolDefaults;
import dev.hotpochato.protocol.ProtocolLimits;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How a server is set up: where it listens and the limits it enforces. Immutable; made with
 * {@link #builder()}, which validates every value.
 */
public final class ServerOptions {

    /** {@link #httpPort()} when the server serves no web page and no WebSocket clients (the default). */
    public static final int HTTP_OFF = -1;
    /** {@link #adminPort()} when there is no admin port, the default. */
    public static final int NO_ADMIN_PORT = -1;

    private final String bindAddress;
    private final int port;
    private final Duration turnTimeout;
    private final Duration maxTurnTimeout;
    private final int maxFrameBytes;
    private final int maxTextBytes;
    private final int maxMembersPerRoom;
    private final int maxRoomsPerClient;
    private final int workerThreads;
    private final Duration shutdownTimeout;
    private final Duration shutdownDrainDelay;
    private final Duration idleTimeout;
    private final Duration handshakeTimeout;
    private final Duration tlsHandshakeTimeout;
    private final Duration resumeGrace;
    private final int historySize;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final int maxFramesPerSecond;
    private final int frameBurst;
    private final int writeBufferHighWaterMark;
    private final Duration slowConsumerTimeout;
    private final int maxPendingOutboundBytes;
    private final int maxFailedAttempts;
    private final int maxFailedAttemptsPerAddress;
    private final Path tlsCertificate;
    private final Path tlsPrivateKey;
    private final Authenticator authenticator;
    private final int httpPort;
    private final List<String> allowedOrigins;
    private final int adminPort;
    private final String adminBindAddress;
    private final String cluster;
    private final Path clusterCa;
    private final java.util.function.UnaryOperator<String> optionNames;
    private final Duration clusterHeartbeat;
    private final Duration clusterNodeTimeout;

    private ServerOptions(Builder b) {
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.turnTimeout = b.turnTimeout;
        this.maxTurnTimeout = b.maxTurnTimeout;
        this.maxFrameBytes = b.maxFrameBytes;
        this.maxTextBytes = b.maxTextBytes;
        this.maxMembersPerRoom = b.maxMembersPerRoom;
        this.maxRoomsPerClient = b.maxRoomsPerClient;
        this.workerThreads = b.workerThreads;
        this.shutdownTimeout = b.shutdownTimeout;
        this.shutdownDrainDelay = b.shutdownDrainDelay;
        this.idleTimeout = b.idleTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.tlsHandshakeTimeout = b.tlsHandshakeTimeout;
        this.resumeGrace = b.resumeGrace;
        this.historySize = b.historySize;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.maxFramesPerSecond = b.maxFramesPerSecond;
        this.frameBurst = b.frameBurst;
        this.writeBufferHighWaterMark = b.writeBufferHighWaterMark;
        this.slowConsumerTimeout = b.slowConsumerTimeout;
        this.maxPendingOutboundBytes = b.maxPendingOutboundBytes;
        this.maxFailedAttempts = b.maxFailedAttempts;
        this.maxFailedAttemptsPerAddress = b.maxFailedAttemptsPerAddress;
        this.tlsCertificate = b.tlsCertificate;
        this.tlsPrivateKey = b.tlsPrivateKey;
        this.authenticator = b.authenticator;
        this.httpPort = b.httpPort;
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        this.adminPort = b.adminPort;
        this.adminBindAddress = b.adminBindAddress;
        this.cluster = b.cluster;
        this.clusterCa = b.clusterCa;
        this.optionNames = b.optionNames;
        this.clusterHeartbeat = b.clusterHeartbeat;
        this.clusterNodeTimeout = b.clusterNodeTimeout;
        if (clusterNodeTimeout.compareTo(clusterHeartbeat) <= 0) {
            throw new IllegalArgumentException("clusterNodeTimeout (" + clusterNodeTimeout
                    + ") must be longer than clusterHeartbeat (" + clusterHeartbeat + ")");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Options with every default: listen on all interfaces, port 7447. */
    public static ServerOptions defaults() {
        return builder().build();
    }

    public String bindAddress() {
        return bindAddress;
    }

    /** The TCP port; 0 asks the system for a free one. */
    public int port() {
        return port;
    }

    /** Default turn length for new rooms; zero for no limit. */
    public Duration turnTimeout() {
        return turnTimeout;
    }

    /**
     * The longest turn a client may ask for when it creates a room; zero for no cap. With a cap, a
     * room without a turn limit cannot be asked for either.
     */
    public Duration maxTurnTimeout() {
        return maxTurnTimeout;
    }

    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    public int maxTextBytes() {
        return maxTextBytes;
    }

    public int maxMembersPerRoom() {
        return maxMembersPerRoom;
    }

    public int maxRoomsPerClient() {
        return maxRoomsPerClient;
    }

    /** Event-loop threads for connections and rooms; 0 means one per core. */
    public int workerThreads() {
        return workerThreads;
    }

    /** How long a graceful stop may take before connections are cut. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * How long {@link HotPochatoServer#close()} keeps serving after {@code /health/ready} turned 503,
     * before the goodbyes, so a load balancer polling it stops sending clients first; 0 (the default):
     * no wait.
     */
    public Duration shutdownDrainDelay() {
        return shutdownDrainDelay;
    }

    /**
     * A connection on which no whole frame arrives for this long is closed (bytes of an unfinished
     * frame do not count); clients are asked to ping three times as often.
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * A connection that has not completed its handshake this long after it was accepted (TLS, then
     * Hello or Resume and its Welcome) is closed with HANDSHAKE_TIMEOUT, whatever it sends meanwhile.
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** A TLS handshake not done this long after the connection was accepted is abandoned and the connection closed. */
    public Duration tlsHandshakeTimeout() {
        return tlsHandshakeTimeout;
    }

    /** How long a lost session can be resumed; meanwhile its member is away, not gone. Zero turns resumption off. */
    public Duration resumeGrace() {
        return resumeGrace;
    }

    /** Recent events each room keeps for members that resume. */
    public int historySize() {
        return historySize;
    }

    /** Most client connections at once. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Most client connections at once from one remote address. */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** Sustained frames per second one connection may send. */
    public int maxFramesPerSecond() {
        return maxFramesPerSecond;
    }

    /** Frames a connection may send at once above its sustained rate. */
    public int frameBurst() {
        return frameBurst;
    }

    /** Unsent bytes to one client above which it counts as slow. */
    public int writeBufferHighWaterMark() {
        return writeBufferHighWaterMark;
    }

    /** How long a client may stay above the high water mark before it is disconnected. */
    public Duration slowConsumerTimeout() {
        return slowConsumerTimeout;
    }

    /** Unsent bytes to one client at which it is disconnected at once. */
    public int maxPendingOutboundBytes() {
        return maxPendingOutboundBytes;
    }

    /**
     * Failed attempts at room passwords (Joins carrying a password that were refused) one session may
     * make at once, and per minute after that; further attempts get TOO_MANY_ATTEMPTS unchecked.
     */
    public int maxFailedAttempts() {
        return maxFailedAttempts;
    }

    /**
     * Failed attempts (room passwords, and authentication in Hello or Resume) all the clients of one
     * address may make at once, and per minute after that.
     */
    public int maxFailedAttemptsPerAddress() {
        return maxFailedAttemptsPerAddress;
    }

    /** Heartbeat interval announced in {@code Welcome}: a third of {@link #idleTimeout()}. */
    public Duration heartbeatInterval() {
        return idleTimeout.dividedBy(3);
    }

    /** The PEM certificate chain for TLS, or null for plain TCP. */
    public Path tlsCertificate() {
        return tlsCertificate;
    }

    /** The PEM (PKCS#8) private key for TLS, or null for plain TCP. */
    public Path tlsPrivateKey() {
        return tlsPrivateKey;
    }

    /** Checks {@code Hello.auth_token}; null when the server lets everyone in. */
    public Authenticator authenticator() {
        return authenticator;
    }

    /**
     * The port of the web page and of WebSocket clients, served over TLS when {@link #tlsCertificate()}
     * is set; 0 asks the system for a free one; {@link #HTTP_OFF} (the default) for none.
     */
    public int httpPort() {
        return httpPort;
    }

    /**
     * Web origins (such as {@code https://chat.example.com}) whose pages may open a WebSocket to the
     * server besides its own page, lower case; {@code "*"} allows any. Empty (the default): only
     * pages the server itself served.
     */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    /**
     * The port of the HTTP admin listener ({@code /metrics}, {@code /health/live},
     * {@code /health/ready}); 0 asks the system for a free one; {@link #NO_ADMIN_PORT} for none.
     */
    public int adminPort() {
        return adminPort;
    }

    /** The address of the admin listener; loopback by default, so that only this machine can read it. */
    public String adminBindAddress() {
        return adminBindAddress;
    }

    /**
     * The Redis of the cluster this server is a node of ({@code redis://host:port},
     * {@code rediss://} for TLS, {@code redis://user:password@host:port}); null (the default): no
     * cluster, the rooms live in this process's memory. See docs/cluster.md.
     */
    public String cluster() {
        return cluster;
    }

    /**
     * The PEM certificates a node trusts for a {@code rediss://} {@link #cluster()} (a private
     * authority's, or Redis's own self-signed one); null (the default): the JVM's trusted authorities.
     */
    public Path clusterCa() {
        return clusterCa;
    }

    /**
     * How the server words a message that names options by their accessors ({@code tlsPrivateKey})
     * when it reports a problem while it runs (a failed reload): unchanged by default; the server
     * program names its flags ({@code --tls-key}).
     */
    public java.util.function.UnaryOperator<String> optionNames() {
        return optionNames;
    }

    /** In a cluster, how often the node renews its heartbeat in Redis. See docs/cluster.md. */
    public Duration clusterHeartbeat() {
        return clusterHeartbeat;
    }

    /**
     * In a cluster, how long a node's heartbeat lives: a node silent this long is declared dead,
     * its members marked away, and it may write nothing more (fenced). See docs/cluster.md.
     */
    public Duration clusterNodeTimeout() {
        return clusterNodeTimeout;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.port = port;
        b.turnTimeout = turnTimeout;
        b.maxTurnTimeout = maxTurnTimeout;
        b.maxFrameBytes = maxFrameBytes;
        b.maxTextBytes = maxTextBytes;
        b.maxMembersPerRoom = maxMembersPerRoom;
        b.maxRoomsPerClient = maxRoomsPerClient;
        b.workerThreads = workerThreads;
        b.shutdownTimeout = shutdownTimeout;
        b.shutdownDrainDelay = shutdownDrainDelay;
        b.idleTimeout = idleTimeout;
        b.handshakeTimeout = handshakeTimeout;
        b.tlsHandshakeTimeout = tlsHandshakeTimeout;
        b.resumeGrace = resumeGrace;
        b.historySize = historySize;
        b.maxConnections = maxConnections;
        b.maxConnectionsPerAddress = maxConnectionsPerAddress;
        b.maxFramesPerSecond = maxFramesPerSecond;
        b.frameBurst = frameBurst;
        b.writeBufferHighWaterMark = writeBufferHighWaterMark;
        b.slowConsumerTimeout = slowConsumerTimeout;
        b.maxPendingOutboundBytes = maxPendingOutboundBytes;
        b.maxFailedAttempts = maxFailedAttempts;
        b.maxFailedAttemptsPerAddress = maxFailedAttemptsPerAddress;
        b.tlsCertificate = tlsCertificate;
        b.tlsPrivateKey = tlsPrivateKey;
        b.authenticator = authenticator;
        b.httpPort = httpPort;
        b.allowedOrigins = new ArrayList<>(allowedOrigins);
        b.adminPort = adminPort;
        b.adminBindAddress = adminBindAddress;
        b.cluster = cluster;
        b.clusterCa = clusterCa;
        b.optionNames = optionNames;
        b.clusterHeartbeat = clusterHeartbeat;
        b.clusterNodeTimeout = clusterNodeTimeout;
        return b;
    }

    /** Builds {@link ServerOptions}; every setter checks its argument. */
    public static final class Builder {
        private String bindAddress = "0.0.0.0";
        private int port = ProtocolDefaults.PORT;
        private Duration turnTimeout = Duration.ofSeconds(30);
        // Twenty default turns: room for a long answer or a slow bot, while one silent holder (the
        // room creator or anyone after) can stall a room for minutes, not for days.
        private Duration maxTurnTimeout = Duration.ofMinutes(10);
        private int maxFrameBytes = ProtocolDefaults.MAX_FRAME_BYTES;
        private int maxTextBytes = ProtocolDefaults.MAX_TEXT_BYTES;
        private int maxMembersPerRoom = 1000;
        private int maxRoomsPerClient = 32;
        private int workerThreads;
        private Duration shutdownTimeout = Duration.ofSeconds(3);
        private Duration shutdownDrainDelay = Duration.ZERO;

        /** See {@link ServerOptions#shutdownDrainDelay()}; 0 up to 24 days. */
        public Builder shutdownDrainDelay(Duration shutdownDrainDelay) {
            if (shutdownDrainDelay.isNegative() || shutdownDrainDelay.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shutdownDrainDelay must be between 0 and 24 days: " + shutdownDrainDelay);
            }
            this.shutdownDrainDelay = shutdownDrainDelay;
            return this;
        }
        private Duration idleTimeout = Duration.ofSeconds(30);
        // Time for a slow network's TCP and TLS round trips and an authenticator's lookup; a client
        // that is really there says Hello within a second.
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private Duration tlsHandshakeTimeout = Duration.ofSeconds(10);
        private Duration resumeGrace = Duration.ofSeconds(30);
        private int historySize = 256;
        private int maxConnections = 100_000;
        private int maxConnectionsPerAddress = 1_000;
        private int maxFramesPerSecond = 100;
        private int frameBurst = 200;
        private int writeBufferHighWaterMark = 256 * 1024;
        private Duration slowConsumerTimeout = Duration.ofSeconds(10);
        private int maxPendingOutboundBytes = 8 * 1024 * 1024;
        // A person mistypes a password a few times; a guesser needs thousands. Per address, room
        // for a classroom behind one NAT to mistype too.
        private int maxFailedAttempts = 5;
        private int maxFailedAttemptsPerAddress = 30;
        private Path tlsCertificate;
        private Path tlsPrivateKey;
        private Authenticator authenticator;
        private int httpPort = HTTP_OFF;
        private List<String> allowedOrigins = new ArrayList<>();
        private String cluster;
        private Path clusterCa;
        private java.util.function.UnaryOperator<String> optionNames = java.util.function.UnaryOperator.identity();

        /** Words the messages of a running server's problems (see {@link ServerOptions#optionNames()}). */
        public Builder optionNames(java.util.function.UnaryOperator<String> optionNames) {
            this.optionNames = Objects.requireNonNull(optionNames, "optionNames");
            return this;
        }

        private Duration clusterHeartbeat = Duration.ofSeconds(1);
        private Duration clusterNodeTimeout = Duration.ofSeconds(3);

        /** In a cluster, how often the node renews its heartbeat (1 s by default; 10 ms to 1 minute). */
        public Builder clusterHeartbeat(Duration value) {
            if (value == null || value.toMillis() < 10 || value.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("clusterHeartbeat must be between 10 ms and 1 minute: " + value);
            }
            this.clusterHeartbeat = value;
            return this;
        }

        /**
         * In a cluster, how long a node may miss heartbeats before it is declared dead (3 s by
         * default; longer than the heartbeat interval, at most 10 minutes).
         */
        public Builder clusterNodeTimeout(Duration value) {
            if (value == null || value.toMillis() < 20 || value.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("clusterNodeTimeout must be between 20 ms and 10 minutes: " + value);
            }
            this.clusterNodeTimeout = value;
            return this;
        }

        /**
         * Be a node of the cluster whose rooms live in this Redis ({@code redis://host:port},
         * {@code rediss://...} for TLS, {@code user:password@} for a password); null or empty for none.
         */
        public Builder cluster(String redisUri) {
            if (redisUri == null || redisUri.isBlank()) {
                this.cluster = null;
            } else if (!redisUri.startsWith("redis://") && !redisUri.startsWith("rediss://")) {
                // The value is not echoed: it may hold a password.
                throw new IllegalArgumentException("cluster must be a Redis address, redis://HOST:PORT or rediss://HOST:PORT");
            } else {
                this.cluster = redisUri;
            }
            return this;
        }

        /**
         * Trust these PEM certificates for a {@code rediss://} cluster address instead of the JVM's
         * trusted authorities; null for the JVM's. Read when the node connects.
         */
        public Builder clusterCa(Path pemFile) {
            this.clusterCa = pemFile;
            return this;
        }
        private int adminPort = NO_ADMIN_PORT;
        private String adminBindAddress = "127.0.0.1";

        private Builder() {
        }

        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        public Builder port(int port) {
            this.port = check(port, 0, 65535, "port");
            return this;
        }

        public Builder turnTimeout(Duration turnTimeout) {
            if (turnTimeout.isNegative() || turnTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("turnTimeout must be between 0 and 24 days: " + turnTimeout);
            }
            this.turnTimeout = turnTimeout;
            return this;
        }

        /** The longest turn a client may ask for; {@link Duration#ZERO} lets it ask for anything, even no limit. */
        public Builder maxTurnTimeout(Duration maxTurnTimeout) {
            if (maxTurnTimeout.isNegative() || maxTurnTimeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("maxTurnTimeout must be between 0 and 24 days: " + maxTurnTimeout);
            }
            this.maxTurnTimeout = maxTurnTimeout;
            return this;
        }

        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = check(maxFrameBytes, 64, 16 * 1024 * 1024, "maxFrameBytes");
            return this;
        }

        public Builder maxTextBytes(int maxTextBytes) {
            this.maxTextBytes = check(maxTextBytes, 1, 16 * 1024 * 1024, "maxTextBytes");
            return this;
        }

        public Builder maxMembersPerRoom(int maxMembersPerRoom) {
            this.maxMembersPerRoom = check(maxMembersPerRoom, 2, 1_000_000, "maxMembersPerRoom");
            return this;
        }

        public Builder maxRoomsPerClient(int maxRoomsPerClient) {
            this.maxRoomsPerClient = check(maxRoomsPerClient, 1, 1_000_000, "maxRoomsPerClient");
            return this;
        }

        public Builder workerThreads(int workerThreads) {
            this.workerThreads = check(workerThreads, 0, 1024, "workerThreads");
            return this;
        }

        public Builder shutdownTimeout(Duration shutdownTimeout) {
            if (shutdownTimeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative: " + shutdownTimeout);
            }
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        public Builder idleTimeout(Duration value) {
            if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("idleTimeout must be positive and under 24 days: " + value);
            }
            this.idleTimeout = value;
            return this;
        }

        public Builder handshakeTimeout(Duration value) {
            this.handshakeTimeout = positive(value, "handshakeTimeout");
            return this;
        }

        public Builder tlsHandshakeTimeout(Duration value) {
            this.tlsHandshakeTimeout = positive(value, "tlsHandshakeTimeout");
            return this;
        }

        public Builder maxFailedAttempts(int value) {
            this.maxFailedAttempts = check(value, 1, 1_000_000, "maxFailedAttempts");
            return this;
        }

        public Builder maxFailedAttemptsPerAddress(int value) {
            this.maxFailedAttemptsPerAddress = check(value, 1, 1_000_000, "maxFailedAttemptsPerAddress");
            return this;
        }

        public Builder resumeGrace(Duration value) {
            if (value.isNegative() || value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("resumeGrace must be between 0 and 24 days: " + value);
            }
            this.resumeGrace = value;
            return this;
        }

        public Builder historySize(int value) {
            this.historySize = check(value, 0, 1000000, "historySize");
            return this;
        }

        public Builder maxConnections(int value) {
            this.maxConnections = check(value, 1, 10000000, "maxConnections");
            return this;
        }

        public Builder maxConnectionsPerAddress(int value) {
            this.maxConnectionsPerAddress = check(value, 1, 10000000, "maxConnectionsPerAddress");
            return this;
        }

        public Builder maxFramesPerSecond(int value) {
            this.maxFramesPerSecond = check(value, 1, 1000000, "maxFramesPerSecond");
            return this;
        }

        public Builder frameBurst(int value) {
            this.frameBurst = check(value, 1, 10000000, "frameBurst");
            return this;
        }

        public Builder writeBufferHighWaterMark(int value) {
            this.writeBufferHighWaterMark = check(value, 1024, 1073741824, "writeBufferHighWaterMark");
            return this;
        }

        public Builder slowConsumerTimeout(Duration value) {
            if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("slowConsumerTimeout must be positive and under 24 days: " + value);
            }
            this.slowConsumerTimeout = value;
            return this;
        }

        public Builder maxPendingOutboundBytes(int value) {
            this.maxPendingOutboundBytes = check(value, 1024, 1073741824, "maxPendingOutboundBytes");
            return this;
        }

        /** Serve TLS with this PEM certificate chain and PEM (PKCS#8) private key. */
        public Builder tls(Path certificate, Path privateKey) {
            this.tlsCertificate = Objects.requireNonNull(certificate, "certificate");
            this.tlsPrivateKey = Objects.requireNonNull(privateKey, "privateKey");
            return this;
        }

        /** Require every {@code Hello} to pass {@code authenticator}; null lets everyone in. */
        public Builder authenticator(Authenticator authenticator) {
            this.authenticator = authenticator;
            return this;
        }

        /** Serve the web page and WebSocket clients on this port (0: a free one); {@link #HTTP_OFF} for none. */
        public Builder httpPort(int httpPort) {
            this.httpPort = httpPort == HTTP_OFF ? HTTP_OFF : check(httpPort, 0, 65535, "httpPort");
            return this;
        }

        /**
         * Let pages of these origins ({@code scheme://host[:port]}, http or https) open WebSockets
         * too, or any page with {@code "*"}; replaces any earlier list.
         */
        public Builder allowedOrigins(List<String> origins) {
            List<String> checked = new ArrayList<>();
            for (String origin : origins) {
                checked.add(normalizeOrigin(origin));
            }
            this.allowedOrigins = checked;
            return this;
        }

        private static String normalizeOrigin(String origin) {
            String o = origin.trim().toLowerCase(Locale.ROOT);
            if (o.equals("*")) {
                return o;
            }
            String problem = "allowedOrigins '" + origin + "' must be like https://chat.example.com or "
                    + "http://host:8080 (scheme, host and an optional :number; no path), or *";
            try {
                URI uri = new URI(o);
                if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null
                        || uri.getRawUserInfo() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
                        || uri.getRawQuery() != null || uri.getRawFragment() != null) {
                    throw new IllegalArgumentException(problem);
                }
                return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(problem, e);
            }
        }

        /** Serve {@code /metrics} and {@code /health/*} on this port; {@link #NO_ADMIN_PORT} for none. */
        public Builder adminPort(int adminPort) {
            this.adminPort = adminPort == NO_ADMIN_PORT ? adminPort : check(adminPort, 0, 65535, "adminPort");
            return this;
        }

        public Builder adminBindAddress(String adminBindAddress) {
            this.adminBindAddress = Objects.requireNonNull(adminBindAddress, "adminBindAddress");
            return this;
        }

        public ServerOptions build() {
            // Pair rooms and rooms created without options get the default: it must be one a client could ask for.
            if (!maxTurnTimeout.isZero() && turnTimeout.isZero()) {
                throw new IllegalArgumentException("turnTimeout 0 (no limit) needs maxTurnTimeout 0 (no cap), not "
                        + maxTurnTimeout.toMillis() + " ms");
            }
            if (!maxTurnTimeout.isZero() && turnTimeout.compareTo(maxTurnTimeout) > 0) {
                throw new IllegalArgumentException("turnTimeout (" + turnTimeout.toMillis()
                        + " ms) must not exceed maxTurnTimeout (" + maxTurnTimeout.toMillis()
                        + " ms); raise maxTurnTimeout, or set it to 0 for no cap");
            }
            if (maxTextBytes > maxFrameBytes - ProtocolLimits.SAY_ENVELOPE_BYTES) {
                throw new IllegalArgumentException("maxTextBytes (" + maxTextBytes + ") must leave room for the "
                        + ProtocolLimits.SAY_ENVELOPE_BYTES + " bytes of a Say frame's envelope within maxFrameBytes ("
                        + maxFrameBytes + ")");
            }
            if (writeBufferHighWaterMark > maxPendingOutboundBytes) {
                throw new IllegalArgumentException("writeBufferHighWaterMark (" + writeBufferHighWaterMark
                        + ") must not exceed maxPendingOutboundBytes (" + maxPendingOutboundBytes + ")");
            }
            if (httpPort > 0 && (httpPort == port || httpPort == adminPort)) {
                throw new IllegalArgumentException("httpPort must differ from " + (httpPort == port ? "port" : "adminPort")
                        + " (" + httpPort + "): the web page and WebSocket clients are served apart");
            }
            return new ServerOptions(this);
        }

        private static Duration positive(Duration value, String name) {
            if (value.isNegative() || value.isZero() || value.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " must be positive and under 24 days: " + value);
            }
            return value;
        }

        private static int check(int value, int min, int max, String name) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
            }
            return value;
        }
    }
}
