package dev.hotpochato.bench.load;

import dev.hotpochato.protocol.net.Transport;
import io.netty.channel.EventLoopGroup;

import java.util.concurrent.TimeUnit;

/**
 * The load generator's own event loops, apart from the server's, so that its CPU can be told apart
 * and reported. Every benchmark client (HotPochato bots and the raw ping-pong client) runs here.
 */
public final class LoadGroup implements AutoCloseable {

    /** Thread-name prefix of the load generator's event loops; {@link Cpu#threadsNamed} finds them by it. */
    public static final String THREAD_PREFIX = "bench-load";

    private final Transport transport = Transport.best();
    private final EventLoopGroup group;
    private final int threads;

    public LoadGroup(int threads) {
        this.threads = threads;
        this.group = transport.newGroup(threads, THREAD_PREFIX);
    }

    public EventLoopGroup group() {
        return group;
    }

    public Transport transport() {
        return transport;
    }

    public int threads() {
        return threads;
    }

    /** CPU used so far by the load generator's threads. */
    public long cpuNanos() {
        return Cpu.threadsNamed(THREAD_PREFIX);
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
    }
}
