package dev.hotpochato.server;

import dev.hotpochato.protocol.ProtocolDefaults;

import java.time.Duration;
import java.util.Objects;

/**
 * How a server is set up: where it listens and the limits it enforces. Immutable; made with
 * {@link #builder()}, which validates every value.
 */
public final class ServerOptions {

    private final String bindAddress;
    private final int port;
    private final Duration turnTimeout;
    private final int maxFrameBytes;
    private final int maxTextBytes;
    private final int maxMembersPerRoom;
    private final int maxRoomsPerClient;
    private final int workerThreads;
    private final Duration shutdownTimeout;

    private ServerOptions(Builder b) {
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.turnTimeout = b.turnTimeout;
        this.maxFrameBytes = b.maxFrameBytes;
        this.maxTextBytes = b.maxTextBytes;
        this.maxMembersPerRoom = b.maxMembersPerRoom;
        this.maxRoomsPerClient = b.maxRoomsPerClient;
        this.workerThreads = b.workerThreads;
        this.shutdownTimeout = b.shutdownTimeout;
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

    /** Event-loop threads for connections and rooms; 0 means two per core. */
    public int workerThreads() {
        return workerThreads;
    }

    /** How long a graceful stop may take before connections are cut. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.bindAddress = bindAddress;
        b.port = port;
        b.turnTimeout = turnTimeout;
        b.maxFrameBytes = maxFrameBytes;
        b.maxTextBytes = maxTextBytes;
        b.maxMembersPerRoom = maxMembersPerRoom;
        b.maxRoomsPerClient = maxRoomsPerClient;
        b.workerThreads = workerThreads;
        b.shutdownTimeout = shutdownTimeout;
        return b;
    }

    /** Builds {@link ServerOptions}; every setter checks its argument. */
    public static final class Builder {
        private String bindAddress = "0.0.0.0";
        private int port = ProtocolDefaults.PORT;
        private Duration turnTimeout = Duration.ofSeconds(30);
        private int maxFrameBytes = ProtocolDefaults.MAX_FRAME_BYTES;
        private int maxTextBytes = ProtocolDefaults.MAX_TEXT_BYTES;
        private int maxMembersPerRoom = 1000;
        private int maxRoomsPerClient = 32;
        private int workerThreads;
        private Duration shutdownTimeout = Duration.ofSeconds(3);

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

        public ServerOptions build() {
            if (maxTextBytes > maxFrameBytes - 32) {
                throw new IllegalArgumentException("maxTextBytes (" + maxTextBytes
                        + ") must leave room for the frame envelope within maxFrameBytes (" + maxFrameBytes + ")");
            }
            return new ServerOptions(this);
        }

        private static int check(int value, int min, int max, String name) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ": " + value);
            }
            return value;
        }
    }
}
