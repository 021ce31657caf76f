package dev.hotpochato.server;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.FloorState;
import dev.hotpochato.protocol.v1.FloorUpdate;
import dev.hotpochato.protocol.v1.Grant;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Invite;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Leave;
import dev.hotpochato.protocol.v1.Pass;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.RaiseHand;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.Revoke;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.RoomSnapshot;
import dev.hotpochato.protocol.v1.Say;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.TurnPolicy;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * One member of a soak: an event-driven client that joins its rooms, speaks or passes when the
 * turn is its own, and now and then leaves a room and comes back, or drops its connection (often
 * mid-turn) and resumes. In {@code QUEUE} and {@code MODERATED} rooms ({@link #policyOf}) it
 * raises its hand now and then, and as a chair of a moderated room it grants the floor to the
 * head of the queue whenever the floor is idle, and now and then revokes it. It checks every
 * numbered event as it comes: no gap or repeat, across resumes too; the same event as every other
 * member saw ({@link RoomLedger}); at most one holder (no grant while someone holds the floor);
 * speech only from the holder of the turn.
 *
 * <p>All of a client's state belongs to one event loop: each of its connections is registered
 * there, and the test reaches it only through {@link #loop}.
 */
final class SoakClient {

    /** What the clients of one soak share; counters and flags are read and written from every client loop. */
    static final class Shared {
        final InetSocketAddress server;
        final RoomLedger ledger;
        final long seed;
        final boolean eagerResume;
        volatile boolean running = true;
        final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
        final LongAdder connections = new LongAdder();
        final LongAdder resumes = new LongAdder();
        final LongAdder resumesUnseen = new LongAdder();
        final LongAdder dropsMidTurn = new LongAdder();
        final LongAdder dropsOtherwise = new LongAdder();
        final LongAdder leaves = new LongAdder();
        final LongAdder framesIn = new LongAdder();
        final LongAdder framesOut = new LongAdder();
        final LongAdder eventsChecked = new LongAdder();
        final LongAdder saysAccepted = new LongAdder();
        final LongAdder saysRefused = new LongAdder();
        final LongAdder passes = new LongAdder();
        final LongAdder historyLost = new LongAdder();
        final LongAdder handsRaised = new LongAdder();
        final LongAdder grants = new LongAdder();
        final LongAdder revokes = new LongAdder();
        /** Floor requests overtaken by the floor's own moves (a hand raised as it was granted, ...). */
        final LongAdder floorRaces = new LongAdder();
        final Map<TurnPolicy, LongAdder> saysByPolicy = new EnumMap<>(TurnPolicy.class);
        final Map<Error.Code, LongAdder> errors = new EnumMap<>(Error.Code.class);

        Shared(InetSocketAddress server, RoomLedger ledger, long seed, boolean eagerResume) {
            this.server = server;
            this.eagerResume = eagerResume;
            this.ledger = ledger;
            this.seed = seed;
            for (Error.Code code : Error.Code.values()) {
                errors.put(code, new LongAdder());
            }
            for (TurnPolicy policy : POLICIES) {
                saysByPolicy.put(policy, new LongAdder());
            }
        }

        void problem(String what) {
            if (problems.size() < 100) {
                problems.add(what);
            }
        }
    }

    /** The policies soaked, room {@code room-i} having {@code POLICIES[i % 3]}. */
    static final List<TurnPolicy> POLICIES = List.of(TurnPolicy.ROUND_ROBIN, TurnPolicy.QUEUE, TurnPolicy.MODERATED);

    /** The policy of a soak room ({@code room-i}): every Join asks for it, so whoever creates the room, it has it. */
    static TurnPolicy policyOf(String room) {
        return POLICIES.get(Integer.parseInt(room.substring(room.indexOf('-') + 1)) % POLICIES.size());
    }

    /**
     * The refusals a floor request may meet when the floor moved while it was on its way (a hand
     * raised as the member was granted, a grant as another chair's, a revoke as the turn ended).
     */
    private static final Set<Error.Code> FLOOR_RACES = EnumSet.of(Error.Code.ALREADY_REQUESTED,
            Error.Code.NOT_REQUESTED, Error.Code.FLOOR_TAKEN, Error.Code.FLOOR_IDLE);

    /** This member's view of one room, rebuilt from each Joined. */
    private static final class RoomView {
        final TurnPolicy policy;
        long lastSeq;
        long turn;
        String holder;
        List<String> queue;
        final Set<String> chairs;

        RoomView(RoomSnapshot snapshot) {
            policy = snapshot.getOptions().getPolicy();
            lastSeq = snapshot.getLastSeq();
            turn = snapshot.getTurn();
            holder = snapshot.getHolder().isEmpty() ? null : snapshot.getHolder();
            queue = List.copyOf(snapshot.getQueueList());
            chairs = new HashSet<>(snapshot.getChairsList());
        }
    }

    final String name;
    final EventLoop loop;
    private final List<String> rooms;
    /** A room this member never leaves, so that no room ever empties and restarts its numbering. */
    private final String anchor;
    private final Shared shared;
    private final Random random;
    private final Bootstrap bootstrap;

    private Channel channel;
    private boolean connected;
    private boolean hangingUp;
    private String resumeToken;
    private long nextRequestId = 1;
    private final Map<String, RoomView> views = new HashMap<>();
    /** Requests whose answer is still to come: Say/Pass by request id, and Join/Leave by room. */
    private final Map<Long, String> pendingTurns = new HashMap<>();
    /** RaiseHand, Grant and Revoke whose answer is still to come, by request id; the value is the room. */
    private final Map<Long, String> pendingFloor = new HashMap<>();
    private final Set<String> pendingMembership = new HashSet<>();
    private final CompletableFuture<Void> joinedAll = new CompletableFuture<>();
    private CompletableFuture<Void> barrier;
    private final Set<Long> barrierRequests = new HashSet<>();

    SoakClient(int id, List<String> rooms, String anchor, EventLoop loop, Shared shared) {
        this.name = "member-" + id;
        this.rooms = rooms;
        this.anchor = anchor;
        this.loop = loop;
        this.shared = shared;
        this.random = new Random(shared.seed * 31 + id);
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(new FrameDecoder(16 * 1024 * 1024))
                                .addLast(new ProtobufDecoder(ServerFrame.getDefaultInstance()))
                                .addLast(FrameEncoder.INSTANCE)
                                .addLast(new Handler());
                    }
                });
    }

    /** Connects and joins every room; completes once in all of them. */
    CompletableFuture<Void> start() {
        loop.execute(this::connect);
        loop.scheduleAtFixedRate(this::tick, 100 + random.nextInt(100), 200, TimeUnit.MILLISECONDS);
        return joinedAll;
    }

    /** True once connected, in every room, with every request answered. Call on {@link #loop}. */
    boolean settled() {
        return connected && pendingTurns.isEmpty() && pendingFloor.isEmpty() && pendingMembership.isEmpty()
                && views.keySet().equals(Set.copyOf(rooms));
    }

    /**
     * Completes once each room has answered a harmless request sent after everything before it:
     * by then this member has read every event up to that point. Call on {@link #loop}.
     */
    CompletableFuture<Void> barrier() {
        barrier = new CompletableFuture<>();
        for (String room : rooms) {
            long id = send(ClientFrame.newBuilder().setInvite(Invite.newBuilder().setRoom(room).setDisplayName("barrier")));
            barrierRequests.add(id);
        }
        return barrier;
    }

    /** Checks that this member has every Said of its rooms. Call on {@link #loop}, after {@link #barrier}. */
    void checkHasEverySaid() {
        for (String room : rooms) {
            long last = views.get(room).lastSeq;
            if (last < shared.ledger.lastSaid(room)) {
                shared.problem(name + " missed Saids of " + room + ": saw up to " + last + ", the last Said is "
                        + shared.ledger.lastSaid(room));
            }
        }
    }

    void close() {
        loop.execute(() -> {
            hangingUp = true;
            if (channel != null) {
                channel.close();
            }
        });
    }

    // ------------------------------------------------------------------ connection

    private void connect() {
        hangingUp = false;
        ChannelFuture connecting = bootstrap.connect(shared.server);
        connecting.addListener(done -> {
            if (!done.isSuccess()) {
                shared.problem(name + ": cannot connect: " + done.cause());
                return;
            }
            shared.connections.increment();
            channel = connecting.channel();
            if (resumeToken == null) {
                send(ClientFrame.newBuilder().setHello(Hello.newBuilder()
                        .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName(name)));
            } else {
                Resume.Builder resume = Resume.newBuilder().setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                        .setResumeToken(resumeToken);
                views.forEach((room, view) -> resume.putLastSeq(room, view.lastSeq));
                send(ClientFrame.newBuilder().setResume(resume));
            }
        });
    }

    /**
     * Drops the connection as a network would, and resumes a little later: once the others have
     * seen this member away in each room, unless the soak resumes eagerly. A resume that overtakes
     * the server's own handling of the loss gets events twice and out of order (a server bug; see
     * {@link SoakTest}).
     */
    private void dropAndResume() {
        hangingUp = true;
        connected = false;
        channel.close();
        channel = null;
        pendingTurns.clear(); // answered or not, the room's replay will tell
        pendingFloor.clear();
        Map<String, Long> seenUpTo = new HashMap<>();
        views.forEach((room, view) -> seenUpTo.put(room, view.lastSeq));
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        loop.schedule(() -> resumeOnceAway(seenUpTo, giveUp), random.nextInt(150), TimeUnit.MILLISECONDS);
    }

    private void resumeOnceAway(Map<String, Long> seenUpTo, long giveUp) {
        boolean seenAway = seenUpTo.entrySet().stream()
                .allMatch(e -> shared.ledger.lastAway(e.getKey(), name) > e.getValue());
        if (shared.eagerResume || seenAway) {
            connect();
        } else if (System.nanoTime() - giveUp > 0) {
            shared.resumesUnseen.increment();
            connect();
        } else {
            loop.schedule(() -> resumeOnceAway(seenUpTo, giveUp), 10, TimeUnit.MILLISECONDS);
        }
    }

    private long send(ClientFrame.Builder frame) {
        long id = nextRequestId++;
        channel.writeAndFlush(frame.setRequestId(id).build(), channel.voidPromise());
        shared.framesOut.increment();
        return id;
    }

    /**
     * Every 200 ms: now and then a drop while not holding the turn, and a heartbeat; in rooms with
     * raised hands, now and then a hand up, and as a moderated room's chair, a grant or a revoke.
     */
    private void tick() {
        if (!connected) {
            return;
        }
        if (shared.running && pendingMembership.isEmpty() && random.nextInt(100) == 0) {
            shared.dropsOtherwise.increment();
            dropAndResume();
            return;
        } else if (random.nextInt(25) == 0) {
            send(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(random.nextLong())));
        }
        for (Map.Entry<String, RoomView> e : views.entrySet()) {
            String room = e.getKey();
            RoomView v = e.getValue();
            if (!shared.running || v.policy == TurnPolicy.ROUND_ROBIN || pendingMembership.contains(room)
                    || pendingFloor.containsValue(room)) {
                continue;
            }
            if (v.chairs.contains(name) && v.policy == TurnPolicy.MODERATED && v.holder != null
                    && random.nextInt(20) == 0) {
                shared.revokes.increment();
                pendingFloor.put(send(ClientFrame.newBuilder().setRevoke(Revoke.newBuilder().setRoom(room)
                        .setReason("time's up"))), room);
            } else if (!name.equals(v.holder) && !v.queue.contains(name) && random.nextInt(3) == 0) {
                shared.handsRaised.increment();
                pendingFloor.put(send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom(room))),
                        room);
            } else {
                chair(room, v);
            }
        }
    }

    /** As a chair of a moderated room with the floor idle and a hand up: grant it to the head of the queue. */
    private void chair(String room, RoomView v) {
        if (shared.running && connected && v.policy == TurnPolicy.MODERATED && v.chairs.contains(name)
                && v.holder == null && !v.queue.isEmpty() && !pendingFloor.containsValue(room)
                && !pendingMembership.contains(room)) {
            shared.grants.increment();
            pendingFloor.put(send(ClientFrame.newBuilder().setGrant(Grant.newBuilder().setRoom(room))), room);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<ServerFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ServerFrame frame) {
            if (ctx.channel() == channel) {
                shared.framesIn.increment();
                onFrame(frame);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == channel && !hangingUp) {
                shared.problem(name + ": the server closed the connection");
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof IOException)) {
                shared.problem(name + ": " + cause);
            }
            ctx.close();
        }
    }

    // ------------------------------------------------------------------ frames

    private void onFrame(ServerFrame f) {
        long seq = RoomEvents.seq(f);
        if (seq > 0) {
            onEvent(RoomEvents.room(f), seq, f);
            return;
        }
        switch (f.getBodyCase()) {
            case WELCOME -> {
                connected = true;
                resumeToken = f.getWelcome().getResumeToken(); // a new one after every resume
                if (f.getWelcome().getResumed()) {
                    shared.resumes.increment();
                } else {
                    rooms.forEach(this::join);
                }
            }
            case JOINED -> {
                RoomSnapshot room = f.getJoined().getRoom();
                if (room.getOptions().getPolicy() != policyOf(room.getName())) {
                    shared.problem(name + ": " + room.getName() + " is " + room.getOptions().getPolicy() + ", not "
                            + policyOf(room.getName()));
                }
                views.put(room.getName(), new RoomView(room));
                pendingMembership.remove(room.getName());
                if (views.size() == rooms.size()) {
                    joinedAll.complete(null);
                }
            }
            case LEFT -> {
                views.remove(f.getLeft().getRoom());
                pendingMembership.remove(f.getLeft().getRoom());
                rejoinLater(f.getLeft().getRoom());
            }
            case HISTORY_LOST -> shared.historyLost.increment(); // a Joined snapshot follows
            case INVITED -> barrierAnswered(f.getRequestId());
            case ERROR -> onError(f);
            case PONG -> {
            }
            case TURN_TIME_LEFT -> {
                // After a resume: about the turn the replay (or snapshot) left running.
                RoomView v = views.get(f.getTurnTimeLeft().getRoom());
                if (v == null || f.getTurnTimeLeft().getTurn() != v.turn || !f.getTurnTimeLeft().getHolder().equals(v.holder)) {
                    shared.problem(name + ": time left of a turn other than the current one: " + f);
                }
            }
            default -> shared.problem(name + ": unexpected " + f);
        }
    }

    private void onError(ServerFrame f) {
        Error e = f.getError();
        shared.errors.get(e.getCode()).increment();
        if (barrierRequests.contains(f.getRequestId()) && e.getCode() == Error.Code.NOT_INVITED) {
            barrierAnswered(f.getRequestId());
        } else if (pendingTurns.remove(f.getRequestId()) != null && e.getCode() == Error.Code.NOT_YOUR_TURN) {
            shared.saysRefused.increment(); // the turn ran out while the Say was on its way
        } else if (pendingFloor.remove(f.getRequestId()) != null && FLOOR_RACES.contains(e.getCode())) {
            shared.floorRaces.increment();
        } else {
            shared.problem(name + ": " + e);
        }
    }

    private void barrierAnswered(long requestId) {
        if (barrierRequests.remove(requestId) && barrierRequests.isEmpty()) {
            barrier.complete(null);
        }
    }

    private void onEvent(String room, long seq, ServerFrame f) {
        RoomView v = views.get(room);
        if (v == null) {
            shared.problem(name + ": an event of " + room + ", which it is not in: " + f);
            return;
        }
        if (seq != v.lastSeq + 1) {
            shared.problem(name + ": in " + room + " after " + v.lastSeq + " came " + seq + ": " + f);
        }
        v.lastSeq = seq;
        shared.ledger.record(room, seq, f.getRequestId() == 0 ? f : f.toBuilder().setRequestId(0).build(),
                shared::problem);
        shared.eventsChecked.increment();
        if (f.getRequestId() != 0 && pendingTurns.remove(f.getRequestId()) != null && f.hasSaid()) {
            shared.saysAccepted.increment();
            shared.saysByPolicy.get(v.policy).increment();
        }
        if (f.getRequestId() != 0) {
            pendingFloor.remove(f.getRequestId());
        }
        switch (f.getBodyCase()) {
            case TURN_GRANTED -> {
                if (v.holder != null) {
                    shared.problem(name + ": in " + room + " " + f.getTurnGranted().getHolder() + " granted while "
                            + v.holder + " holds turn " + v.turn + ": " + f);
                }
                if (f.getTurnGranted().getTurn() <= v.turn) {
                    shared.problem(name + ": turn " + f.getTurnGranted().getTurn() + " of " + room + " after turn " + v.turn);
                }
                v.turn = f.getTurnGranted().getTurn();
                v.holder = f.getTurnGranted().getHolder();
                if (v.holder.equals(name)) {
                    myTurn(room, v.turn);
                }
            }
            case SAID -> endTurn(room, v, f.getSaid().getSpeaker(), f.getSaid().getTurn(), f);
            case PASSED -> endTurn(room, v, f.getPassed().getName(), f.getPassed().getTurn(), f);
            case TURN_EXPIRED -> endTurn(room, v, f.getTurnExpired().getName(), f.getTurnExpired().getTurn(), f);
            case TURN_SKIPPED -> {
                if (v.holder != null || f.getTurnSkipped().getTurn() <= v.turn) {
                    shared.problem(name + ": skipped while " + v.holder + " holds turn " + v.turn + ": " + f);
                }
                v.turn = f.getTurnSkipped().getTurn();
            }
            case MEMBER_LEFT, MEMBER_AWAY -> {
                String who = f.hasMemberLeft() ? f.getMemberLeft().getName() : f.getMemberAway().getName();
                if (who.equals(v.holder)) {
                    v.holder = null; // the turn moves on
                }
            }
            case FLOOR_UPDATE -> onFloorUpdate(room, v, f.getFloorUpdate(), f);
            case FLOOR_IDLE -> {
                if (v.holder != null) {
                    shared.problem(name + ": in " + room + " the floor is idle while " + v.holder + " holds it: " + f);
                }
                chair(room, v);
            }
            case CHAIR_CHANGED -> {
                if (f.getChairChanged().getSteppedDown()) {
                    v.chairs.remove(f.getChairChanged().getName());
                } else {
                    v.chairs.add(f.getChairChanged().getName());
                }
            }
            case ROOM_CLOSED -> shared.problem(name + ": " + f);
            default -> {
            }
        }
        if (f.hasMemberLeft()) {
            String who = f.getMemberLeft().getName();
            v.chairs.remove(who); // a successor, if any, is announced next
            List<String> queue = new ArrayList<>(v.queue);
            queue.remove(who);
            v.queue = List.copyOf(queue);
        }
    }

    /** A floor request changed: the queue as it now is, and a holder's turn ends (RELEASED, REVOKED) or begins (GRANTED). */
    private void onFloorUpdate(String room, RoomView v, FloorUpdate u, ServerFrame f) {
        if (v.policy == TurnPolicy.ROUND_ROBIN) {
            shared.problem(name + ": a floor request in round-robin " + room + ", where nobody raises a hand: " + f);
        }
        v.queue = List.copyOf(u.getQueueList());
        if (u.getState() == FloorState.GRANTED && v.holder != null) {
            shared.problem(name + ": in " + room + " " + u.getName() + " granted the floor while " + v.holder
                    + " holds it: " + f);
        }
        if ((u.getState() == FloorState.RELEASED || u.getState() == FloorState.REVOKED) && u.getName().equals(v.holder)) {
            v.holder = null; // the room's revoke grace is 0: a revoke ends the turn at once
        }
        if (u.getState() == FloorState.PENDING) {
            chair(room, v);
        }
    }

    /** Only the holder may end a turn, and only the turn it holds. */
    private void endTurn(String room, RoomView v, String who, long turn, ServerFrame f) {
        if (!who.equals(v.holder) || turn != v.turn) {
            shared.problem(name + ": in " + room + " " + who + " ended turn " + turn + " while " + v.holder
                    + " holds turn " + v.turn + ": " + f);
        }
        v.holder = null;
    }

    // ------------------------------------------------------------------ behaviour

    private void myTurn(String room, long turn) {
        if (!shared.running) {
            return; // let it expire: the rooms wind down
        }
        int dice = random.nextInt(100);
        if (dice < 3 && pendingMembership.isEmpty()) {
            shared.dropsMidTurn.increment();
            dropAndResume();
        } else if (dice < 6 && !room.equals(anchor) && pendingMembership.isEmpty()) {
            shared.leaves.increment();
            pendingMembership.add(room);
            send(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom(room)));
        } else {
            // Think a moment, as people do; by then the turn may be gone.
            loop.schedule(() -> act(room, turn, dice < 16), 1 + random.nextInt(10), TimeUnit.MILLISECONDS);
        }
    }

    private void act(String room, long turn, boolean pass) {
        RoomView v = views.get(room);
        if (!connected || v == null || v.turn != turn || !name.equals(v.holder)) {
            return;
        }
        long id;
        if (pass) {
            shared.passes.increment();
            id = send(ClientFrame.newBuilder().setPass(Pass.newBuilder().setRoom(room)));
        } else {
            id = send(ClientFrame.newBuilder().setSay(Say.newBuilder().setRoom(room)
                    .setText(name + " in turn " + turn)));
        }
        pendingTurns.put(id, room);
    }

    private void join(String room) {
        pendingMembership.add(room);
        Join.Builder join = Join.newBuilder().setRoom(room);
        if (policyOf(room) != TurnPolicy.ROUND_ROBIN) {
            join.setOptions(RoomOptions.newBuilder().setPolicy(policyOf(room)));
        }
        send(ClientFrame.newBuilder().setJoin(join));
    }

    private void rejoinLater(String room) {
        loop.schedule(() -> {
            if (connected) {
                join(room);
            } else {
                rejoinLater(room);
            }
        }, 20 + random.nextInt(180), TimeUnit.MILLISECONDS);
    }
}
