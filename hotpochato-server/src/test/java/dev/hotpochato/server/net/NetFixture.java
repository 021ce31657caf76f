package dev.hotpochato.server.net;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.room.Matchmaker;
import dev.hotpochato.server.room.MemoryRoomStore;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.RoomOutput;
import dev.hotpochato.server.room.RoomShard;
import dev.hotpochato.server.room.TurnClock;
import dev.hotpochato.server.room.rules.RoomSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's shared state (options, one room shard on a direct executor, the matchmaker, resume
 * tokens, the address ledger) for handler tests on {@link EmbeddedChannel}s, with time frozen and
 * moved by the test.
 */
final class NetFixture implements AutoCloseable {

    final ServerOptions options;
    final MemoryRoomStore rooms;
    final AddressLedger addresses;
    final ServerContext context;
    final TurnScheduler turnScheduler;
    private final List<Conn> connections = new ArrayList<>();

    NetFixture(ServerOptions.Builder options) {
        this(options, NodeStanding.SINGLE);
    }

    /** @param standing what a node of a cluster would answer about its standing (a session asks before an idle timeout) */
    NetFixture(ServerOptions.Builder options, NodeStanding standing) {
        this.options = options.build();
        RoomShard shard = new RoomShard(Runnable::run, new StoppedClock(), new DirectOutput(), ByteBufAllocator.DEFAULT);
        this.rooms = new MemoryRoomStore(List.of(shard), new RoomSettings(this.options.turnTimeout().toMillis(),
                this.options.maxMembersPerRoom(), "", false, this.options.maxTextBytes(), this.options.historySize()));
        this.addresses = new AddressLedger(this.options.maxConnections(), this.options.maxConnectionsPerAddress(),
                this.options.maxFailedAttemptsPerAddress(), 0);
        java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();
        this.context = new ServerContext(this.options, rooms, new Matchmaker(rooms, shard), new LocalResumeTokens(), addresses,
                dev.hotpochato.server.metrics.ServerMetrics.discarding(), ids::incrementAndGet, standing);
        this.turnScheduler = new TurnScheduler(rooms, this.options.maxTurnTimeout().toMillis());
    }

    /** A connection from {@code ip} through the server's handlers after the frame codec (not the rate limit or idle timer). */
    Conn connect(String ip) {
        Conn c = new Conn(address(ip), new ConnectionLimiter(addresses),
                new SlowConsumerGuard(options.slowConsumerTimeout().toMillis(), options.maxPendingOutboundBytes()),
                new SessionHandler(context), turnScheduler, ErrorHandler.INSTANCE);
        connections.add(c);
        return c;
    }

    /** Runs what every connection's loop (and so every session) has queued, until nothing is left. */
    void settle() {
        for (int round = 0; round < 100; round++) {
            boolean ran = false;
            for (Conn c : connections) {
                if (c.hasPendingTasks()) {
                    c.runPendingTasks();
                    ran = true;
                }
            }
            if (!ran) {
                return;
            }
        }
        throw new AssertionError("tasks kept coming");
    }

    /** Closes every connection and releases whatever it still held, so that the leak check sees none. */
    @Override
    public void close() {
        for (Conn c : connections) {
            c.finishAndReleaseAll();
        }
        settle();
    }

    static InetSocketAddress address(String ip) {
        try {
            return new InetSocketAddress(InetAddress.getByName(ip), 40000);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ClientFrame hello(long requestId, String name) {
        return ClientFrame.newBuilder().setRequestId(requestId).setHello(Hello.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName(name)).build();
    }

    /** An embedded connection with a remote IP address, its time standing still until advanced. */
    static final class Conn extends EmbeddedChannel {
        private final InetSocketAddress remote;
        private final MockTicker ticker;

        Conn(InetSocketAddress remote, ChannelHandler... handlers) {
            this(remote, Ticker.newMockTicker(), handlers);
        }

        /** Time moves only when the test advances the loop's ticker. */
        private Conn(InetSocketAddress remote, MockTicker ticker, ChannelHandler... handlers) {
            super(EmbeddedChannel.builder().register(false).ticker(ticker).handlers(handlers));
            this.remote = remote;
            this.ticker = ticker;
            try {
                register();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return remote;
        }

        /**
         * The connection is lost: closed through its pipeline, as the network would, and unlike
         * {@link #close()} without calling off the timers of its loop (a session's grace period
         * runs on the loop of its first connection).
         */
        void drop() {
            pipeline().close();
            runPendingTasks();
        }

        /** Moves this loop's time on, and runs what has come due. */
        @Override
        public void advanceTimeBy(long amount, TimeUnit unit) {
            ticker.advance(amount, unit);
            runScheduledPendingTasks();
        }

        /** The next frame the server wrote, encoded by the rooms or not; null if none. */
        ServerFrame next() {
            Object o = readOutbound();
            if (o == null || o instanceof ServerFrame) {
                return (ServerFrame) o;
            }
            ByteBuf buf = (ByteBuf) o;
            try {
                return ServerFrame.parseDelimitedFrom(new ByteBufInputStream(buf));
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                buf.release();
            }
        }

        ServerFrame expect(ServerFrame.BodyCase kind) {
            ServerFrame f = next();
            assertNotNull(f, () -> "expected " + kind + ", got nothing");
            assertEquals(kind, f.getBodyCase(), f::toString);
            return f;
        }

        Error expectError(Error.Code code) {
            Error e = expect(ServerFrame.BodyCase.ERROR).getError();
            assertEquals(code, e.getCode(), e::toString);
            return e;
        }

        void expectNothing() {
            Object o = readOutbound();
            assertTrue(o == null, () -> "expected nothing, got " + o);
        }

        void send(ClientFrame frame) {
            writeInbound(frame);
        }
    }

    /**
     * Writes each room frame to the member's connection at once. (ChannelOutput batches per event
     * loop and writes the batch of the current loop last; every embedded loop claims to be current.)
     */
    private static final class DirectOutput implements RoomOutput {
        @Override
        public void write(Participant to, ByteBuf frames) {
            Channel ch = to.channel();
            if (ch != null) {
                ch.writeAndFlush(frames, ch.voidPromise());
            } else {
                frames.release();
            }
        }

        @Override
        public void flush() {
        }
    }

    /** Turns in these tests never expire. */
    private static final class StoppedClock implements TurnClock {
        @Override
        public long currentTimeMillis() {
            return 0;
        }

        @Override
        public Cancellable schedule(Runnable task, long delayMillis) {
            return () -> {
            };
        }
    }
}
