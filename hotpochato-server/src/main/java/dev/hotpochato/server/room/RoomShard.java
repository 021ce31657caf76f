package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.RoomSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The rooms that live on one thread. A room's name decides its shard, so finding, creating and
 * removing a room never races: all of it happens on the shard's thread, without locks.
 *
 * <p>This is the single owner of its rooms' state; a later version may put a shard on another node.
 */
public final class RoomShard {

    private static final Logger LOG = LoggerFactory.getLogger(RoomShard.class);

    private final Executor executor;
    private final TurnClock clock;
    private final RoomOutput output;
    private final Map<String, Room> rooms = new HashMap<>();
    /** The thread the executor runs tasks on, once seen (an event loop keeps one thread for life). */
    private volatile Thread thread;

    public RoomShard(Executor executor, TurnClock clock, RoomOutput output) {
        this.executor = executor;
        this.clock = new FlushingClock(clock);
        this.output = output;
    }

    /**
     * Runs {@code task} on this shard's thread, then delivers the frames it produced. Called on that
     * thread already (a connection served by the same event loop), it runs at once: no hop.
     */
    public void execute(Runnable task) {
        if (Thread.currentThread() == thread) {
            runAndFlush(task);
            return;
        }
        try {
            executor.execute(() -> runAndFlush(task));
        } catch (RejectedExecutionException refused) {
            if (!(executor instanceof ExecutorService service) || !service.isShutdown()) {
                throw refused;
            }
            // The server is stopping: what a closing connection still asks of the rooms (leaving)
            // has nothing left to change, and the stack trace Netty would log says nothing useful.
            LOG.debug("room task dropped: the server is stopping", refused);
        }
    }

    private void runAndFlush(Runnable task) {
        thread = Thread.currentThread();
        try {
            task.run();
        } finally {
            output.flush();
        }
    }

    /** The rooms' clock: a timer (a turn expiring) is a room task like any other, so its frames are flushed too. */
    private final class FlushingClock implements TurnClock {
        private final TurnClock clock;

        FlushingClock(TurnClock clock) {
            this.clock = clock;
        }

        @Override
        public long currentTimeMillis() {
            return clock.currentTimeMillis();
        }

        @Override
        public Cancellable schedule(Runnable task, long delayMillis) {
            return clock.schedule(() -> runAndFlush(task), delayMillis);
        }
    }

    /** The output this shard's rooms write to. */
    public RoomOutput output() {
        return output;
    }

    /**
     * Handles {@code Join}: the room called {@code name} takes {@code p} in, and is created with
     * {@code requested} options if it does not exist yet. Call on this shard's thread.
     */
    public void join(String name, RoomOptions requested, RoomSettings defaults, Participant p, long requestId,
                     String password) {
        Room room = rooms.get(name);
        if (room == null) {
            room = create(name, RoomSettings.resolve(requested, defaults), false);
        }
        room.join(p, requestId, password);
        if (room.memberCount() == 0) {
            room.close(null); // the creator was refused; no empty room is left behind
        }
    }

    /** The room called {@code name} if {@code p} may know of it: public, or private with {@code p} in it. */
    public Room findVisible(String name, Participant p) {
        Room room = rooms.get(name);
        return room == null || (room.isPrivate() && !room.isMember(p)) ? null : room;
    }

    /** Creates a private room for a pair; its name must be unused. */
    public Room createPrivate(String name, RoomSettings settings) {
        return create(name, settings, true);
    }

    private Room create(String name, RoomSettings settings, boolean privateRoom) {
        Room room = new Room(name, settings, privateRoom, clock, output, () -> rooms.remove(name));
        rooms.put(name, room);
        return room;
    }

    /** Summaries of the public rooms. Call on this shard's thread. */
    public List<RoomSummary> publicSummaries() {
        List<RoomSummary> list = new ArrayList<>();
        for (Room room : rooms.values()) {
            if (!room.isPrivate()) {
                list.add(room.summary());
            }
        }
        return list;
    }

    /** Closes every room, telling members why. Call on this shard's thread. */
    public void closeAll(String reason) {
        for (Room room : new ArrayList<>(rooms.values())) {
            room.close(reason);
        }
        output.flush(); // before anyone is told that the rooms are closed
    }

    public int roomCount() {
        return rooms.size();
    }
}
