package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.RoomListing;
import dev.hotpochato.server.room.rules.RoomMember;
import dev.hotpochato.server.room.rules.RoomSettings;
import dev.hotpochato.server.room.rules.RoomState;
import dev.hotpochato.server.room.wire.WireOptions;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.CorruptedFrameException;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A room store under test, driven like the network layer drives it, with a hand-driven clock and
 * members that record, decoded, every frame the store writes to them.
 *
 * <p>The rule tests take a {@link Store} as their class parameter and run once per store: every
 * store must pass them unchanged. A new store adds a constant to {@link Store}.
 */
final class RoomFixture {

    static final RoomSettings DEFAULTS = new RoomSettings(30_000, 100, "", false, 16, 8);

    /** The stores the rule tests run against. */
    enum Store {
        /** {@link MemoryRoomStore} with one shard whose "event loop" is the calling thread. */
        MEMORY {
            @Override
            void build(RoomFixture f) {
                RoomShard shard = new RoomShard(Runnable::run, f.clock, f.output, io.netty.buffer.ByteBufAllocator.DEFAULT);
                f.store = new MemoryRoomStore(List.of(shard), DEFAULTS);
                f.matchmaker = new Matchmaker(f.store, shard);
            }
        };

        /** Makes {@code f.store} and {@code f.matchmaker}, writing to {@code f.output} and timed by {@code f.clock}. */
        abstract void build(RoomFixture f);
    }

    final ManualClock clock = new ManualClock();
    /** Decodes what the store writes into each member's inbox; tests may watch the writes too. */
    final RecordingOutput output = new RecordingOutput();
    RoomStore store;
    Matchmaker matchmaker;
    private long nextId = 1;

    RoomFixture(Store kind) {
        kind.build(this);
    }

    Member member(String name) {
        return new Member(nextId++, name, 32);
    }

    /** Joins {@code room} (creating it with {@code options} if new) and returns what the room replied. */
    ServerFrame join(Member m, String room, RoomOptions options, String password) {
        int before = m.inbox.size();
        store.join(m, 77, room, WireOptions.resolve(options, DEFAULTS), password);
        return m.inbox.stream().skip(before).filter(f -> f.getRequestId() == 77).findFirst()
                .orElseThrow(() -> new AssertionError("no reply to Join"));
    }

    ServerFrame join(Member m, String room) {
        return join(m, room, RoomOptions.getDefaultInstance(), "");
    }

    void say(Member m, String room, long requestId, String text) {
        store.say(m, requestId, room, text);
    }

    void pass(Member m, String room, long requestId) {
        store.pass(m, requestId, room);
    }

    void leave(Member m, String room, long requestId, LeaveReason reason) {
        store.leave(m, requestId, room, reason);
    }

    void invite(Member m, String room, long requestId, String invitee) {
        store.invite(m, requestId, room, invitee);
    }

    void away(Member m, String room) {
        store.away(m, room).join();
    }

    void back(Member m, String room, long lastSeenSeq) {
        store.back(m, room, lastSeenSeq);
    }

    /** The room's state now, or null if there is no such room. */
    RoomState state(String room) {
        return store.inspect(room).join();
    }

    /** The holder's name, or null while no turn runs. */
    String holder(String room) {
        RoomMember holder = state(room).holder();
        return holder == null ? null : holder.name();
    }

    /** The current holder of {@code room}, as one of {@code members}. */
    Member holderAmong(String room, Member... members) {
        String name = holder(room);
        for (Member m : members) {
            if (m.name.equals(name)) {
                return m;
            }
        }
        throw new AssertionError("the holder " + name + " is none of the given members");
    }

    List<RoomListing> publicRooms() {
        return store.list("", RoomStore.MAX_PAGE).join().rooms();
    }

    static final class Member implements Participant {
        final long id;
        final String name;
        final int maxRooms;
        int rooms;
        final List<ServerFrame> inbox = new ArrayList<>();
        final List<String> joinedRooms = new ArrayList<>();

        Member(long id, String name, int maxRooms) {
            this.id = id;
            this.name = name;
            this.maxRooms = maxRooms;
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
            return null; // the fixture's output does not need one
        }

        @Override
        public boolean tryTakeRoomSlot() {
            if (rooms >= maxRooms) {
                return false;
            }
            rooms++;
            return true;
        }

