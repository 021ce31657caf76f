package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Rooms on a direct executor, with a hand-driven clock and participants that record what they receive. */
final class RoomFixture {

    static final RoomSettings DEFAULTS = new RoomSettings(30_000, 100, "", false, 16, 8);

    final ManualClock clock = new ManualClock();
    final RoomOutput output = new RoomOutput() {
        @Override
        public void broadcast(List<? extends Participant> to, ServerFrame frame) {
            broadcasts++;
            to.forEach(p -> ((Member) p).inbox.add(frame));
        }

        @Override
        public void send(Participant to, ServerFrame frame) {
            ((Member) to).inbox.add(frame);
        }
    };
    int broadcasts;
    final RoomShard shard = new RoomShard(Runnable::run, clock, output);
    final Rooms rooms = new Rooms(List.of(shard), DEFAULTS);
    final Matchmaker matchmaker = new Matchmaker(rooms);
    private long nextId = 1;

    Member member(String name) {
        return new Member(nextId++, name, 32);
    }

    /** Joins {@code room} (creating it with {@code options} if new) and returns what the room replied. */
    ServerFrame join(Member m, String room, RoomOptions options, String password) {
        int before = m.inbox.size();
        shard.join(room, options, DEFAULTS, m, 77, password);
        return m.inbox.stream().skip(before).filter(f -> f.getRequestId() == 77).findFirst()
                .orElseThrow(() -> new AssertionError("no reply to Join"));
    }

    ServerFrame join(Member m, String room) {
        return join(m, room, RoomOptions.getDefaultInstance(), "");
    }

    Room room(String name) {
        return shard.findVisible(name, member("~observer"));
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
        public void joined(Room room) {
            joinedRooms.add(room.name());
        }

        @Override
        public void left(Room room) {
            rooms--;
            joinedRooms.remove(room.name());
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
