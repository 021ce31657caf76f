package dev.hotpochato.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * A crowd of {@link Bot}s connected to one server, each through its own connection on the
 * {@link LoadGroup}. Connecting is bounded in flight so that the server's accept backlog is not
 * overrun, and may spread connections over several local 127.0.0.x addresses to get past the
 * ephemeral port range of one address.
 */
public final class Bots implements AutoCloseable {

    private final List<Bot> bots;
    /** Every bot a connection was attempted for, welcomed or not: all are closed at the end. */
    private final List<Bot> attempted;
    private final int failures;
    private final String firstFailure;
    private final double connectSeconds;

    private Bots(List<Bot> bots, List<Bot> attempted, int failures, String firstFailure, double connectSeconds) {
        this.bots = bots;
        this.attempted = attempted;
        this.failures = failures;
        this.firstFailure = firstFailure;
        this.connectSeconds = connectSeconds;
    }

    /** How to connect. */
    public record Plan(int count, int sourceAddresses, int maxInFlight, boolean stopOnFailure, Duration timeout) {
        public static Plan of(int count) {
            return new Plan(count, 1, 256, true, Duration.ofSeconds(60));
        }
    }

    /**
     * Connects {@code plan.count()} bots made by {@code botFactory} and waits for each one's Welcome.
     * With {@code stopOnFailure}, the first failure throws; otherwise connecting stops there and the
     * bots welcomed so far are kept (used to find how many connections a server holds).
     */
    public static Bots connect(LoadGroup load, InetSocketAddress server, Plan plan, IntFunction<Bot> botFactory,
                               IntSupplier progress) throws InterruptedException {
        return connect(load, server, plan, botFactory, progress, Framing.TCP);
    }

    /** As above, each bot's connection carrying frames as {@code framing} says. */
    public static Bots connect(LoadGroup load, InetSocketAddress server, Plan plan, IntFunction<Bot> botFactory,
                               IntSupplier progress, Framing framing) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap()
                .group(load.group())
                .channel(load.transport().channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        List<Bot> welcomed = Collections.synchronizedList(new ArrayList<>(plan.count()));
        List<Bot> attempted = new ArrayList<>(plan.count());
        Semaphore inFlight = new Semaphore(plan.maxInFlight());
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + plan.timeout().toNanos();
        for (int i = 0; i < plan.count() && failures.get() == 0; i++) {
            if (!inFlight.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, "timed out connecting after " + i + " connections");
                break;
            }
            Bot bot = botFactory.apply(i);
            attempted.add(bot);
            CompletableFuture<Void> done = new CompletableFuture<>();
            pending.add(done);
            ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    framing.install(ch, server);
                    ch.pipeline().addLast("bot", bot);
                }
            }).connect(server, sourceAddress(i, plan.sourceAddresses()));
            connect.addListener(f -> {
                if (!f.isSuccess()) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, "connect #" + (welcomed.size() + 1) + ": " + f.cause());
                    inFlight.release();
                    done.complete(null);
                }
            });
            bot.welcomed().whenComplete((ok, error) -> {
                if (error == null) {
                    welcomed.add(bot);
                } else if (connect.isSuccess()) {
                    failures.incrementAndGet();
                    firstFailure.compareAndSet(null, error.getMessage());
                }
                inFlight.release();
                done.complete(null);
            });
            if (progress != null && i % 1024 == 0) {
                progress.getAsInt();
            }
        }
        for (CompletableFuture<Void> f : pending) {
            try {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                failures.incrementAndGet();
                firstFailure.compareAndSet(null, "no Welcome in time");
                break;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Bots bots = new Bots(new ArrayList<>(welcomed), attempted, failures.get(), firstFailure.get(), seconds);
        if (plan.stopOnFailure() && failures.get() > 0) {
            bots.close();
            throw new IllegalStateException("could not connect " + plan.count() + " clients: " + firstFailure.get());
        }
        return bots;
    }

    /** Local address for the i-th connection: 127.0.0.2, .3, ... round robin; null (any) for one address. */
    private static InetSocketAddress sourceAddress(int i, int sourceAddresses) {
        if (sourceAddresses <= 1) {
            return null;
        }
        return new InetSocketAddress("127.0.0." + (2 + i % sourceAddresses), 0);
    }

    public List<Bot> bots() {
        return bots;
    }

    public int size() {
        return bots.size();
    }

    public int failures() {
        return failures;
    }

    public String firstFailure() {
        return firstFailure;
    }

    /** Wall time from the first connect to the last Welcome. */
    public double connectSeconds() {
        return connectSeconds;
    }

    /** Joins every bot to {@code room} one after another, so that the rotation follows the list's order. */
    public void joinInOrder(String room, Duration timeout) throws Exception {
        for (Bot bot : bots) {
            bot.join(room).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        List<ChannelFuture> closing = new ArrayList<>(attempted.size());
        for (Bot bot : attempted) {
            bot.closing();
            Channel ch = bot.channel();
            if (ch != null) {
                closing.add(ch.close());
            }
        }
        for (ChannelFuture f : closing) {
            f.awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        for (Bot bot : attempted) {
            if (bot.channel() != null) {
                bot.channel().eventLoop().execute(bot::free);
            }
        }
    }
}
