package dev.hotpochato.client;

import dev.hotpochato.client.internal.DefaultClientResources;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The threads sessions run on: an event-loop group for the network, and an executor on which each
 * session runs its callbacks (one at a time, in order, never on a network thread). Creating them
 * costs threads; sharing them costs nothing, so an application that opens several sessions makes
 * one {@code ClientResources}, passes it to every {@link HotPochatoClient#connect(ClientResources,
 * ClientOptions) connect}, and shuts it down once, after closing its sessions:
 *
 * <pre>{@code
 * ClientResources resources = ClientResources.create();
 * try {
 *     Session a = HotPochatoClient.connect(resources, ClientOptions.builder("ada").build()).join();
 *     Session b = HotPochatoClient.connect(resources, ClientOptions.builder("bob").build()).join();
 *     ...
 *     a.close();
 *     b.close();
 * } finally {
 *     resources.shutdown().join();
 * }
 * }</pre>
 *
 * <p>A session opened without resources ({@link HotPochatoClient#connect(ClientOptions)}) makes
 * its own (one network thread) and shuts them down when it ends, so a simple program has nothing
 * to manage. There is no hidden shared state: every thread belongs to one {@code ClientResources}.
 *
 * <p>All threads are daemon threads: they do not keep the JVM alive. Closing the sessions first
 * lets them leave their rooms; a session still open when its resources shut down loses its
 * connection (and its last callbacks may not run).
 *
 * <p>Thread-safe. Made by {@link #create()} or {@link #builder()}; implemented by this library only.
 */
public interface ClientResources {

    /** Event loops of {@link #create()}: a client has few connections; two keep one slow socket from delaying the others. */
    int DEFAULT_IO_THREADS = 2;

    /** Resources with {@value #DEFAULT_IO_THREADS} network threads and their own callback threads. */
    static ClientResources create() {
        return builder().build();
    }

    static Builder builder() {
        return new Builder();
    }

    /** How many event loops carry the network I/O; each session uses one of them. */
    int ioThreads();

    /** True once {@link #shutdown} was called. */
    boolean isShutdown();

    /**
     * Stops the threads, at once (no quiet period) and within 2 s; the same as
     * {@code shutdown(Duration.ZERO, Duration.ofSeconds(2))}.
     */
    default CompletableFuture<Void> shutdown() {
        return shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    /**
     * Stops the network threads (waiting for {@code quietPeriod} without new work, and at most
     * {@code timeout} in all), then the callback threads that these resources created (an executor
     * given to {@link Builder#callbackExecutor} is left to its owner). Idempotent. The future
     * completes when the network threads have stopped; it never fails.
     */
    CompletableFuture<Void> shutdown(Duration quietPeriod, Duration timeout);

    /** Builds {@link ClientResources}; every setter checks its argument. */
    final class Builder {
        private int ioThreads = DEFAULT_IO_THREADS;
        private Executor callbackExecutor;

        private Builder() {
        }

        /** How many event loops to start; default {@value ClientResources#DEFAULT_IO_THREADS}. */
        public Builder ioThreads(int ioThreads) {
            if (ioThreads < 1) {
                throw new InvalidOptionException("ioThreads", "the number of network threads",
                        "must be at least 1, not " + ioThreads);
            }
            this.ioThreads = ioThreads;
            return this;
        }

        /**
         * Where sessions run their callbacks, instead of threads of their own named
         * {@code hotpochato-callback-*}. Each session still runs its callbacks one at a time and in
         * order on top of it. The executor stays the caller's: {@link ClientResources#shutdown}
         * does not stop it. Null restores the default.
         */
        public Builder callbackExecutor(Executor callbackExecutor) {
            this.callbackExecutor = callbackExecutor;
            return this;
        }

        /** Starts the threads (the network threads start lazily, with the first connection). */
        public ClientResources build() {
            return new DefaultClientResources(ioThreads, callbackExecutor);
        }
    }
}
