package dev.hotpochato.server.cluster;

import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.server.metrics.ServerMetrics;
import dev.hotpochato.server.room.LocalRoom;
import dev.hotpochato.server.room.OutcomeMetrics;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.RoomDelivery;
import dev.hotpochato.server.room.RoomOutput;
import dev.hotpochato.server.room.RoomPage;
import dev.hotpochato.server.room.RoomStore;
import dev.hotpochato.server.room.TurnClock;
import dev.hotpochato.server.room.rules.FloorRules;
import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.RoomCommand;
import dev.hotpochato.server.room.rules.RoomEvent;
import dev.hotpochato.server.room.rules.RoomListing;
import dev.hotpochato.server.room.rules.RoomMember;
import dev.hotpochato.server.room.rules.RoomOutcome;
import dev.hotpochato.server.room.rules.RoomReply;
import dev.hotpochato.server.room.rules.RoomRules;
import dev.hotpochato.server.room.rules.RoomSettings;
import dev.hotpochato.server.room.rules.RoomState;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * The rooms of a cluster, kept in Redis ({@link RedisEngine}) and shared by every node: the
 * {@code --cluster} store. A node applies the turn rules ({@link RoomRules}) to the room's state
 * as it last saw it and commits the result through one Redis Function, which writes it only if
 * the room's version is still the one the node computed from; otherwise it returns the current
 * state and the node computes again from that. So each room has one order of events, whichever
 * node a command came through, and a command's answer (its events, or a refusal such as
 * {@code NOT_YOUR_TURN}) is the one a single node would give.
 *
 * <p>Per node, rooms are spread over shards by name as in memory, one per event loop; a shard alone
 * touches its rooms, without locks, and never waits: Redis answers arrive on Lettuce's threads and
 * hop back to the shard. A shard commits one command per room at a time, in the order they came,
 * so one participant's commands apply in the order it made them.
 *
 * <p>A node subscribes to the channel of each room with members on it. What it commits itself it
 * delivers when Redis confirms the commit; what other nodes commit arrives on the channel. Both go
 * through the same {@link RoomDelivery} as in memory (encoded once, the next holder first), in seq
 * order: an arrival ahead of a missing seq waits for it, and if it has not come after
 * {@link #GAP_MILLIS} the missing events are read from the room's stream.
 *
 * <p>Turn timers: every node with members in a room arms the timer of its current turn; when it
 * fires the node commits {@code ExpireTurn} for that turn like any command. The first commit wins;
 * the others find the turn over (a version conflict, then a no-op) and change nothing, so a turn
 * expires exactly once whichever nodes live. The floor's wake-up ({@link RoomCommand.Wake}: a
 * talk-time warning, a room's time running out) is armed and committed the same way.
 *
 * <p>Every turn policy, audience and floor request works as on one node: the floor is part of the
 * stored state ({@link StateCodec}), and a floor request is committed like a Say.
 */
public final class ClusterRoomStore implements RoomStore {

    private static final Logger log = LoggerFactory.getLogger(ClusterRoomStore.class);

    /** How long an arrival waits for a missing seq before the node reads it from the stream. */
    static final long GAP_MILLIS = 200;
    /** How long a timer's commit that failed (Redis away) waits before it is tried again; doubled up to {@link #MAX_TIMER_RETRY_MILLIS}. */
    static final long TIMER_RETRY_MILLIS = 1_000;
    /** The longest wait between two tries of a timer's commit while Redis keeps failing. */
    static final long MAX_TIMER_RETRY_MILLIS = 5_000;
    /**
     * After a commit got no answer in time, how long the node keeps asking Redis whether it was
     * applied before it tells the requester it cannot know. Short enough that the answer comes
     * before a client's own request timeout (10 s by default) after Redis's (5 s).
     */
    static final long CONFIRM_MILLIS = 4_000;
    /** The longest wait between two tries of a read from the stream that failed. */
    static final long MAX_FILL_RETRY_MILLIS = 2_000;
    /** How long a node looks for a pair room another node said it made for one of its waiters. */
    static final long ADOPT_MILLIS = 10_000;
    /** Commit attempts of one command before it is refused as UNAVAILABLE: only under heavy contention. */
    static final int MAX_ATTEMPTS = 16;

    /** One event loop of the node, as a shard needs it. */
    public record Loop(Executor executor, TurnClock clock, RoomOutput output) {
    }

    private final RedisEngine redis;
    private final List<Shard> shards;
    private final RoomSettings defaults;
    private final ByteBufAllocator alloc;
    private final ServerMetrics metrics;
    private final CommitRefusals refusals = new CommitRefusals();

    /**
     * @param metrics counts what this node sees: rooms and members with sessions here, and the
     *                hand-offs, expiries and refusals it commits or sends itself
     */
    public ClusterRoomStore(RedisEngine redis, List<Loop> loops, RoomSettings defaults, ByteBufAllocator alloc,
                            ServerMetrics metrics) {
        if (loops.isEmpty()) {
            throw new IllegalArgumentException("at least one loop is needed");
        }
        this.redis = redis;
        this.defaults = defaults;
        this.alloc = alloc;
        this.metrics = metrics;
        List<Shard> s = new ArrayList<>(loops.size());
        for (Loop loop : loops) {
            s.add(new Shard(loop));
        }
        this.shards = List.copyOf(s);
    }

    /** Where the engine hands what other nodes committed: (room, message), on any thread. */
    public void published(String room, byte[] message) {
        if (StateCodec.origin(message) == redis.generation()) {
            // This node's own commit: delivered when Redis confirms it, with its requesters' replies
            // (if that confirmation is lost, the events are read from the stream as a gap). Dropped
            // here, before the hop to the shard and the decoding: it is half of what a node hears.
            return;
        }
        Shard shard = shardFor(room);
        shard.execute(() -> shard.arrived(room, message));
    }

    /**
     * Redis confirmed the subscription to {@code room}'s channel, perhaps again after a reconnect:
     * what was published while the node was not subscribed is read from the room's stream.
     */
    public void subscribed(String room) {
        Shard shard = shardFor(room);
        shard.execute(() -> shard.resync(room));
    }

    private Shard shardFor(String room) {
        return shards.get(Math.floorMod(room.hashCode(), shards.size()));
    }

    @Override
    public RoomSettings defaults() {
        return defaults;
    }

    @Override
    public void join(Participant p, long requestId, String room, RoomSettings settingsIfCreated, String password) {
        join(p, requestId, room, settingsIfCreated, password, false);
    }

    @Override
    public void join(Participant p, long requestId, String room, RoomSettings settingsIfCreated, String password,
                     boolean audience) {
        submit(new Pending(new RoomCommand.Join(room, p.sessionId(), p.name(), requestId, password, false,
                settingsIfCreated, audience), p, null, requestId, null));
    }

    /** Committed like a Say: the floor is part of the room's stored state. */
    @Override
    public void floor(Participant p, RoomCommand command) {
        RoomCommand.FloorCommand c = (RoomCommand.FloorCommand) command;
        submit(new Pending(c, p, null, c.requestId(), null));
    }

    @Override
    public void leave(Participant p, long requestId, String room, LeaveReason reason) {
        submit(new Pending(new RoomCommand.Leave(room, p.sessionId(), requestId, reason), p, null, requestId, null));
    }

    @Override
    public void say(Participant p, long requestId, String room, String text) {
        submit(new Pending(new RoomCommand.Say(room, p.sessionId(), requestId, text), p, null, requestId, null));
    }

    @Override
    public void pass(Participant p, long requestId, String room) {
        submit(new Pending(new RoomCommand.Pass(room, p.sessionId(), requestId), p, null, requestId, null));
    }

    @Override
    public void invite(Participant p, long requestId, String room, String invitee) {
        submit(new Pending(new RoomCommand.Invite(room, p.sessionId(), requestId, invitee), p, null, requestId, null));
    }

    @Override
    public CompletableFuture<Void> away(Participant p, String room) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        submit(new Pending(new RoomCommand.Away(room, p.sessionId()), p, null, 0, done));
        return done;
    }

    @Override
    public void back(Participant p, String room, long lastSeenSeq) {
        submit(new Pending(new RoomCommand.Back(room, p.sessionId(), lastSeenSeq), p, null, 0, null));
    }

    @Override
    public void pair(String room, Participant first, long firstMatchRequestId, Participant second,
                     long secondMatchRequestId) {
        RoomCommand.AdmitPair command = new RoomCommand.AdmitPair(room, defaults.forPair(),
                new RoomCommand.Pairing(first.sessionId(), first.name(), firstMatchRequestId),
                new RoomCommand.Pairing(second.sessionId(), second.name(), secondMatchRequestId));
        Pending pending = new Pending(command, first, second, firstMatchRequestId, null);
        pending.secondRequestId = secondMatchRequestId;
        submit(pending);
    }

    /** {@code p}'s session moved to another node: this node no longer delivers {@code room} to it, and commits nothing for it. */
    @Override
    public void forget(Participant p, String room) {
        Shard shard = shardFor(room);
        shard.execute(() -> shard.forget(p, room));
    }

    /**
     * As {@link #pair}, {@code first} being a waiter of another node, which this node took out of the
     * lobby: its node adopts the room ({@link #adopt}) once this commit made it.
     */
    void pairWithRemote(String room, RoomCommand.Pairing first, Participant second, long secondMatchRequestId) {
        RoomCommand.AdmitPair command = new RoomCommand.AdmitPair(room, defaults.forPair(), first,
                new RoomCommand.Pairing(second.sessionId(), second.name(), secondMatchRequestId));
        Pending pending = new Pending(command, null, second, 0, null);
        pending.secondRequestId = secondMatchRequestId;
        submit(pending);
    }

    /**
     * Another node made the pair room {@code room} for {@code p}, a waiter of this node: {@code p}
     * becomes its member here and is told as a single node tells it ({@code Paired}, {@code Joined},
     * then the room's events from its admission), once the room is found with {@code p} in it.
     * Completes with false if it is not found within {@link #ADOPT_MILLIS} (the other node failed
     * before its commit): {@code p} was never admitted.
     */
    CompletableFuture<Boolean> adopt(String room, Participant p, long matchRequestId) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        Shard shard = shardFor(room);
        shard.execute(() -> shard.adopt(room, new Adoption(p, matchRequestId, done)));
        return done;
    }

    private void submit(Pending p) {
        Shard shard = shardFor(p.command.room());
        shard.execute(() -> shard.enqueue(p));
    }

    @Override
    public CompletableFuture<RoomPage> list(String after, int limit) {
        int n = limit <= 0 || limit > MAX_PAGE ? MAX_PAGE : limit;
        CompletableFuture<RoomPage> page = new CompletableFuture<>();
        redis.publicNames(after, n + 1).thenCompose(names -> {
            List<CompletableFuture<RedisEngine.Stored>> reads = new ArrayList<>(names.size());
            for (String name : names) {
                reads.add(redis.read(name).toCompletableFuture());
            }
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<RoomListing> rooms = new ArrayList<>(names.size());
                for (CompletableFuture<RedisEngine.Stored> read : reads) {
                    byte[] bytes = read.join().state();
                    if (bytes != null) {
                        RoomState s = StateCodec.state(bytes);
                        if (!s.isPrivate() && !s.isClosed()) {
                            rooms.add(s.listing());
                        }
                    }
                }
                rooms.sort(Comparator.comparing(RoomListing::name));
                boolean more = names.size() > n;
                List<RoomListing> shown = List.copyOf(rooms.subList(0, Math.min(n, rooms.size())));
                return new RoomPage(shown, more && !shown.isEmpty() ? shown.get(shown.size() - 1).name() : "");
            });
        }).whenComplete((result, failure) -> {
            if (failure != null) {
                page.completeExceptionally(failure);
            } else {
                page.complete(result);
            }
        });
        return page;
    }

    @Override
    public CompletableFuture<RoomState> inspect(String room) {
        return redis.read(room).thenApply(stored -> stored.state() == null ? null : StateCodec.state(stored.state()))
                .toCompletableFuture();
    }

    /**
     * The node stops: the rooms live on in Redis for the other nodes, so its own members leave them
     * ({@code DISCONNECTED}), which moves the turn on at once if one of them held it. Completes once
     * every leave is committed (or failed).
     */
    /**
     * The node is about to leave the cluster as it stops: the commits still queued on it will be
     * refused ({@code FENCED}), which is expected, so each is logged at DEBUG only; see
     * {@link #logRefusedWhileStopping()}.
     */
    public void leavingCluster() {
        refusals.leavingCluster();
    }

    /** Once the node has stopped: one line for the commits refused after it left the cluster, if any. */
    public void logRefusedWhileStopping() {
        long refused = refusals.whileStopping();
        if (refused > 0) {
            log.info("refused {} commits while stopping: they were still queued when this node left the cluster "
                    + "(their requesters were told UNAVAILABLE, nothing changed)", refused);
        }
    }

    @Override
    public CompletableFuture<Void> closeAll(String reason) {
        List<CompletableFuture<Void>> parts = new ArrayList<>();
        for (Shard shard : shards) {
            CompletableFuture<List<CompletableFuture<Void>>> listed = new CompletableFuture<>();
            shard.execute(() -> listed.complete(shard.leaveAll()));
            parts.add(listed.thenCompose(leaves -> CompletableFuture.allOf(leaves.toArray(CompletableFuture[]::new))));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }

    /** Rooms this node tracks (members here, or commands on their way): for tests and diagnostics. */
    public CompletableFuture<Integer> trackedRooms() {
        List<CompletableFuture<Integer>> parts = new ArrayList<>();
        for (Shard shard : shards) {
            CompletableFuture<Integer> part = new CompletableFuture<>();
            shard.execute(() -> part.complete(shard.rooms.size()));
            parts.add(part);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new))
                .thenApply(done -> parts.stream().mapToInt(CompletableFuture::join).sum());
    }

    // ------------------------------------------------------------------ per room, per shard

    /** A command waiting for its commit. */
    private static final class Pending {
        final RoomCommand command;
        final Participant a;
        final Participant b;
        final long requestId;
        long secondRequestId;
        final CompletableFuture<Void> done;
        int attempts;
        /** A Join took a room slot of {@link #a}. */
        boolean slotTaken;
        /** A Back of a session taken over from another node: the room is kept here for it first ({@link Shard#takeOver}). */
        boolean adopted;
        /** When the command reached the store: a hand-off's latency runs from here. */
        final long arrivedNanos = System.nanoTime();

        Pending(RoomCommand command, Participant a, Participant b, long requestId, CompletableFuture<Void> done) {
            this.command = command;
            this.a = a;
            this.b = b;
            this.requestId = requestId;
            this.done = done;
        }

        /** A timer's commit (a turn's expiry, the floor's wake-up): nobody's request, so the node itself tries it again. */
        boolean byTimer() {
            return command instanceof RoomCommand.ExpireTurn || command instanceof RoomCommand.Wake;
        }
    }

    /** {@code first}, doubled for each of the {@code failures} before it, at most {@code max}. */
    static long backoff(long first, int failures, long max) {
        return Math.min(max, first << Math.min(failures, 4));
    }

    /** Whether a commit that got no answer was applied: see {@link Shard#confirm}. */
    private enum Landed { YES, NO, UNKNOWN }

    /** What a commit wrote, to find it again in Redis after its answer was lost. */
    private record Written(long expected, char mode, byte[] state, List<long[]> seqs, List<byte[]> events) {

        /**
         * Judged from the room as Redis has it after the commit ({@code stored}) and the stream entry
         * at the seq of the commit's first event ({@code first}: empty if none).
         */
        Landed landed(RedisEngine.Stored stored, List<byte[]> first) {
            if (stored.version() <= expected) {
                return Landed.NO; // a commit moves the version on: this one was not applied
            }
            if (!events.isEmpty() && !first.isEmpty()) {
                // That seq is written by whichever commit took the room from the expected version.
                return java.util.Arrays.equals(first.get(0), events.get(0)) ? Landed.YES : Landed.NO;
            }
            if (stored.version() == expected + 1) {
                if (mode == 'd') {
                    return stored.state() == null ? Landed.YES : Landed.NO;
                }
                if (events.isEmpty()) {
                    return java.util.Arrays.equals(stored.state(), state) ? Landed.YES : Landed.NO;
                }
            }
            return Landed.UNKNOWN; // moved on since, and the first event is no longer kept
        }
    }

    /** A waiter of this node that another node paired into a room: see {@link #adopt}. */
    private record Adoption(Participant p, long matchRequestId, CompletableFuture<Boolean> done) {
    }

    /** Something to deliver to a room's members here, in seq order: a commit of this node or of another. */
    private static final class Arrival {
        /** Events' first and last seq; for an outcome without events, first = last + 1 = its place. */
        final long first;
        final long last;
        final long order;
        final RoomState state;
        /** This node's own outcome (with its requesters), or null for another node's events. */
        final RoomOutcome own;
        final Participant a;
        final Participant b;
        final List<RoomEvent> events;

        Arrival(long first, long last, long order, RoomState state, RoomOutcome own, Participant a, Participant b,
                List<RoomEvent> events) {
            this.first = first;
            this.last = last;
            this.order = order;
            this.state = state;
            this.own = own;
            this.a = a;
            this.b = b;
            this.events = events;
        }

        boolean hasEvents() {
            return last >= first;
        }
    }

    private static final Comparator<Arrival> ARRIVAL_ORDER = Comparator.<Arrival>comparingLong(x -> x.first)
            .thenComparing(x -> x.hasEvents() ? 1 : 0) // a reply placed after seq S goes before event S + 1
            .thenComparingLong(x -> x.order);

    /** One room as a shard tracks it: while it has members here or commands on their way. */
    private static final class Room {
        final String name;
        /** The room's version and state as this node last saw them; valid while {@link #known}. */
        long version;
        RoomState cached;
        boolean known;
        /** Subscribed to its channel: the cache is kept up to date and arrivals are delivered in order. */
        boolean subscribed;
        /** The last seq delivered here (valid while subscribed). */
        long delivered;
        LocalRoom local;
        final ArrayDeque<Pending> queue = new ArrayDeque<>(2);
        boolean busy;
        final PriorityQueue<Arrival> held = new PriorityQueue<>(ARRIVAL_ORDER);
        long arrivals;
        TurnClock.Cancellable gapTimer;
        boolean filling;
        /** Reads from the stream that failed in a row (Redis away): the next try waits longer. */
        int failedFills;
        /** Timer commits that failed in a row (Redis away): the next try waits longer. */
        int failedTimers;
        /** A read from the stream waits for this node's commit on its way, so as not to take its events for another's. */
        boolean refill;
        TurnClock.Cancellable expiry;
        long armedTurn = -1;
        long armedDeadline;
        /** A waiter of this node to admit here when the room is found with it (see {@link #adopt}). */
        Adoption adopting;
        /** The floor's wake-up timer, and the time it is armed for (0: none). */
        TurnClock.Cancellable wake;
        long armedWakeAt;

        Room(String name) {
            this.name = name;
        }
    }

    private final class Shard {
        private final Executor executor;
        private final TurnClock clock;
        private final RoomOutput output;
        private final RoomDelivery delivery;
        final Map<String, Room> rooms = new HashMap<>();
        private volatile Thread thread;

        Shard(Loop loop) {
            this.executor = loop.executor();
            this.clock = loop.clock();
            this.output = loop.output();
            this.delivery = new RoomDelivery(output, alloc);
        }

        void execute(Runnable task) {
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
                log.debug("room task dropped: the server is stopping", refused);
            }
        }

        private void runAndFlush(Runnable task) {
            thread = Thread.currentThread();
            try {
                task.run();
            } catch (RuntimeException e) {
                log.error("cluster room task failed", e);
            } finally {
                output.flush();
            }
        }

        /** Runs {@code task} on this shard when {@code stage} completes, whatever the outcome. */
        private <T> void then(CompletionStage<T> stage, java.util.function.BiConsumer<T, Throwable> task) {
            stage.whenComplete((value, failure) -> execute(() -> task.accept(value, failure)));
        }

        // -------------------------------------------------------------- commands

        void enqueue(Pending p) {
            Room r = rooms.computeIfAbsent(p.command.room(), Room::new);
            r.queue.add(p);
            pump(r);
        }

        /** Starts the next command of {@code r} unless one is on its way. */
        private void pump(Room r) {
            if (r.busy) {
                return;
            }
            Pending p = r.queue.peek();
            if (p == null) {
                forgetIfIdle(r);
                return;
            }
            r.busy = true;
            if (p.command instanceof RoomCommand.Back && !p.adopted && p.a != null
                    && (r.local == null || !r.local.holds(p.a))) {
                takeOver(r, p);
                return;
            }
            boolean admits = p.command instanceof RoomCommand.Join || p.command instanceof RoomCommand.AdmitPair;
            if (admits && !r.subscribed) {
                // Subscribed before the state is read: nothing committed after the read can be missed.
                then(redis.subscribe(r.name), (ok, failure) -> {
                    if (failure != null) {
                        failed(r, p, failure);
                        return;
                    }
                    r.subscribed = true;
                    r.known = false;
                    readThenCompute(r, p, true);
                });
            } else if (!r.known || !r.subscribed) {
                readThenCompute(r, p, false);
            } else {
                compute(r, p);
            }
        }

        // -------------------------------------------------------------- a session taken over from another node

        /**
         * The Back of a session this node took over (a Resume here of a session another node had,
         * or adopted from a dead node), in a room it may not keep here yet: as for a Join, the node
         * subscribes to the room first and then reads it, so that nothing committed after the read
         * is missed; then it reads the room's stream into the room's history here, makes the session
         * one of the room's members here (away), and only then applies the Back. So the rules and
         * the delivery replay what the client missed after its last seq from that history, as they
         * do on the node that kept it all along, and the member is back once it has it.
         */
        private void takeOver(Room r, Pending p) {
            p.adopted = true;
            if (r.subscribed) {
                if (r.known) {
                    readHistory(r, p, new ArrayList<>(), 1);
                } else {
                    readThenAdopt(r, p, false);
                }
                return;
            }
            then(redis.subscribe(r.name), (ok, failure) -> {
                if (failure != null) {
                    failed(r, p, failure);
                    return;
                }
                r.subscribed = true;
                r.known = false;
                readThenAdopt(r, p, true);
            });
        }

        private void readThenAdopt(Room r, Pending p, boolean subscribing) {
            readState(r, p, subscribing, () -> readHistory(r, p, new ArrayList<>(), 1));
        }

        /** Reads the room's kept events from {@code from} on, until they reach the last seq delivered here. */
        private void readHistory(Room r, Pending p, List<RoomEvent> events, long from) {
            then(redis.events(r.name, from, Long.MAX_VALUE), (blobs, failure) -> {
                if (failure != null) {
                    failed(r, p, failure);
                    return;
                }
                for (byte[] b : blobs) {
                    events.add(StateCodec.event(b));
                }
                long last = events.isEmpty() ? 0 : events.get(events.size() - 1).seq();
                if (!blobs.isEmpty() && last < r.delivered) {
                    readHistory(r, p, events, last + 1); // delivered here while the read was on its way
                    return;
                }
                RoomState s = r.cached;
                if (s == null || !s.isMember(p.a.sessionId())) {
                    // Not a member any more: the room closed, or it was removed, after this node
                    // took the session over. Nothing to bring back; the client is told as one node tells it.
                    p.a.closedWhileAway(r.name);
                    finish(r, p);
                    return;
                }
                List<RoomEvent> kept = new ArrayList<>(events.size());
                for (RoomEvent e : events) {
                    if (e.seq() <= r.delivered) {
                        kept.add(e);
                    }
                }
                if (r.local == null) {
                    r.local = new LocalRoom(s);
                    metrics.roomOpened();
                }
                delivery.remember(r.name, r.local, kept);
                int before = r.local.localCount();
                r.local.adopt(p.a);
                if (r.local.localCount() > before) {
                    metrics.memberJoined(); // counted here: the Back's delivery finds the member already here
                }
                compute(r, p);
            });
        }

        void forget(Participant p, String name) {
            Room r = rooms.get(name);
            if (r != null && r.local != null && r.local.drop(p)) {
                metrics.memberLeft();
                if (r.local.localParticipants().isEmpty()) {
                    r.local = null;
                    metrics.roomClosed();
                    rearm(r);
                }
                forgetIfIdle(r);
            }
        }

        private void readThenCompute(Room r, Pending p, boolean subscribing) {
            readState(r, p, subscribing, () -> compute(r, p));
        }

        /**
         * Reads the room's state into the cache ({@code subscribing}: just subscribed, so delivery
         * starts after the seq read), then runs {@code next}; a failed read fails {@code p}.
         */
        private void readState(Room r, Pending p, boolean subscribing, Runnable next) {
            then(redis.read(r.name), (stored, failure) -> {
                if (failure != null) {
                    failed(r, p, failure);
                    return;
                }
                refresh(r, stored.version(), stored.state());
                if (subscribing) {
                    r.delivered = r.cached == null ? 0 : r.cached.seq();
                }
                next.run();
            });
        }

        private void refresh(Room r, long version, byte[] state) {
            r.version = version;
            r.cached = state == null ? null : StateCodec.state(state);
            r.known = true;
        }

        private void compute(Room r, Pending p) {
            RoomState before = r.cached == null ? null : r.cached.copy();
            RoomCommand command = p.command;
            if (command instanceof RoomCommand.Join j) {
                if (!p.slotTaken && RoomRules.joinNeedsSlot(before, j.sessionId(), j.name(), j.password())) {
                    p.slotTaken = p.a.tryTakeRoomSlot();
                }
                command = new RoomCommand.Join(j.room(), j.sessionId(), j.name(), j.requestId(), j.password(),
                        p.slotTaken, j.settings(), j.audience());
            }
            RoomOutcome out = new RoomOutcome();
            RoomRules.apply(before, command, clock.currentTimeMillis(), out);
            if (!out.changed() && command instanceof RoomCommand.ExpireTurn) {
                finish(r, p); // the turn is over already: nothing to say to anyone
                return;
            }
            if (!out.changed() && command instanceof RoomCommand.Wake) {
                finish(r, p); // another node woke the room first, or nothing is due yet
                rearm(r);
                return;
            }
            long expected = r.version;
            RoomState after = out.state();
            char mode;
            byte[] state = null;
            if (!out.changed()) {
                mode = 'c'; // a refusal or a reply: answered only if the room is still as we saw it
            } else if (after == null || after.isClosed()) {
                mode = 'd';
                after = null;
            } else {
                mode = 'w';
                if (after.version() != expected + 1) {
                    after = withVersion(after, expected + 1); // a room made again over an old one's tombstone
                }
                state = StateCodec.state(after);
            }
            List<RoomEvent> events = out.events();
            List<long[]> seqs = new ArrayList<>(events.size());
            List<byte[]> blobs = new ArrayList<>(events.size());
            for (RoomEvent e : events) {
                seqs.add(new long[] {e.seq()});
                blobs.add(StateCodec.event(e));
            }
            byte[] message = events.isEmpty() ? null : StateCodec.commit(redis.generation(), after, events);
            RoomState committed = mode == 'c' ? r.cached : after;
            int history = after != null ? after.settings().historySize()
                    : before != null ? before.settings().historySize() : defaults.historySize();
            boolean publicRoom = after != null && !after.isPrivate();
            Written written = new Written(expected, mode, state, seqs, blobs);
            // r.cached, not before: the rules changed that copy into after.
            List<RedisEngine.SessionChange> sessions = sessionChanges(p, r.cached, after, out, mode != 'c');
            then(redis.commit(r.name, expected, mode, state, message, publicRoom, history, seqs, blobs, sessions),
                    (result, failure) -> {
                        if (failure != null) {
                            r.known = false; // it may or may not have been committed: read it again
                            if (mode != 'c' && RedisEngine.outcomeUnknown(failure)) {
                                confirm(r, p, out, committed, written,
                                        failure, clock.currentTimeMillis() + CONFIRM_MILLIS);
                            } else {
                                failed(r, p, failure);
                            }
                        } else if (result.sessionMoved()) {
                            sessionMoved(r, p);
                        } else if (!result.committed()) {
                            refresh(r, result.version(), result.state());
                            if (++p.attempts >= MAX_ATTEMPTS) {
                                failed(r, p, new IllegalStateException("too many concurrent changes to " + r.name));
                            } else {
                                r.busy = false;
                                pump(r); // the same command again, from the current state
                            }
                        } else {
                            if (mode != 'c') {
                                r.version = result.version();
                                r.cached = committed;
                            }
                            committedHere(r, p, out, committed);
                        }
                    });
        }

        /**
         * Redis refused the command because its session is another node's now: it resumed there, and
         * this node has not heard yet (the {@code moved} message is on its way, or was lost while the
         * node's subscription reconnected). Nothing was written; the session lets go here as on that
         * message, which closes its connection here if it still has one.
         */
        private void sessionMoved(Room r, Pending p) {
            log.debug("room {}: {} not committed: session {} moved to another node", r.name,
                    p.command.getClass().getSimpleName(), p.a.sessionId());
            if (p.slotTaken) {
                p.a.releaseRoomSlot();
            }
            p.a.moved();
            finish(r, p);
        }

        private void committedHere(Room r, Pending p, RoomOutcome out, RoomState after) {
            if (p.byTimer()) {
                r.failedTimers = 0;
            }
            if (p.command instanceof RoomCommand.AdmitPair && p.a == null) {
                out = pairSideHere(out, after, p.b);
            }
            List<RoomEvent> events = out.events();
            count(p, out);
            if (!r.subscribed) {
                deliver(r, after, out, p.a, p.b, events);
            } else {
                long first = events.isEmpty() ? (after == null ? r.delivered : after.seq()) + 1 : events.get(0).seq();
                long last = events.isEmpty() ? first - 1 : events.get(events.size() - 1).seq();
                r.held.add(new Arrival(first, last, r.arrivals++, after, out, p.a, p.b, events));
                drain(r);
            }
            if (p.slotTaken && !admitted(out, p.a.sessionId())) {
                p.a.releaseRoomSlot();
            }
            finish(r, p);
        }

        private void finish(Room r, Pending p) {
            r.queue.poll();
            r.busy = false;
            if (p.done != null) {
                p.done.complete(null);
            }
            if (r.refill && r.subscribed) {
                // Sent before the next commit, on the same connection: it cannot see that commit.
                r.refill = false;
                if (r.held.isEmpty()) {
                    resync(r.name);
                } else {
                    fillGap(r);
                }
            }
            pump(r);
        }

        /**
         * Counts what this node's own commit did: a hand-off by a Say or Pass (its latency up to the
         * commit's confirmation, when the next holder's frames are written), turns expired and
         * skipped, refusals. Members and rooms are counted where they are delivered ({@link #deliver}).
         */
        private void count(Pending p, RoomOutcome out) {
            OutcomeMetrics.count(metrics, p.command, out, p.arrivedNanos);
        }

        /**
         * A commit that got no answer in time may have been applied all the same. Asks Redis, on the
         * same connection (so after the commit, if Redis got it), whether the room holds what it wrote,
         * again while Redis still does not answer, until {@code deadline}: the requester then gets the
         * commit's normal answer if it landed, {@code UNAVAILABLE} "nothing changed" if it did not,
         * and an {@code UNAVAILABLE} that says the change may have been recorded if the node cannot
         * tell. The room stays busy meanwhile, so its next command waits behind the answer.
         */
        private void confirm(Room r, Pending p, RoomOutcome out, RoomState committed, Written w, Throwable failure,
                             long deadline) {
            log.warn("{} not answered: {}; finding out whether it was committed all the same",
                    p.command.getClass().getSimpleName(), RedisEngine.describe(failure));
            boolean[] answered = {false};
            TurnClock.Cancellable giveUp = clock.schedule(() -> {
                if (!answered[0]) {
                    answered[0] = true;
                    unknownOutcome(r, p);
                }
            }, Math.max(0, deadline - clock.currentTimeMillis()));
            askLanded(r, w, 0, landed -> {
                if (answered[0]) {
                    return; // the deadline came first
                }
                answered[0] = true;
                giveUp.cancel();
                switch (landed) {
                    case YES -> {
                        // As after an answered commit (timers are armed from the cache); still read
                        // again before the next command, as others may have committed since.
                        r.version = w.expected() + 1;
                        r.cached = committed;
                        committedHere(r, p, out, committed);
                    }
                    case NO -> failed(r, p, failure);
                    case UNKNOWN -> unknownOutcome(r, p);
                }
            }, answered);
        }

        /** One question to Redis (the room's version, and the stream entry of the first event written); asked again after a failure. */
        private void askLanded(Room r, Written w, int tries, Consumer<Landed> answer, boolean[] answered) {
            CompletableFuture<RedisEngine.Stored> stored = redis.read(r.name).toCompletableFuture();
            CompletableFuture<List<byte[]>> first = w.seqs().isEmpty() ? CompletableFuture.completedFuture(List.of())
                    : redis.events(r.name, w.seqs().get(0)[0], w.seqs().get(0)[0]).toCompletableFuture();
            then(stored.thenCombine(first, w::landed), (landed, failure) -> {
                if (answered[0]) {
                    return;
                }
                if (failure == null) {
                    answer.accept(landed);
                } else {
                    clock.schedule(() -> askLanded(r, w, tries + 1, answer, answered),
                            backoff(GAP_MILLIS, tries, MAX_FILL_RETRY_MILLIS));
                }
            });
        }

        /** A commit whose outcome the node could not learn in time: the requester is told it may have been recorded. */
        private void unknownOutcome(Room r, Pending p) {
            log.warn("{}: could not learn from Redis in time whether it was committed; its requester is told it "
                    + "may have been", p.command.getClass().getSimpleName());
            log.debug("room {}: {} may or may not be committed", r.name, p.command.getClass().getSimpleName());
            tellUnavailable(r, p, "the cluster's store did not answer in time; this may have been recorded all the "
                    + "same: the room's events will show it");
            if (p.byTimer()) {
                retryTimer(r, p.command); // a second expiry of the same turn changes nothing
            }
            // A room slot taken by a Join stays taken: the member may be in the room (a later read
            // of the room, or its grace, settles it).
            finish(r, p);
            // If it landed, its events reach the members here from the stream (this node ignores its
            // own commits on the channel), retried while Redis stays away: so the events show it.
            resync(r.name);
        }

        /** Answers the command's requesters (both strangers of a pair) with {@code UNAVAILABLE} saying {@code why}. */
        private void tellUnavailable(Room r, Pending p, String why) {
            if (p.a != null && p.requestId != 0) {
                send(p.a, Frames.unavailable(p.requestId, why, r.name));
                metrics.errorSent(Error.Code.UNAVAILABLE);
            }
            if (p.command instanceof RoomCommand.AdmitPair) {
                send(p.b, Frames.unavailable(p.secondRequestId, why, r.name));
            }
        }

        /** Redis refused, or could not be reached, or did not answer and the node found nothing was applied: the requester is told nothing changed. */
        private void failed(Room r, Pending p, Throwable failure) {
            // Room names are logged at DEBUG only (docs/operations.md): the WARN line says what and why.
            if (refusals.expected(failure)) { // this node left the cluster as it stops: counted, one line at the end
                log.debug("room {}: {} not committed: this node left the cluster", r.name,
                        p.command.getClass().getSimpleName());
            } else {
                log.warn("{} not committed: {}", p.command.getClass().getSimpleName(), RedisEngine.describe(failure));
                log.debug("room {}: {} not committed", r.name, p.command.getClass().getSimpleName());
            }
            tellUnavailable(r, p, "the cluster's store is unavailable; nothing changed, try again");
            if (p.command instanceof RoomCommand.AdmitPair) {
                if (p.a != null) { // a waiter of another node: its node finds no room and lets it wait again
                    p.a.releaseRoomSlot();
                }
                p.b.releaseRoomSlot();
            }
            if (p.slotTaken) {
                p.a.releaseRoomSlot();
            }
            if (p.byTimer()) {
                retryTimer(r, p.command);
            }
            finish(r, p);
        }

        /**
         * A timer's commit (a turn's expiry, the floor's wake-up) is nobody's request, so nobody
         * sends it again: without this, a turn whose deadline passed while Redis was away would
         * never expire. Tried again after {@link #TIMER_RETRY_MILLIS}, doubling up to
         * {@link #MAX_TIMER_RETRY_MILLIS} while Redis keeps failing, until it commits or the room's
         * timers were armed again by a commit from elsewhere (the rules make a late one a no-op).
         */
        private void retryTimer(Room r, RoomCommand command) {
            long delay = backoff(TIMER_RETRY_MILLIS, r.failedTimers++, MAX_TIMER_RETRY_MILLIS);
            clock.schedule(() -> {
                if (rooms.get(r.name) != r) {
                    return;
                }
                if (command instanceof RoomCommand.ExpireTurn x && r.armedTurn == -1) {
                    enqueue(new Pending(x, null, null, 0, null));
                } else if (command instanceof RoomCommand.Wake w && r.armedWakeAt == 0) {
                    enqueue(new Pending(w, null, null, 0, null));
                }
            }, delay);
        }

        private void send(Participant to, ServerFrame frame) {
            output.write(to, FrameEncoder.encode(alloc, frame));
        }

        // -------------------------------------------------------------- delivery

        /** Another node's commit, from the room's channel. */
        void arrived(String name, byte[] message) {
            Room r = rooms.get(name);
            if (r == null || !r.subscribed) {
                return; // nobody here any more
            }
            StateCodec.Commit c = StateCodec.commit(message); // another node's: see published for this node's own
            if (c.events().isEmpty()) {
                return;
            }
            if (c.state() != null && (!r.known || c.state().version() > r.version)) {
                r.version = c.state().version();
                r.cached = c.state();
                r.known = true;
            } else if (c.state() == null && c.lastSeq() > r.delivered) {
                r.known = false; // the room is gone; its tombstone's version is read on the next command
            }
            r.held.add(new Arrival(c.firstSeq(), c.lastSeq(), r.arrivals++, c.state(), null, null, null, c.events()));
            drain(r);
        }

        /** Delivers what is held in seq order, as far as no seq is missing. */
        private void drain(Room r) {
            Arrival x;
            while ((x = r.held.peek()) != null) {
                if (x.hasEvents()) {
                    if (x.last <= r.delivered) {
                        r.held.poll(); // delivered already (a gap filled from the stream, then the message)
                        continue;
                    }
                    if (x.own == null && x.first <= r.delivered) {
                        // Read from the stream while the same events came by the channel: the rest only.
                        r.held.poll();
                        long after = r.delivered;
                        List<RoomEvent> rest = x.events.stream().filter(e -> e.seq() > after).toList();
                        r.held.add(new Arrival(after + 1, x.last, x.order, x.state, null, null, null, rest));
                        continue;
                    }
                    if (x.first != r.delivered + 1) {
                        awaitGap(r);
                        return;
                    }
                } else if (x.first > r.delivered + 1) {
                    awaitGap(r);
                    return;
                }
                r.held.poll();
                deliver(r, x.state, x.own, x.a, x.b, x.events);
                if (x.hasEvents()) {
                    r.delivered = x.last;
                }
            }
            if (r.gapTimer != null) {
                r.gapTimer.cancel();
                r.gapTimer = null;
            }
        }

        private void deliver(Room r, RoomState after, RoomOutcome own, Participant a, Participant b,
                             List<RoomEvent> events) {
            RoomOutcome out = own;
            if (out == null) {
                out = new RoomOutcome();
                List<RoomMember> closing = new ArrayList<>();
                if (r.local != null) {
                    for (Participant p : r.local.localParticipants()) {
                        closing.add(new RoomMember(p.sessionId(), p.name(), false, 0));
                    }
                }
                RoomState known = after != null ? after : r.local != null ? r.local.state() : r.cached;
                List<RoomReply> replies = repliesHere(r, events);
                List<RoomMember> admitted = List.of();
                Adoption x = r.adopting;
                RoomMember adoptee = x == null || known == null ? null : known.member(x.p().sessionId());
                if (adoptee != null && known.members().size() == 2) {
                    replies = pairReplies(known, x);
                    admitted = List.of(adoptee);
                    a = x.p();
                    r.adopting = null;
                    x.done().complete(true);
                }
                out.committedElsewhere(known, events, closing, replies, admitted);
                if (r.local == null && !admitted.isEmpty()) {
                    r.local = new LocalRoom(known);
                    metrics.roomOpened();
                }
            }
            if (r.local == null && !out.admitted().isEmpty() && after != null) {
                r.local = new LocalRoom(after);
                metrics.roomOpened();
            }
            if (r.local != null && after != null) {
                r.local.state(after);
            }
            int before = r.local == null ? 0 : r.local.localCount();
            delivery.deliver(r.name, r.local, out, a, b);
            int now = r.local == null ? 0 : r.local.localCount();
            for (int i = before; i < now; i++) {
                metrics.memberJoined();
            }
            for (int i = now; i < before; i++) {
                metrics.memberLeft();
            }
            if (r.local != null && now == 0) {
                r.local = null;
                metrics.roomClosed();
            }
            rearm(r);
        }

        /**
         * What a single node would also have told one of this node's members about another node's
         * commit: a member a chair removed gets its {@code Left} (reason REMOVED) where the others
         * get {@code MemberRemoved}. Worked out from the events, so a commit read from the stream
         * gives it too.
         */
        private List<RoomReply> repliesHere(Room r, List<RoomEvent> events) {
            List<RoomReply> replies = List.of();
            for (RoomEvent e : events) {
                if (e instanceof RoomEvent.MemberRemoved x && r.local != null && r.local.isLocal(x.sessionId())) {
                    if (replies.isEmpty()) {
                        replies = new ArrayList<>(1);
                    }
                    replies.add(new RoomReply.Removed(x.sessionId(), 0, x.seq() - 1, x.by(), x.message()));
                }
            }
            return replies;
        }

        /**
         * What one side of a pair is told when its room is made, worked out as the room's node did:
         * the rules applied to the same pairing (the replies do not depend on the time).
         */
        private List<RoomReply> pairReplies(RoomState room, Adoption x) {
            RoomMember first = room.members().get(0);
            RoomMember second = room.members().get(1);
            long mine = x.p().sessionId();
            long firstRequest = first.sessionId() == mine ? x.matchRequestId() : 0;
            long secondRequest = second.sessionId() == mine ? x.matchRequestId() : 0;
            RoomOutcome made = new RoomOutcome();
            RoomRules.apply(null, new RoomCommand.AdmitPair(room.name(), room.settings(),
                    new RoomCommand.Pairing(first.sessionId(), first.name(), firstRequest),
                    new RoomCommand.Pairing(second.sessionId(), second.name(), secondRequest)), 0, made);
            List<RoomReply> replies = new ArrayList<>(2);
            for (RoomReply reply : made.replies()) {
                if (reply.sessionId() == mine) {
                    replies.add(reply);
                }
            }
            return replies;
        }

        /** This node's side of a pair it made with a waiter of another node: only what concerns {@code here}. */
        private RoomOutcome pairSideHere(RoomOutcome out, RoomState after, Participant here) {
            List<RoomReply> replies = new ArrayList<>(2);
            for (RoomReply reply : out.replies()) {
                if (reply.sessionId() == here.sessionId()) {
                    replies.add(reply);
                }
            }
            List<RoomMember> admitted = new ArrayList<>(1);
            for (RoomMember m : out.admitted()) {
                if (m.sessionId() == here.sessionId()) {
                    admitted.add(m);
                }
            }
            RoomOutcome mine = new RoomOutcome();
            mine.committedElsewhere(after, List.copyOf(out.events()), List.of(), replies, admitted);
            return mine;
        }

        void adopt(String name, Adoption x) {
            Room r = rooms.computeIfAbsent(name, Room::new);
            if (r.adopting != null || r.local != null) {
                x.done().complete(false); // a pair room's name is new: not one this node has
                return;
            }
            r.adopting = x;
            lookForAdoption(r, x, clock.currentTimeMillis() + ADOPT_MILLIS);
        }

        /**
         * Subscribed first, then the room read until it holds the adoptee (the other node may not
         * have committed yet); its events are then read from the stream, and delivering them admits
         * the adoptee. Gives up at {@code deadline}.
         */
        private void lookForAdoption(Room r, Adoption x, long deadline) {
            if (r.adopting != x) {
                return; // adopted: the commit came on the channel
            }
            if (clock.currentTimeMillis() >= deadline) {
                r.adopting = null;
                x.done().complete(false);
                forgetIfIdle(r);
                return;
            }
            if (!r.subscribed) {
                then(redis.subscribe(r.name), (ok, failure) -> {
                    if (failure == null && !r.subscribed && rooms.get(r.name) == r) {
                        r.subscribed = true;
                        r.delivered = 0; // a new room for this node: everything from its first event
                        lookForAdoption(r, x, deadline);
                    } else {
                        clock.schedule(() -> lookForAdoption(r, x, deadline), GAP_MILLIS);
                    }
                });
                return;
            }
            then(redis.read(r.name), (stored, failure) -> {
                if (r.adopting != x) {
                    return;
                }
                if (failure == null && stored.state() != null) {
                    RoomState s = StateCodec.state(stored.state());
                    if (s.isMember(x.p().sessionId())) {
                        if (!r.known || stored.version() > r.version) {
                            refresh(r, stored.version(), stored.state());
                        }
                        resync(r.name);
                    }
                }
                clock.schedule(() -> lookForAdoption(r, x, deadline), GAP_MILLIS);
            });
        }

        private void awaitGap(Room r) {
            if (r.gapTimer != null || r.filling) {
                return;
            }
            r.gapTimer = clock.schedule(() -> {
                r.gapTimer = null;
                fillGap(r);
            }, GAP_MILLIS);
        }

        /** A seq is missing (pub/sub is at most once): reads it, and what follows, from the room's stream. */
        private void fillGap(Room r) {
            Arrival next = r.held.peek();
            if (next == null || !r.subscribed || rooms.get(r.name) != r) {
                return;
            }
            fill(r, r.delivered + 1, next.first - 1);
        }

        /**
         * A read from the stream failed: typically the subscription came back before this node's
         * command connection did, after Redis restarted. Tried again, whether for a gap or for a whole
         * resync, until it succeeds or the room is forgotten here; backing off to
         * {@link #MAX_FILL_RETRY_MILLIS} while Redis stays away.
         */
        private void retryFill(Room r) {
            if (r.gapTimer != null) {
                return;
            }
            long delay = backoff(GAP_MILLIS, r.failedFills++, MAX_FILL_RETRY_MILLIS);
            r.gapTimer = clock.schedule(() -> {
                r.gapTimer = null;
                if (r.held.isEmpty()) {
                    resync(r.name);
                } else {
                    fillGap(r);
                }
            }, delay);
        }

        /** After a (re)subscription: anything committed since the last seq delivered here. */
        void resync(String name) {
            Room r = rooms.get(name);
            if (r == null || !r.subscribed || r.filling) {
                return;
            }
            if (r.adopting != null && !(r.known && r.cached != null && r.cached.isMember(r.adopting.p().sessionId()))) {
                // Its events admit the adoptee only with a state that holds it: read from the stream
                // before that state (the pair committed after the adoption's last look), they would be
                // delivered without admitting it and never again. The adoption's look reads the state first.
                return;
            }
            fill(r, r.delivered + 1, Long.MAX_VALUE);
        }

        private void fill(Room r, long from, long to) {
            if (r.busy) {
                r.refill = true; // read once this node's own commit is confirmed (see finish)
                return;
            }
            r.filling = true;
            then(redis.events(r.name, from, to), (blobs, failure) -> {
                r.filling = false;
                if (failure != null) {
                    retryFill(r);
                    return;
                }
                r.failedFills = 0;
                List<RoomEvent> events = new ArrayList<>(blobs.size());
                for (byte[] b : blobs) {
                    events.add(StateCodec.event(b));
                }
                if (!events.isEmpty() && events.get(0).seq() > Math.max(from, r.delivered + 1)) {
                    // No longer kept: the members here cannot get them; carry on after the gap.
                    log.warn("events {}..{} of a room lost between nodes and no longer kept (room at DEBUG)", from,
                            events.get(0).seq() - 1);
                    log.debug("room {}: events lost between nodes", r.name);
                    r.delivered = events.get(0).seq() - 1;
                } else if (events.isEmpty() && to != Long.MAX_VALUE && to > r.delivered) {
                    log.warn("events {}..{} of a room lost between nodes and no longer kept (room at DEBUG)", from, to);
                    log.debug("room {}: events lost between nodes", r.name);
                    r.delivered = to;
                }
                if (!events.isEmpty()) {
                    r.held.add(new Arrival(events.get(0).seq(), events.get(events.size() - 1).seq(), r.arrivals++,
                            null, null, null, null, events));
                }
                drain(r);
                forgetIfIdle(r);
            });
        }

        // -------------------------------------------------------------- timers

        private void rearm(Room r) {
            rearmExpiry(r);
            rearmWake(r);
        }

        private void rearmExpiry(Room r) {
            RoomState s = r.cached;
            boolean runs = r.local != null && s != null && s.holderIndex() >= 0 && s.deadlineMillis() > 0;
            if (runs && r.armedTurn == s.turn() && r.armedDeadline == s.deadlineMillis()) {
                return; // (a revoke with a grace moves the deadline of the same turn)
            }
            if (r.expiry != null) {
                r.expiry.cancel();
                r.expiry = null;
            }
            r.armedTurn = -1;
            if (runs) {
                long turn = s.turn();
                r.armedTurn = turn;
                r.armedDeadline = s.deadlineMillis();
                r.expiry = clock.schedule(() -> {
                    if (rooms.get(r.name) == r && r.armedTurn == turn) {
                        r.expiry = null;
                        r.armedTurn = -1;
                        enqueue(new Pending(new RoomCommand.ExpireTurn(r.name, turn), null, null, 0, null));
                    }
                }, Math.max(0, s.deadlineMillis() - clock.currentTimeMillis()));
            }
        }

        /**
         * The floor's wake-up ({@link RoomCommand.Wake}): armed, like the turn timer, by every node
         * with members in the room, and committed like any command, so the first commit wins and the
         * others find nothing due. A talk-time warning is the holder's alone, so only the holder's
         * node wakes the room for it: the warning, a reply, then reaches it from the node that
         * commits it.
         */
        private void rearmWake(Room r) {
            RoomState s = r.cached;
            long at = r.local == null || s == null || s.isClosed() ? 0 : wakeAt(r.local, s);
            if (at == r.armedWakeAt) {
                return;
            }
            if (r.wake != null) {
                r.wake.cancel();
                r.wake = null;
            }
            r.armedWakeAt = at;
            if (at > 0) {
                r.wake = clock.schedule(() -> {
                    if (rooms.get(r.name) == r && r.armedWakeAt == at) {
                        r.wake = null;
                        r.armedWakeAt = 0;
                        enqueue(new Pending(new RoomCommand.Wake(r.name), null, null, 0, null));
                    }
                }, Math.max(0, at - clock.currentTimeMillis()));
            }
        }

        /** {@link RoomState#wakeAtMillis()}, less a warning for a holder on another node; 0 for never. */
        private static long wakeAt(LocalRoom local, RoomState s) {
            RoomMember holder = s.holder();
            long at = holder != null && local.isLocal(holder.sessionId()) ? s.floor().warnAtMillis() : 0;
            FloorRules rules = s.settings().floor();
            if (rules.endAfterMillis() > 0 && !s.floor().timeUp()) {
                long end = s.floor().createdMillis() + rules.endAfterMillis();
                at = at == 0 ? end : Math.min(at, end);
            }
            return at;
        }

        // -------------------------------------------------------------- lifecycle

        /** Drops a room that has no members here and nothing on its way, and its subscription. */
        private void forgetIfIdle(Room r) {
            if (r.busy || !r.queue.isEmpty() || r.local != null || r.filling || r.adopting != null
                    || rooms.get(r.name) != r) {
                return;
            }
            rooms.remove(r.name);
            if (r.expiry != null) {
                r.expiry.cancel();
            }
            if (r.wake != null) {
                r.wake.cancel();
            }
            if (r.gapTimer != null) {
                r.gapTimer.cancel();
            }
            if (r.subscribed) {
                redis.unsubscribe(r.name);
            }
        }

        List<CompletableFuture<Void>> leaveAll() {
            List<CompletableFuture<Void>> leaves = new ArrayList<>();
            for (Room r : new ArrayList<>(rooms.values())) {
                if (r.local == null) {
                    continue;
                }
                for (Participant p : r.local.localParticipants()) {
                    CompletableFuture<Void> done = new CompletableFuture<>();
                    leaves.add(done);
                    Pending leave = new Pending(new RoomCommand.Leave(r.name, p.sessionId(), 0,
                            LeaveReason.DISCONNECTED), p, null, 0, done);
                    r.queue.add(leave);
                    pump(r);
                }
            }
            return leaves;
        }
    }

    /**
     * The sessions {@code p}'s commit acts for or whose membership of the room it changes, written
     * with the commit by {@code hp_commit_live}: its requester's session ({@code !}: refused if it
     * moved to another node), and, if the commit {@code writes}, each session it admits ({@code +}),
     * that leaves by its own {@code Leave} ({@code -}) or that is removed or closed out ({@code x}).
     * So a session's record lists exactly the rooms that have it as a member, whichever node commits,
     * and a command of a session that moved is never applied by the node it left.
     *
     * @param after the state after the commit; null if the room closed
     */
    private static List<RedisEngine.SessionChange> sessionChanges(Pending p, RoomState before, RoomState after,
                                                                  RoomOutcome out, boolean writes) {
        long acting = p.a != null && !(p.command instanceof RoomCommand.AdmitPair) ? p.a.sessionId() : -1;
        boolean membership = writes && (!out.removed().isEmpty() || p.command instanceof RoomCommand.Join
                || p.command instanceof RoomCommand.AdmitPair);
        if (!membership) { // most commits: a Say, a Pass, a timer's
            return acting < 0 ? List.of() : List.of(new RedisEngine.SessionChange(acting, "!"));
        }
        Map<Long, String> changes = new java.util.LinkedHashMap<>(4);
        for (RoomMember m : out.removed()) {
            boolean ownLeave = p.command instanceof RoomCommand.Leave l && l.sessionId() == m.sessionId();
            changes.put(m.sessionId(), ownLeave ? "-" : "x");
        }
        if (p.command instanceof RoomCommand.Join j) {
            addIfAdmitted(changes, before, after, j.sessionId());
        } else if (p.command instanceof RoomCommand.AdmitPair pair) {
            addIfAdmitted(changes, before, after, pair.first().sessionId());
            addIfAdmitted(changes, before, after, pair.second().sessionId());
        }
        if (acting < 0 && changes.isEmpty()) {
            return List.of();
        }
        List<RedisEngine.SessionChange> sessions = new ArrayList<>(changes.size() + 1);
        if (acting >= 0) {
            String change = changes.remove(acting);
            sessions.add(new RedisEngine.SessionChange(acting, change == null ? "!" : "!" + change));
        }
        changes.forEach((sid, change) -> sessions.add(new RedisEngine.SessionChange(sid, change)));
        return sessions;
    }

    private static void addIfAdmitted(Map<Long, String> changes, RoomState before, RoomState after, long sessionId) {
        if (after != null && after.isMember(sessionId) && (before == null || !before.isMember(sessionId))) {
            changes.put(sessionId, "+");
        }
    }

    private static boolean admitted(RoomOutcome out, long sessionId) {
        for (RoomMember m : out.admitted()) {
            if (m.sessionId() == sessionId) {
                return true;
            }
        }
        return false;
    }

    private static RoomState withVersion(RoomState s, long version) {
        return RoomState.restore(s.name(), s.settings(), s.isPrivate(), s.creatorSessionId(), s.members(),
                s.invited(), s.holderIndex(), s.turn(), s.deadlineMillis(), s.seq(), s.isClosed(), version, s.floor());
    }

    /** The one frame this store makes itself. */
    private static final class Frames {
        static ServerFrame unavailable(long requestId, String message, String room) {
            return dev.hotpochato.server.room.Frames.error(requestId, Error.Code.UNAVAILABLE, message, room);
        }
    }
}
