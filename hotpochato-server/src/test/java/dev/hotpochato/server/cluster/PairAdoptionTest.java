package dev.hotpochato.server.cluster;

import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.metrics.ServerMetrics;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.RoomOutput;
import dev.hotpochato.server.room.TurnClock;
import dev.hotpochato.server.room.rules.RoomCommand;
import dev.hotpochato.server.room.rules.RoomSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.concurrent.DefaultEventExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A waiter of one node paired by another ({@link ClusterRoomStore#adopt}), on one real Redis, with
 * the order of what reaches the adopting node set by the test: its subscription's confirmation and
 * the room's published commit are held back and let go when the test says (pub/sub may be that
 * slow), and its clock moves by hand.
 */
class PairAdoptionTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private static final RoomSettings SETTINGS = new RoomSettings(30_000, 100, "", false, 16, 8);
    private static final String ROOM = "~pair-test-1";

    private final List<Node> nodes = new ArrayList<>();

    /** A time that moves only when told; its timers run on the node's loop (advance is called there). */
    private static final class ManualClock implements TurnClock {
        private record Timer(long due, long order, Runnable task) {
        }

        private long now = 1_000_000;
        private long order;
        private final PriorityQueue<Timer> timers = new PriorityQueue<>(
                (a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));

        @Override
        public long currentTimeMillis() {
            return now;
        }

        @Override
        public Cancellable schedule(Runnable task, long delayMillis) {
            Timer t = new Timer(now + delayMillis, order++, task);
            timers.add(t);
            return () -> timers.remove(t);
        }

        void advance(long millis) {
            long target = now + millis;
            while (!timers.isEmpty() && timers.peek().due <= target) {
                Timer t = timers.poll();
                now = t.due;
                t.task.run();
            }
            now = target;
        }
    }

    /** A session of a node: the frames it was sent, and the rooms it joined. */
    private static final class Member implements Participant {
        final long id;
        final String name;
        final List<ServerFrame> inbox = new ArrayList<>();
        final CompletableFuture<String> joined = new CompletableFuture<>();

        Member(long id, String name) {
            this.id = id;
            this.name = name;
        }

        @Override
        public long sessionId() {
            return id;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Channel channel() {
            return null;
        }

        @Override
        public boolean tryTakeRoomSlot() {
            return true;
        }

        @Override
        public void releaseRoomSlot() {
        }

        @Override
        public void joined(String room) {
            joined.complete(room);
        }

        @Override
        public void left(String room) {
        }
    }

    /** Parses each frame (a varint32 length, then the frame) into its member's inbox. */
    private static final class Inboxes implements RoomOutput {
        @Override
        public void write(Participant to, ByteBuf frames) {
            try {
                while (frames.isReadable()) {
                    int length = 0;
                    for (int shift = 0; ; shift += 7) {
                        byte b = frames.readByte();
                        length |= (b & 0x7F) << shift;
                        if (b >= 0) {
                            break;
                        }
                    }
                    byte[] body = new byte[length];
                    frames.readBytes(body);
                    ((Member) to).inbox.add(ServerFrame.parseFrom(body));
                }
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            } finally {
                frames.release();
            }
        }

        @Override
        public void flush() {
        }
    }

    /** One node: its engine, one room loop with a manual clock, and its channels, which the test may hold back. */
    private final class Node implements RedisEngine.Channels {
        final DefaultEventExecutor loop = new DefaultEventExecutor();
        final ManualClock clock = new ManualClock();
        final RedisEngine redis = RedisEngine.connect(REDIS.uri(), Duration.ofSeconds(5), this);
        final ClusterRoomStore store = new ClusterRoomStore(redis, List.of(new ClusterRoomStore.Loop(loop, clock,
                new Inboxes())), SETTINGS, UnpooledByteBufAllocator.DEFAULT, ServerMetrics.discarding());
        /** While true, what Redis tells this node waits in {@link #held}. */
        boolean holding;
        final List<Runnable> held = new ArrayList<>();

        Node() {
            nodes.add(this);
        }

        @Override
        public synchronized void published(String room, byte[] message) {
            hold(() -> store.published(room, message));
        }

        @Override
        public synchronized void subscribed(String room) {
            hold(() -> store.subscribed(room));
        }

        private void hold(Runnable heard) {
            if (holding) {
                held.add(heard);
            } else {
                heard.run();
            }
        }

        /** Waits, up to a bounded deadline, until {@code n} things are held back. */
        void awaitHeld(int n) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (heldCount() < n) {
                assertTrue(System.nanoTime() < deadline, "only " + heldCount() + " of " + n + " held");
                Thread.onSpinWait();
            }
        }

        synchronized int heldCount() {
            return held.size();
        }

        /** Lets the oldest thing held back through. */
        synchronized void letOneGo() {
            held.remove(0).run();
        }

        /** Waits, up to a bounded deadline, until a timer of the loop is armed. */
        void awaitTimer() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!loop.submit(() -> !clock.timers.isEmpty()).get(5, TimeUnit.SECONDS)) {
                assertTrue(System.nanoTime() < deadline, "no timer armed");
            }
        }

        /** Everything this node asked Redis so far is answered, and everything its loop was handed is done. */
        void settle() throws Exception {
            loop.submit(() -> { }).get(5, TimeUnit.SECONDS); // commands its tasks have sent, sent
            redis.read("hp:test:settle").toCompletableFuture().get(5, TimeUnit.SECONDS); // one connection, in order
            loop.submit(() -> { }).get(5, TimeUnit.SECONDS); // their answers, handled
        }

        void advance(long millis) throws Exception {
            loop.submit(() -> clock.advance(millis)).get(5, TimeUnit.SECONDS);
        }
    }

    @AfterEach
    void close() {
        for (Node n : nodes) {
            n.redis.close();
            n.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    @Test
    void aPairCommittedBetweenTheAdoptionsLookAndItsSubscriptionsResyncIsAdopted() throws Exception {
        assertEquals("+OK", REDIS.command("FLUSHALL"));
        Node adopter = new Node();
        Node maker = new Node();
        Member xena = new Member(adopter.redis.generation() << 32 | 1, "xena");
        Member yuri = new Member(maker.redis.generation() << 32 | 1, "yuri");

        // The maker took xena out of the lobby and told her node, which looks for the room: it
        // subscribes and reads it (not there yet). Its subscription's confirmation is slow to come.
        adopter.holding = true;
        CompletableFuture<Boolean> adopted = adopter.store.adopt(ROOM, xena, 7);
        adopter.awaitHeld(1);
        adopter.awaitTimer(); // subscribed, the room read (not there yet), the next look armed
        // The maker commits the pair room; its message to xena's node is slow too.
        maker.store.pairWithRemote(ROOM, new RoomCommand.Pairing(xena.id, xena.name, 7), yuri, 9);
        assertEquals(ROOM, yuri.joined.get(5, TimeUnit.SECONDS));
        adopter.awaitHeld(2);
        // Now the confirmation comes (a resync after a subscription reads the room's events), then the message.
        adopter.letOneGo();
        adopter.settle();
        adopter.settle();
        adopter.letOneGo();
        adopter.settle();

        // The node keeps looking until its deadline, as it would.
        for (long waited = 0; !adopted.isDone() && waited <= ClusterRoomStore.ADOPT_MILLIS;
             waited += ClusterRoomStore.GAP_MILLIS) {
            adopter.advance(ClusterRoomStore.GAP_MILLIS);
            adopter.settle();
            adopter.settle();
        }
        assertTrue(adopted.get(5, TimeUnit.SECONDS), "xena is admitted to the room made for her");
        assertEquals(ROOM, xena.joined.getNow(null));
        ServerFrame paired = xena.inbox.get(0);
        assertTrue(paired.hasPaired(), () -> "her Match is answered first: " + xena.inbox);
        assertEquals(7, paired.getRequestId());
        assertEquals("yuri", paired.getPaired().getPartner());
        assertFalse(xena.inbox.stream().filter(ServerFrame::hasPaired).count() > 1, "told once");
    }
}
