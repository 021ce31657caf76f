package dev.hotpochato.client.internal;

import dev.hotpochato.protocol.net.Transport;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The threads every session of this JVM shares: one small event-loop group for the network,
 * started with the first session and stopped after the last one closes, and a pool of daemon
 * threads for callbacks. Embedders need not create or stop anything.
 */
final class ClientThreads {

    /** A client has few connections; two loops keep one slow socket from delaying all others. */
    private static final int IO_THREADS = 2;

    private static final ExecutorService CALLBACKS =
            Executors.newCachedThreadPool(new DefaultThreadFactory("hotpochato-callback", true));

    private static final Object LOCK = new Object();
    private static EventLoopGroup group;
    private static Transport transport;
    private static int users;

    private ClientThreads() {
    }

    static Executor defaultCallbackExecutor() {
        return CALLBACKS;
    }

    /** Takes a share of the event-loop group; give it back with {@link Lease#release()}. */
    static Lease acquire() {
        synchronized (LOCK) {
            if (group == null) {
                transport = Transport.best();
                group = transport.newGroup(IO_THREADS, "hotpochato-client");
            }
            users++;
            return new Lease(group, transport.channelType());
        }
    }

    private static void release(EventLoopGroup leased) {
        synchronized (LOCK) {
            if (leased != group) {
                return;
            }
            if (--users == 0) {
                // No quiet period: nobody is left to submit work, and tests should not wait 2 s.
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
                group = null;
            }
        }
    }

    /** A share of the event-loop group held by one session. */
    static final class Lease {
        private final EventLoopGroup group;
        private final Class<? extends SocketChannel> channelType;
        private final AtomicBoolean released = new AtomicBoolean();

        private Lease(EventLoopGroup group, Class<? extends SocketChannel> channelType) {
            this.group = group;
            this.channelType = channelType;
        }

        EventLoopGroup group() {
            return group;
        }

        Class<? extends SocketChannel> channelType() {
            return channelType;
        }

        /** Idempotent. */
        void release() {
            if (released.compareAndSet(false, true)) {
                ClientThreads.release(group);
            }
        }
    }
}
