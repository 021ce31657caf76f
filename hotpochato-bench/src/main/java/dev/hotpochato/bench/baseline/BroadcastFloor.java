package dev.hotpochato.bench.baseline;

import dev.hotpochato.bench.load.LoadGroup;
import dev.hotpochato.bench.load.Run;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The floor for a hand-off in a room of k: a plain Netty server that, for each frame one of k
 * clients sends, writes the same two frames (as long as a {@code Said} and a {@code TurnGranted})
 * to all k connections, the next client first, as the room does; the next client then sends. A
 * hand-off in a room of 64 writes to 64 sockets, which a two-party ping-pong does not: this is
 * what no server can beat for k members. Same transport, framing and thread count as the server,
 * and no application logic.
 */
public final class BroadcastFloor implements AutoCloseable {

    /** Thread-name prefix of the floor server's event loops. */
    public static final String THREAD_PREFIX = "bfloor-";

    private final RawNetty netty;
    private final ByteBuf broadcast;
    /** The server's side of each client's connection, in the order the clients connected. */
    private final List<Channel> members = new CopyOnWriteArrayList<>();
    private final List<Channel> clients = new ArrayList<>();
    /** The members' connections grouped by the server loop that owns them; set once all are connected. */
    private volatile List<List<Channel>> byLoop = List.of();
    private ByteBuf say;

    private BroadcastFloor(int workerThreads, int saidBytes, int grantedBytes) throws InterruptedException {
        this.broadcast = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(
                PingPongFloor.rawFrame(saidBytes), PingPongFloor.rawFrame(grantedBytes)));
        this.netty = new RawNetty(THREAD_PREFIX, workerThreads, new Broadcaster(), members::add);
    }

    /** Starts the floor's server with {@code workerThreads} loops (0: Netty's default, two per core). */
    public static BroadcastFloor start(int workerThreads, int saidBytes, int grantedBytes) throws InterruptedException {
        return new BroadcastFloor(workerThreads, saidBytes, grantedBytes);
    }

    public InetSocketAddress address() {
        return netty.address();
    }

    /**
     * Connects {@code k} clients on {@code load}, one after another, and starts the rotation: the
     * first sends, and each hand-off (from a client's send to the next client reading the second
     * frame of its broadcast) is recorded in {@code run} until the run stops.
     */
    public void startRoom(LoadGroup load, Run run, int k, int sayBytes) throws InterruptedException {
        say = Unpooled.unreleasableBuffer(PingPongFloor.rawFrame(sayBytes));
        Rotation rotation = new Rotation(run, k, say);
        for (int i = 0; i < k; i++) {
            int index = i;
            Channel ch = netty.connect(load, () -> new Member(rotation, index));
            clients.add(ch);
            // The server numbers connections in the order it sees them: one at a time.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (members.size() <= i) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broadcast floor did not see client " + i);
                }
                Thread.sleep(1);
            }
        }
        Map<EventLoop, List<Channel>> groups = new LinkedHashMap<>();
        for (Channel member : members) {
            groups.computeIfAbsent(member.eventLoop(), l -> new ArrayList<>()).add(member);
        }
        byLoop = List.copyOf(groups.values());
        Channel first = clients.get(0);
        first.eventLoop().execute(() -> rotation.send(first));
    }

    @Override
    public void close() {
        for (Channel ch : clients) {
            ch.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        netty.close();
        broadcast.unwrap().release();
        if (say != null) {
            say.unwrap().release();
        }
    }

    /**
     * The floor server's whole behaviour: a frame from member i goes out to all, member i + 1 first.
     * Writes are grouped by the event loop that owns each connection, one task per other loop, as a
     * careful Netty broadcast does (and as the server's output does), rather than one task per socket.
     */
    @ChannelHandler.Sharable
    private final class Broadcaster extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            List<Channel> all = members;
            Channel next = all.get((all.indexOf(ctx.channel()) + 1) % all.size());
            List<List<Channel>> groups = byLoop;
            for (List<Channel> group : groups) {
                if (group.contains(next)) {
                    send(group, next); // the next holder's loop first
                }
            }
            for (List<Channel> group : groups) {
                if (!group.contains(next)) {
                    send(group, null);
                }
            }
        }

        private void send(List<Channel> group, Channel first) {
            EventLoop loop = group.get(0).eventLoop();
            if (loop.inEventLoop()) {
                write(group, first);
            } else {
                loop.execute(() -> write(group, first));
            }
        }

        private void write(List<Channel> group, Channel first) {
            if (first != null) {
                first.writeAndFlush(broadcast.duplicate(), first.voidPromise());
            }
            for (Channel ch : group) {
                if (ch != first) {
                    ch.writeAndFlush(broadcast.duplicate(), ch.voidPromise());
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // clients reset their connections when a run ends
        }
    }

    /** What the k clients share: whose turn it is and when the last hand-off began. */
    private static final class Rotation {
        final Run run;
        final int k;
        final ByteBuf say;
        final AtomicLong sentAt = new AtomicLong();

        Rotation(Run run, int k, ByteBuf say) {
            this.run = run;
            this.k = k;
            this.say = say;
        }

        void send(Channel ch) {
            if (run.stopping()) {
                return;
            }
            sentAt.set(System.nanoTime());
            ch.writeAndFlush(say.duplicate(), ch.voidPromise());
        }
    }

    /** One of the k clients: counts broadcasts (two frames each) and speaks when it is next. */
    private static final class Member extends ChannelInboundHandlerAdapter {
        private final Rotation rotation;
        private final int index;
        private long frames;

        Member(Rotation rotation, int index) {
            this.rotation = rotation;
            this.index = index;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            frames++;
            if (frames % 2 != 0) {
                return;
            }
            long broadcasts = frames / 2; // broadcast n (from 1) was sent by member n - 1 (mod k)
            if (broadcasts % rotation.k == index) {
                rotation.run.handoff(System.nanoTime() - rotation.sentAt.get());
                rotation.send(ctx.channel());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            rotation.run.error("broadcast floor: " + cause);
            ctx.close();
        }
    }
}
