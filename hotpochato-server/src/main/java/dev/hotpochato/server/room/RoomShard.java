package dev.hotpochato.server.room;

import com.google.protobuf.MessageLite;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.metrics.ServerMetrics;
import dev.hotpochato.server.room.rules.RoomCommand;
import dev.hotpochato.server.room.rules.RoomListing;
import dev.hotpochato.server.room.rules.RoomOutcome;
import dev.hotpochato.server.room.rules.RoomRules;
import dev.hotpochato.server.room.rules.RoomSettings;
import dev.hotpochato.server.room.rules.RoomState;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The rooms that live on one thread (an event loop), as {@link MemoryRoomStore} keeps them: each
 * room's state, its history, its members on this server and its turn timer ({@link LocalRoom}). A
 * room's name decides its shard, so finding, creating, changing and removing a room never races:
 * all of it happens on the shard's thread, without locks.
 *
 * <p>A command runs as one task: the rules ({@link RoomRules#apply}) give the outcome, a
 * {@link RoomDelivery} encodes its events once and writes them to the members, the next holder
 * first, the shard re-arms the turn timer, and the output flushes at the end of the task.
 *
 * <p>Everything but {@link #execute} must be called on the shard's thread.
 */
public final class RoomShard {

    private static final Logger LOG = LoggerFactory.getLogger(RoomShard.class);

    private final Executor executor;
    private final TurnClock clock;
    private final RoomOutput output;
    private final ByteBufAllocator alloc;
    private final Map<String, LocalRoom> rooms = new HashMap<>();
    /** Names of the public rooms, sorted, for listing by page. */
    private final TreeSet<String> publicNames = new TreeSet<>();
    private final RoomOutcome outcome = new RoomOutcome();
    private final RoomDelivery delivery;
    private final ServerMetrics metrics;
    /** The thread the executor runs tasks on, once seen (an event loop keeps one thread for life). */
    private volatile Thread thread;

    public RoomShard(Executor executor, TurnClock clock, RoomOutput output, ByteBufAllocator alloc) {
        this(executor, clock, output, alloc, ServerMetrics.discarding());
    }

    /** @param metrics where the shard counts rooms, members, hand-offs and their latency, turns expired and skipped */
    public RoomShard(Executor executor, TurnClock clock, RoomOutput output, ByteBufAllocator alloc,
                     ServerMetrics metrics) {
        this.metrics = metrics;
        this.executor = executor;
        this.clock = new FlushingClock(clock);
        this.output = output;
        this.alloc = alloc;
        this.delivery = new RoomDelivery(output, alloc);
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

    /**
     * Applies {@code command} of {@code requester} on this shard's thread: at once if this is that
     * thread (then without even a task object), else as a task handed to it.
     */
    public void submit(RoomCommand command, Participant requester) {
        // A Say or Pass may hand the turn on: its latency runs from here, its arrival at the shard.
        long arrived = command instanceof RoomCommand.Say || command instanceof RoomCommand.Pass ? System.nanoTime() : 0;
        if (Thread.currentThread() == thread) {
            try {
                apply(command, requester, null, arrived);
            } finally {
                output.flush();
            }
        } else {
            execute(() -> apply(command, requester, null, arrived));
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

    // ------------------------------------------------------------------ commands (on the shard's thread)

    /**
     * Handles {@code Join}: takes a room slot of {@code p} if the join gets that far, applies it,
     * and gives the slot back if {@code p} was not admitted after all.
     */
    public void join(Participant p, long requestId, String room, RoomSettings settingsIfCreated, String password) {
        join(p, requestId, room, settingsIfCreated, password, false);
    }

    /** As {@link #join(Participant, long, String, RoomSettings, String)}, as audience if {@code audience}. */
    public void join(Participant p, long requestId, String room, RoomSettings settingsIfCreated, String password,
                     boolean audience) {
        LocalRoom entry = rooms.get(room);
        boolean slot = RoomRules.joinNeedsSlot(entry == null ? null : entry.state, p.sessionId(), p.name(), password)
                && p.tryTakeRoomSlot();
        apply(new RoomCommand.Join(room, p.sessionId(), p.name(), requestId, password, slot, settingsIfCreated,
                audience), p, null);
        if (slot && !admitted(p.sessionId())) {
            p.releaseRoomSlot();
        }
    }

    /** Applies a command that {@code requester} (or nobody: a timer, the server) made to its room, and delivers the outcome. */
    public void apply(RoomCommand command, Participant requester) {
        apply(command, requester, null);
    }

    /** Makes a pair's private room and admits both; see {@link RoomStore#pair}. */
    public void pair(RoomCommand.AdmitPair command, Participant first, Participant second) {
        apply(command, first, second);
    }

    private void apply(RoomCommand command, Participant a, Participant b) {
        apply(command, a, b, 0);
    }

    /** @param arrivedNanos when a Say or Pass reached the shard ({@link System#nanoTime}); 0 for other commands */
    private void apply(RoomCommand command, Participant a, Participant b, long arrivedNanos) {
        String name = command.room();
        LocalRoom entry = rooms.get(name);
        long now = clock.currentTimeMillis();
        RoomRules.apply(entry == null ? null : entry.state, command, now, outcome);
        RoomState after = outcome.state();
        if (entry == null && after != null) {
            entry = new LocalRoom(after);
            rooms.put(name, entry);
            if (!after.isPrivate()) {
                publicNames.add(name);
            }
            metrics.roomOpened();
            LOG.debug("room {} opened ({})", name, after.isPrivate() ? "private" : "public");
        }
        delivery.deliver(name, entry, outcome, a, b);
        count(command, arrivedNanos);
        if (entry == null) {
            return;
        }
        if (after == null || after.isClosed()) {
            metrics.roomClosed();
            LOG.debug("room {} closed", name);
            rooms.remove(name);
            publicNames.remove(name);
            cancelExpiry(entry);
            entry.history.clear();
        } else if (outcome.deadlineChanged()) {
            rearm(entry, now);
        }
    }

    /**
     * Counts what the outcome just delivered did: members in and out, turns expired and skipped,
     * refusals sent, and a hand-off by a Say or Pass, with its latency up to now, when the frames
     * (the next holder's TurnGranted first) have been written. Allocates nothing.
     */
    private void count(RoomCommand command, long arrivedNanos) {
        for (int i = 0; i < outcome.admitted().size(); i++) {
            metrics.memberJoined();
        }
        for (int i = 0; i < outcome.removed().size(); i++) {
            metrics.memberLeft();
        }
        OutcomeMetrics.count(metrics, command, outcome, arrivedNanos);
    }

    private boolean admitted(long sessionId) {
        for (int i = 0; i < outcome.admitted().size(); i++) {
            if (outcome.admitted().get(i).sessionId() == sessionId) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ timers

    private void rearm(LocalRoom entry, long now) {
        cancelExpiry(entry);
        RoomState s = entry.state;
        long wakeAt = s.wakeAtMillis();
        if (wakeAt > 0) {
            String name = s.name();
            entry.wake = clock.schedule(() -> {
                if (rooms.get(name) == entry) {
                    entry.wake = null;
                    apply(new RoomCommand.Wake(name), null);
                }
            }, Math.max(0, wakeAt - now));
        }
        if (s.holderIndex() >= 0 && s.deadlineMillis() > 0) {
            long turn = s.turn();
            String name = s.name();
            entry.expiry = clock.schedule(() -> {
                if (rooms.get(name) == entry) { // not a timer of a room that closed and was made again
                    entry.expiry = null;
                    apply(new RoomCommand.ExpireTurn(name, turn), null);
                }
            }, Math.max(0, s.deadlineMillis() - now));
        }
    }

    private static void cancelExpiry(LocalRoom entry) {
        if (entry.expiry != null) {
            entry.expiry.cancel();
            entry.expiry = null;
        }
        if (entry.wake != null) {
            entry.wake.cancel();
            entry.wake = null;
        }
    }

    // ------------------------------------------------------------------ views

    /** A copy of the room's state, or null. */
    public RoomState inspect(String name) {
        LocalRoom entry = rooms.get(name);
        return entry == null ? null : entry.state.copy();
    }

    /** Up to {@code limit} public rooms named after {@code after} (all if it is empty), sorted. */
    public RoomPage page(String after, int limit) {
        List<RoomListing> page = new ArrayList<>(Math.min(limit, publicNames.size()));
        for (String name : after.isEmpty() ? publicNames : publicNames.tailSet(after, false)) {
            if (page.size() == limit) {
                return new RoomPage(page, page.get(limit - 1).name());
            }
            page.add(rooms.get(name).state.listing());
        }
        return new RoomPage(page, "");
    }

    /** Sends one frame to one participant, with this shard's output: for the matchmaker, which lives here. */
    public void send(Participant to, MessageLite frame) {
        if (frame instanceof ServerFrame f && f.hasError()) {
            metrics.errorSent(f.getError().getCode());
        }
        output.write(to, FrameEncoder.encode(alloc, frame));
    }

    /** Closes every room, telling members why, and flushes. */
    public void closeAll(String reason) {
        for (String name : new ArrayList<>(rooms.keySet())) {
            apply(new RoomCommand.Close(name, reason), null);
        }
        output.flush(); // before anyone is told that the rooms are closed
    }

    public int roomCount() {
        return rooms.size();
    }
}