        @Override
        public void releaseRoomSlot() {
            rooms--;
        }

        @Override
        public void joined(String room) {
            joinedRooms.add(room);
        }

        @Override
        public void left(String room) {
            rooms--;
            joinedRooms.remove(room);
        }

        /** The frames received since the last call, and forgets them. */
        List<ServerFrame> drain() {
            List<ServerFrame> copy = new ArrayList<>(inbox);
            inbox.clear();
            return copy;
        }

        ServerFrame last(ServerFrame.BodyCase kind) {
            for (int i = inbox.size() - 1; i >= 0; i--) {
                if (inbox.get(i).getBodyCase() == kind) {
                    return inbox.get(i);
                }
            }
            fail(name + " received no " + kind + " among " + kinds());
            return null;
        }

        boolean received(Predicate<ServerFrame> match) {
            return inbox.stream().anyMatch(match);
        }

        String kinds() {
            return inbox.stream().map(f -> f.getBodyCase().name()).collect(Collectors.joining(","));
        }

        void assertNothing() {
            assertTrue(inbox.isEmpty(), () -> name + " should have received nothing, got " + inbox);
        }

        @Override
        public String toString() {
            return name + "#" + id;
        }
    }

    /**
     * An output that parses every frame it is given into its member's inbox, in order, and releases
     * the buffer. A test may also watch the writes themselves (who, in which order, which buffer).
     */
    static final class RecordingOutput implements RoomOutput {
        Consumer<Write> watcher = w -> { };

        /**
         * One write: to whom, the frames in it, and where its bytes are (writes that share a
         * buffer's memory are copies of one encoding).
         */
        record Write(Member to, List<ServerFrame> frames, long memory) {
        }

        @Override
        public void write(Participant to, ByteBuf frames) {
            try {
                List<ServerFrame> decoded = decode(frames);
                long memory = frames.hasMemoryAddress() ? frames.memoryAddress()
                        : ((long) System.identityHashCode(frames.array()) << 32) + frames.arrayOffset();
                watcher.accept(new Write((Member) to, decoded, memory));
                ((Member) to).inbox.addAll(decoded);
            } finally {
                frames.release();
            }
        }

        @Override
        public void flush() {
        }

        /** Complete frames, each a varint32 length and that many bytes; anything else fails the test. */
        static List<ServerFrame> decode(ByteBuf in) {
            List<ServerFrame> frames = new ArrayList<>();
            ByteBuf buf = in.duplicate();
            while (buf.isReadable()) {
                int length = 0;
                for (int shift = 0; ; shift += 7) {
                    byte b = buf.readByte();
                    length |= (b & 0x7F) << shift;
                    if (b >= 0) {
                        break;
                    }
                }
                if (length > buf.readableBytes()) {
                    throw new CorruptedFrameException("frame of " + length + " bytes, " + buf.readableBytes() + " left");
                }
                byte[] body = new byte[length];
                buf.readBytes(body);
                try {
                    frames.add(ServerFrame.parseFrom(body));
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new CorruptedFrameException(e);
                }
            }
            return frames;
        }
    }

    /** A clock that moves only when told, running the timers that fall due. */
    static final class ManualClock implements TurnClock {
        private long now = 1_000_000;
        private long seq;
        private final PriorityQueue<Timer> timers = new PriorityQueue<>();

        private final class Timer implements Comparable<Timer>, Cancellable {
            final long due;
            final long order = seq++;
            final Runnable task;
            boolean cancelled;

            Timer(long due, Runnable task) {
                this.due = due;
                this.task = task;
            }

            @Override
            public void cancel() {
                cancelled = true;
            }

            @Override
            public int compareTo(Timer o) {
                return due != o.due ? Long.compare(due, o.due) : Long.compare(order, o.order);
            }
        }

        @Override
        public long currentTimeMillis() {
            return now;
        }

        @Override
        public Cancellable schedule(Runnable task, long delayMillis) {
            Timer t = new Timer(now + delayMillis, task);
            timers.add(t);
            return t;
        }

        void advance(long millis) {
            long target = now + millis;
            while (!timers.isEmpty() && timers.peek().due <= target) {
                Timer t = timers.poll();
                now = t.due;
                if (!t.cancelled) {
                    t.task.run();
                }
            }
            now = target;
        }

        long pending() {
            return timers.stream().filter(t -> !t.cancelled).count();
        }
    }
}
