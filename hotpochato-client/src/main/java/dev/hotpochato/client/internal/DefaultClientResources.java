package dev.hotpochato.client.internal;

import dev.hotpochato.client.ClientResources;
import dev.hotpochato.protocol.net.Transport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The threads of a {@link ClientResources}: an event-loop group on the best transport, started
 * with the first connection, and (unless one was given) a pool of daemon threads for callbacks.
 * Thread-safe; the lifecycle methods are synchronized, since they run a handful of times per
 * application and never on the turn path.
 */
public final class DefaultClientResources implements ClientResources {

    private final int ioThreads;
    private final Executor givenCallbackExecutor;
    private final Transport transport = Transport.best();

    // Guarded by this.
    private EventLoopGroup group;
    private ExecutorService ownCallbackExecutor;
    private CompletableFuture<Void> terminated;

    public DefaultClientResources(int ioThreads, Executor callbackExecutor) {
        this.ioThreads = ioThreads;
        this.givenCallbackExecutor = callbackExecutor;
    }

    /** Casts {@code resources} to this class, refusing an implementation from elsewhere with a clear message. */
    static DefaultClientResources of(ClientResources resources) {
        if (resources instanceof DefaultClientResources r) {
            return r;
        }
        throw new IllegalArgumentException("ClientResources must come from ClientResources.create() or builder(), not "
                + (resources == null ? "null" : resources.getClass().getName()));
    }

    @Override
    public int ioThreads() {
        return ioThreads;
    }

    /** An event loop for a new session: all its connections use it, so its state has one owner. */
    synchronized EventLoop nextLoop() {
        checkOpen();
        if (group == null) {
            group = transport.newGroup(ioThreads, "hotpochato-client");
        }
        return group.next();
    }

    Class<? extends SocketChannel> channelType() {
        return transport.channelType();
    }

    /** Where sessions run their callbacks (each serialises its own on top of it). */
    synchronized Executor callbackExecutor() {
        checkOpen();
        if (givenCallbackExecutor != null) {
            return givenCallbackExecutor;
        }
        if (ownCallbackExecutor == null) {
            ownCallbackExecutor = Executors.newCachedThreadPool(new DefaultThreadFactory("hotpochato-callback", true));
        }
        return ownCallbackExecutor;
    }

    private void checkOpen() {
        if (terminated != null) {
            throw new IllegalStateException("these ClientResources are shut down");
        }
    }

    @Override
    public synchronized boolean isShutdown() {
        return terminated != null;
    }

    @Override
    public synchronized CompletableFuture<Void> shutdown(Duration quietPeriod, Duration timeout) {
        if (terminated != null) {
            return terminated;
        }
        terminated = new CompletableFuture<>();
        ExecutorService callbacks = ownCallbackExecutor;
        CompletableFuture<Void> done = terminated;
        if (group == null) {
            stop(callbacks);
            done.complete(null);
            return done;
        }
        group.shutdownGracefully(quietPeriod.toMillis(), Math.max(quietPeriod.toMillis(), timeout.toMillis()),
                TimeUnit.MILLISECONDS).addListener(f -> {
                    // After the loops: the callbacks of sessions that lost their connection can still run.
                    stop(callbacks);
                    done.complete(null);
                });
        return done;
    }

    private static void stop(ExecutorService callbacks) {
        if (callbacks != null) {
            callbacks.shutdown();
        }
    }

    @Override
    public String toString() {
        return "ClientResources{" + transport + ", " + ioThreads + " I/O threads"
                + (givenCallbackExecutor == null ? "" : ", callbacks on " + givenCallbackExecutor)
                + (terminated != null ? ", shut down" : "") + "}";
    }
}
