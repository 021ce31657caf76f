package dev.hotpochato.client.internal;

import dev.hotpochato.client.HotPochatoException;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.MyTurn;
import dev.hotpochato.client.RoomClosedException;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.RoomListener;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.SessionListener;
import dev.hotpochato.client.SyncRoom;
import dev.hotpochato.client.Turn;
import dev.hotpochato.client.TurnHandler;
import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Leave;
import dev.hotpochato.protocol.v1.Member;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.Pass;
import dev.hotpochato.protocol.v1.RoomSnapshot;
import dev.hotpochato.protocol.v1.Said;
import dev.hotpochato.protocol.v1.Say;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.TurnGranted;
import dev.hotpochato.protocol.v1.TurnTimeLeft;
import dev.hotpochato.protocol.v1.TurnWarning;
import dev.hotpochato.client.EndRule;
import dev.hotpochato.client.FloorState;
import dev.hotpochato.client.FloorUpdate;
import dev.hotpochato.client.TurnPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * A room as this client sees it. Its view is changed only on the session's callback executor, by
 * {@link #apply}; getters may be called from any thread, so each part of the view is an immutable
 * value in a volatile field.
 */
final class DefaultRoom implements RoomHandle {

    private static final Logger log = LoggerFactory.getLogger(DefaultRoom.class);

    private final DefaultSession session;
    private final String name;
    private final boolean privateRoom;
    /** What the room was joined with, to join it again in a new session; null for a private room. */
    private final JoinOptions joinOptions;
    /** When it was entered, relative to the session's other rooms. */
    private final long entered;
    private final int historySize;
    private final List<RoomListener> listeners = new CopyOnWriteArrayList<>();
    private final SyncRoom sync = new DefaultSyncRoom(this);
    private volatile TurnHandler turnHandler;

    private volatile long turnTimeoutMillis;
    private volatile List<String> members;
    private volatile Set<String> away = Set.of();
    private volatile Turn turn;
    private volatile List<Message> history = List.of();
    private volatile boolean open = true;
    private volatile TurnPolicy policy = TurnPolicy.ROUND_ROBIN;
    private volatile int messagesPerTurn = 1;
    private volatile JoinOptions rules = JoinOptions.defaults();
    private volatile List<String> chairs = List.of();
    private volatile List<String> queue = List.of();
    private volatile Set<String> muted = Set.of();
    private volatile Set<String> audience = Set.of();
    /** How many things the holder said in the current turn. Written on the callback executor only. */
    private volatile int saidThisTurn;
    /** Callback executor only. */
    private long lastSeq;
    /** True between HistoryLost and the fresh snapshot that follows it. Callback executor only. */
    private boolean historyLost;
    /** The last turn the turn handler was called for, so that no turn is handled twice. Callback executor only. */
    private long handledTurn;
    /** What others said since this client's last turn began. Callback executor only. */
    private List<Message> heard = List.of();
    /** What others said before the current turn, if it is this client's. Callback executor only. */
    private List<Message> heardBeforeTurn = List.of();
    /** The turn of this client's that {@link #heardBeforeTurn} belongs to. Callback executor only. */
    private long heardFor;
    /** Callers of {@link #nextTurn()} waiting for a turn. Callback executor only. */
    private final List<CompletableFuture<MyTurn>> turnWaiters = new ArrayList<>();
    /** The last turn handed out by {@link #nextTurn()}. Callback executor only. */
    private long claimedTurn;
    /** Why the room closed, for those who wait on it. Callback executor only. */
    private String closeReason = "";

    DefaultRoom(DefaultSession session, RoomSnapshot snapshot, long receivedNanos, JoinOptions joinOptions, long entered) {
        this.session = session;
        this.name = snapshot.getName();
        this.privateRoom = snapshot.getPrivate();
        this.joinOptions = privateRoom ? null : joinOptions;
        this.entered = entered;
        this.historySize = session.options().historySize();
        view(snapshot, receivedNanos);
    }

    JoinOptions joinOptions() {
        return joinOptions;
    }

    long entered() {
        return entered;
    }

    /** Takes members, turn and seq from {@code snapshot}. Callback executor only (or the constructor). */
    private void view(RoomSnapshot snapshot, long receivedNanos) {
        this.turnTimeoutMillis = Integer.toUnsignedLong(snapshot.getOptions().getTurnTimeoutMs());
        this.members = snapshot.getMembersList().stream().map(Member::getName).toList();
        this.away = snapshot.getMembersList().stream().filter(Member::getAway).map(Member::getName)
                .collect(Collectors.toUnmodifiableSet());
        this.lastSeq = snapshot.getLastSeq();
        this.policy = Wire.policy(snapshot.getOptions().getPolicy());
        this.messagesPerTurn = Math.max(1, snapshot.getOptions().getMessagesPerTurn());
        this.rules = Wire.rules(snapshot.getOptions());
        this.chairs = List.copyOf(snapshot.getChairsList());
        this.queue = List.copyOf(snapshot.getQueueList());
        this.muted = Set.copyOf(snapshot.getMutedList());
        this.audience = Set.copyOf(snapshot.getAudienceList());
        this.saidThisTurn = 0; // not in the snapshot: a turn joined midway counts from here
        this.turn = null;
        if (!snapshot.getWaiting() && !snapshot.getHolder().isEmpty()) {
            long length = snapshot.getDeadlineMs() == 0 ? 0 : Math.max(1, turnTimeoutMillis);
            // A snapshot gives only the server's deadline, not the time left (TurnGranted.duration_ms
            // does, and is used for every later turn), so this one estimate leans on the clocks
            // agreeing; clamped to the turn's length for a client clock running behind.
            long remaining = length == 0 ? 0
                    : Math.min(length, snapshot.getDeadlineMs() - System.currentTimeMillis());
            this.turn = new Turn(name, snapshot.getHolder(), snapshot.getTurn(),
                    snapshot.getHolder().equals(session.name()), length, remaining, receivedNanos);
        }
    }

    // ------------------------------------------------------------------ the view

    @Override
    public String name() {
        return name;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public boolean isPrivate() {
        return privateRoom;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public List<String> members() {
        return members;
    }

    @Override
    public Set<String> awayMembers() {
        return away;
    }

    @Override
    public Optional<Turn> turn() {
        return Optional.ofNullable(turn);
    }

    @Override
    public Optional<Duration> turnTimeout() {
        return turnTimeoutMillis == 0 ? Optional.empty() : Optional.of(Duration.ofMillis(turnTimeoutMillis));
    }

    @Override
    public List<Message> history() {
        return history;
    }

    @Override
    public Optional<Message> lastSaid() {
        List<Message> h = history;
        return h.isEmpty() ? Optional.empty() : Optional.of(h.get(h.size() - 1));
    }

    @Override
    public TurnPolicy policy() {
        return policy;
    }

    @Override
    public JoinOptions rules() {
        return rules;
    }

    @Override
    public int messagesPerTurn() {
        return messagesPerTurn;
    }

    @Override
    public int messagesLeft() {
        Turn t = turn;
        if (t == null) {
            return 0;
        }
        // A revoked turn in its grace ends with the next thing said, whatever the room allows.
        return t.isRevoked() ? 1 : Math.max(0, messagesPerTurn - saidThisTurn);
    }

    @Override
    public List<String> chairs() {
        return chairs;
    }

    @Override
    public List<String> queue() {
        return queue;
    }

    @Override
    public Set<String> muted() {
        return muted;
    }

    @Override
    public Set<String> audience() {
        return audience;
    }

    @Override
    public CompletableFuture<Void> move(String member, boolean toAudience) {
        return floor(ClientFrame.newBuilder().setMove(dev.hotpochato.protocol.v1.Move.newBuilder().setRoom(name)
                .setMember(member).setAudience(toAudience)));
    }

    // ------------------------------------------------------------------ requests

    @Override
    public CompletableFuture<Void> raiseHand() {
        return floor(ClientFrame.newBuilder().setRaiseHand(dev.hotpochato.protocol.v1.RaiseHand.newBuilder().setRoom(name)));
    }

    @Override
    public CompletableFuture<Void> withdraw() {
        return floor(ClientFrame.newBuilder().setWithdraw(dev.hotpochato.protocol.v1.Withdraw.newBuilder().setRoom(name)));
    }

    @Override
    public CompletableFuture<Void> grant(String member, Duration talkTime) {
        if (talkTime == null || talkTime.isNegative() || talkTime.toMillis() > Integer.MAX_VALUE) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("talk time must be 0..24 days: " + talkTime));
        }
        return floor(ClientFrame.newBuilder().setGrant(dev.hotpochato.protocol.v1.Grant.newBuilder().setRoom(name)
                .setMember(member == null ? "" : member).setTalkTimeMs((int) talkTime.toMillis())));
    }

    @Override
    public CompletableFuture<Void> revoke(String reason) {
        return floor(ClientFrame.newBuilder().setRevoke(dev.hotpochato.protocol.v1.Revoke.newBuilder().setRoom(name)
                .setReason(reason == null ? "" : reason)));
    }

    @Override
    public CompletableFuture<Void> deny(String member, String reason) {
        return floor(ClientFrame.newBuilder().setDeny(dev.hotpochato.protocol.v1.Deny.newBuilder().setRoom(name)
                .setMember(member).setReason(reason == null ? "" : reason)));
    }

    @Override
    public CompletableFuture<Void> appointChair(String member) {
        return floor(ClientFrame.newBuilder().setAppointChair(dev.hotpochato.protocol.v1.AppointChair.newBuilder()
                .setRoom(name).setMember(member)));
    }

    @Override
    public CompletableFuture<Void> stepDown() {
        return floor(ClientFrame.newBuilder().setStepDown(dev.hotpochato.protocol.v1.StepDown.newBuilder()
                .setRoom(name)));
    }

    @Override
    public CompletableFuture<Void> mute(String member, boolean mute) {
        return floor(ClientFrame.newBuilder().setMute(dev.hotpochato.protocol.v1.Mute.newBuilder().setRoom(name)
                .setMember(member).setMuted(mute)));
    }

    @Override
    public CompletableFuture<Void> remove(String member, String reason) {
        return floor(ClientFrame.newBuilder().setRemove(dev.hotpochato.protocol.v1.Remove.newBuilder().setRoom(name)
                .setMember(member).setReason(reason == null ? "" : reason)));
    }

    /** A floor request: answered by the event it causes (the copy echoing its request id), or an error. */
    private CompletableFuture<Void> floor(ClientFrame.Builder frame) {
        return session.request(frame, Void.class);
    }

    @Override
    public CompletableFuture<Message> say(String text) {
        return session.request(ClientFrame.newBuilder().setSay(Say.newBuilder().setRoom(name).setText(text)), Message.class);
    }

    @Override
    public CompletableFuture<Void> pass() {
        return session.request(ClientFrame.newBuilder().setPass(Pass.newBuilder().setRoom(name)), Void.class);
    }

    @Override
    public CompletableFuture<Void> leave() {
        return session.request(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom(name)), Void.class);
    }

    @Override
    public SyncRoom sync() {
        return sync;
    }

    /**
     * This client's next turn: the one running now if it is this client's and was not handed out
     * yet, else the next one granted to it; fails with {@link RoomClosedException} if the room
     * closes first.
     */
    CompletableFuture<MyTurn> nextTurn() {
        ClientFuture<MyTurn> next = session.newFuture("this client's turn in " + name);
        session.callbacks().execute(() -> {
            Turn t = turn;
            if (!open) {
                next.completeExceptionally(new RoomClosedException(name, closeReason));
            } else if (t != null && t.isMine() && t.number() > claimedTurn) {
                claimedTurn = t.number();
                next.complete(new OwnTurn(this, t, heardBeforeTurn));
            } else {
                turnWaiters.removeIf(CompletableFuture::isDone); // waits given up (awaitMyTurn with a timeout)
                turnWaiters.add(next);
            }
        });
        return next;
    }

    @Override
    public void addListener(RoomListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(RoomListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void onMyTurn(TurnHandler handler) {
        this.turnHandler = handler;
        if (handler != null) {
            session.callbacks().execute(() -> {
                Turn current = turn;
                if (current != null && current.isMine() && turnHandler == handler) {
                    runTurnHandler(handler, current);
                }
            });
        }
    }

    // ------------------------------------------------------------------ events (callback executor only)

    /** Applies one of this room's sequenced events to the view, then tells the listeners. */
    void apply(ServerFrame frame, long receivedNanos) {
        long seq = RoomEvents.seq(frame);
        if (seq <= lastSeq) {
            log.debug("{}: dropping event {} already seen (last seq {})", name, seq, lastSeq);
            return;
        }
        if (seq != lastSeq + 1) {
            // Not expected from a live connection; a later Resume will replay missed events.
            log.warn("{}: events {}..{} missing", name, lastSeq + 1, seq - 1);
        }
        lastSeq = seq;
        switch (frame.getBodyCase()) {
            case MEMBER_JOINED -> {
                String who = frame.getMemberJoined().getName();
                members = append(members, who, Integer.MAX_VALUE);
                fire(l -> l.onMemberJoined(this, who));
            }
            case MEMBER_LEFT -> {
                MemberLeft left = frame.getMemberLeft();
                List<String> now = new ArrayList<>(members);
                now.remove(left.getName());
                members = List.copyOf(now);
                away = without(away, left.getName());
                chairs = chairs.stream().filter(c -> !c.equals(left.getName())).toList();
                queue = queue.stream().filter(c -> !c.equals(left.getName())).toList();
                muted = without(muted, left.getName());
                audience = without(audience, left.getName());
                Turn t = turn;
                if (now.size() < 2 || (t != null && t.holder().equals(left.getName()))) {
                    turn = null;
                }
                fire(l -> l.onMemberLeft(this, left.getName(), Wire.leaveReason(left.getReason())));
                if (left.getReason() == MemberLeft.Reason.REMOVED) {
                    fire(l -> l.onMemberRemoved(this, left.getName(), left.getBy(), left.getMessage()));
                }
            }
            case TURN_GRANTED -> granted(frame.getTurnGranted(), receivedNanos);
            case SAID -> {
                Said said = frame.getSaid();
                Message m = Wire.message(said);
                if (historySize > 0) {
                    history = append(history, m, historySize);
                    if (!said.getSpeaker().equals(session.name())) {
                        heard = append(heard, m, historySize);
                    }
                }
                // With several messages per turn, the holder keeps the turn until its last one; a
                // revoked holder in its grace may say only one more thing.
                Turn t = turn;
                saidThisTurn++;
                if (saidThisTurn >= messagesPerTurn || (t != null && t.isRevoked())) {
                    turn = null;
                }
                fire(l -> l.onSaid(this, m));
            }
            case PASSED -> {
                turn = null;
                fire(l -> l.onPassed(this, frame.getPassed().getName(), frame.getPassed().getTurn()));
            }
            case TURN_EXPIRED -> {
                turn = null;
                fire(l -> l.onTurnExpired(this, frame.getTurnExpired().getName(), frame.getTurnExpired().getTurn()));
            }
            case TURN_SKIPPED -> {
                turn = null;
                fire(l -> l.onTurnSkipped(this, frame.getTurnSkipped().getName(), frame.getTurnSkipped().getTurn()));
            }
            case MEMBER_AWAY -> {
                String who = frame.getMemberAway().getName();
                Set<String> now = new HashSet<>(away);
                now.add(who);
                away = Set.copyOf(now);
                fire(l -> l.onMemberAway(this, who));
            }
            case MEMBER_BACK -> {
                String who = frame.getMemberBack().getName();
                away = without(away, who);
                fire(l -> l.onMemberBack(this, who));
            }
            case FLOOR_UPDATE -> {
                dev.hotpochato.protocol.v1.FloorUpdate u = frame.getFloorUpdate();
                queue = List.copyOf(u.getQueueList());
                FloorState state = switch (u.getState()) {
                    case PENDING -> FloorState.PENDING;
                    case GRANTED -> FloorState.GRANTED;
                    case RELEASED -> FloorState.RELEASED;
                    case REVOKED -> FloorState.REVOKED;
                    case DENIED -> FloorState.DENIED;
                    case WITHDRAWN -> FloorState.WITHDRAWN;
                    case ACCEPTED -> FloorState.ACCEPTED;
                    default -> FloorState.UNKNOWN;
                };
                if (state == FloorState.REVOKED) {
                    turn = revoked(u, receivedNanos);
                }
                FloorUpdate update = new FloorUpdate(name, u.getName(), state, u.getQueueList(), u.getBy(),
                        u.getReason(), Duration.ofMillis(Integer.toUnsignedLong(u.getTalkTimeMs())));
                fire(l -> l.onFloorUpdate(this, update));
            }
            case FLOOR_IDLE -> {
                turn = null;
                fire(l -> l.onFloorIdle(this));
            }
            case CHAIR_CHANGED -> {
                String who = frame.getChairChanged().getName();
                if (frame.getChairChanged().getSteppedDown()) {
                    chairs = chairs.stream().filter(c -> !c.equals(who)).toList();
                    fire(l -> l.onChairSteppedDown(this, who));
                } else if (!chairs.contains(who)) {
                    chairs = append(chairs, who, Integer.MAX_VALUE);
                    fire(l -> l.onChairChanged(this, who, frame.getChairChanged().getBy()));
                }
            }
            case MEMBER_MOVED -> {
                dev.hotpochato.protocol.v1.MemberMoved m = frame.getMemberMoved();
                Set<String> now = new HashSet<>(audience);
                if (m.getAudience()) {
                    now.add(m.getName());
                } else {
                    now.remove(m.getName());
                }
                audience = Set.copyOf(now);
                fire(l -> l.onMemberMoved(this, m.getName(), m.getAudience(), m.getBy()));
            }
            case MEMBER_MUTED -> {
                dev.hotpochato.protocol.v1.MemberMuted m = frame.getMemberMuted();
                Set<String> now = new HashSet<>(muted);
                if (m.getMuted()) {
                    now.add(m.getName());
                } else {
                    now.remove(m.getName());
                }
                muted = Set.copyOf(now);
                fire(l -> l.onMemberMuted(this, m.getName(), m.getMuted(), m.getBy()));
            }
            case ROOM_CLOSED -> {
                session.forget(this);
                close(frame.getRoomClosed().getReason());
                if (frame.getRoomClosed().getEndedByValue() != 0) {
                    EndRule rule = switch (frame.getRoomClosed().getEndedBy()) {
                        case AFTER_TURNS -> EndRule.AFTER_TURNS;
                        case AFTER_TIME -> EndRule.AFTER_TIME;
                        case STOP_PHRASE -> EndRule.STOP_PHRASE;
                        default -> EndRule.UNKNOWN;
                    };
                    fire(l -> l.onRoomEnded(this, rule, frame.getRoomClosed().getReason()));
                }
                fire(l -> l.onRoomClosed(this, frame.getRoomClosed().getReason()));
            }
            default -> log.debug("{}: ignoring {}", name, frame.getBodyCase());
        }
    }

    /** The server cannot replay what this client missed here; a fresh snapshot ({@link #refresh}) follows. */
    void historyLost() {
        historyLost = true;
    }

    /**
     * A fresh snapshot of the room, sent after {@link #historyLost}: the view is replaced (events up
     * to its seq are taken as seen), then listeners hear that history was lost.
     */
    void refresh(RoomSnapshot snapshot, long receivedNanos) {
        view(snapshot, receivedNanos);
        if (historyLost) {
            historyLost = false;
            fire(l -> l.onHistoryLost(this));
        }
        myTurnIfAny();
    }

    /**
     * Joined again in a new session ({@link dev.hotpochato.client.ClientOptions#autoRejoin()}): the
     * view is replaced by the new room's snapshot, whose seq numbers start afresh, and what was
     * heard in the old session is dropped.
     */
    void rejoined(RoomSnapshot snapshot, long receivedNanos) {
        open = true;
        closeReason = "";
        historyLost = false;
        heard = List.of();
        heardBeforeTurn = List.of();
        heardFor = 0;
        handledTurn = 0;
        claimedTurn = 0;
        view(snapshot, receivedNanos);
        fire(l -> l.onRejoined(this));
        myTurnIfAny();
    }

    /** Joining again in a new session failed: the room is over for this client; listeners hear why, once. */
    void rejoinFailed(HotPochatoException cause) {
        session.forget(this);
        close(cause.getMessage());
        fire(l -> l.onRejoinFailed(this, cause));
    }

    /** After a new snapshot: the turn it shows may be this client's, which a grant will not announce. */
    private void myTurnIfAny() {
        Turn t = turn;
        if (t != null && t.isMine()) {
            beginMyTurn(t);
            myTurn(t);
        }
    }

    /** What was heard until now belongs to this turn of this client's; the next turn hears what comes after. */
    private void beginMyTurn(Turn t) {
        if (t.number() != heardFor) {
            heardFor = t.number();
            heardBeforeTurn = heard;
            heard = List.of();
        }
    }

    /**
     * After a resume: how long the current turn really has left. A replayed {@code TurnGranted}
     * gave its full length, counted from when the replay arrived.
     */
    void timeLeft(TurnTimeLeft left, long receivedNanos) {
        Turn t = turn;
        if (t != null && t.number() == left.getTurn()) {
            turn = new Turn(name, t.holder(), t.number(), t.isMine(), t.length().map(Duration::toMillis).orElse(0L),
                    Integer.toUnsignedLong(left.getRemainingMs()), receivedNanos, t.isRevoked());
        }
    }

    /**
     * The turn after a REVOKED update: with a grace ({@code talk_time_ms} above 0) its holder keeps
     * it until the grace runs out (or it says one thing, or passes), so the turn goes on, revoked,
     * with the grace as its time left; without one, it has ended.
     */
    private Turn revoked(dev.hotpochato.protocol.v1.FloorUpdate u, long receivedNanos) {
        Turn t = turn;
        long grace = Integer.toUnsignedLong(u.getTalkTimeMs());
        if (t == null || grace == 0 || !t.holder().equals(u.getName())) {
            return null;
        }
        long length = t.length().map(Duration::toMillis).orElse(grace); // an unlimited turn now has one
        return new Turn(name, t.holder(), t.number(), t.isMine(), length, grace, receivedNanos, true);
    }

    /**
     * The answer to this client's chair request that changed nothing (a seq 0 {@code MemberMuted},
     * {@code MemberMoved} or {@code ChairChanged}): the view stays as it is; listeners hear what
     * the server said.
     */
    void unchanged(ServerFrame frame) {
        switch (frame.getBodyCase()) {
            case MEMBER_MUTED -> {
                dev.hotpochato.protocol.v1.MemberMuted m = frame.getMemberMuted();
                fire(l -> l.onUnchanged(this, m.getName(), m.getMuted() ? "muted" : "unmuted"));
            }
            case MEMBER_MOVED -> {
                dev.hotpochato.protocol.v1.MemberMoved m = frame.getMemberMoved();
                fire(l -> l.onUnchanged(this, m.getName(), m.getAudience() ? "audience" : "speakers"));
            }
            case CHAIR_CHANGED -> {
                String who = frame.getChairChanged().getName();
                fire(l -> l.onUnchanged(this, who, "chair"));
            }
            default -> log.debug("{}: ignoring unnumbered {}", name, frame.getBodyCase());
        }
    }

    /**
     * A chair removed this client ({@code Left(REMOVED)}): listeners hear who and why
     * ({@link RoomListener#onMemberRemoved}), then that the room is over for it.
     */
    void removed(String by, String message) {
        if (!open) {
            return;
        }
        fire(l -> l.onMemberRemoved(this, session.name(), by, message));
        end("removed by " + by + (message.isEmpty() ? "" : ": " + message));
    }

    /** To the holder: its turn runs out soon. */
    void warned(TurnWarning w) {
        Turn t = turn;
        if (t != null && t.isMine() && t.number() == w.getTurn()) {
            Duration remaining = Duration.ofMillis(Integer.toUnsignedLong(w.getRemainingMs()));
            fire(l -> l.onTurnWarning(this, remaining));
        }
    }

    private void granted(TurnGranted g, long receivedNanos) {
        saidThisTurn = 0;
        boolean mine = g.getHolder().equals(session.name());
        Turn t = new Turn(name, g.getHolder(), g.getTurn(), mine, g.getDurationMs(), g.getDurationMs(), receivedNanos);
        turn = t;
        if (mine) {
            beginMyTurn(t);
        }
        fire(l -> l.onTurnGranted(this, t));
        if (mine) {
            myTurn(t);
        }
    }

    /** The turn {@code t} is this client's: the handler and whoever waits for it hear of it. */
    private void myTurn(Turn t) {
        MyTurn mine = new OwnTurn(this, t, heardBeforeTurn);
        boolean delivered = false;
        for (CompletableFuture<MyTurn> waiter : turnWaiters) {
            delivered |= waiter.complete(mine);
        }
        turnWaiters.clear();
        if (delivered) {
            claimedTurn = Math.max(claimedTurn, t.number());
        }
        TurnHandler handler = turnHandler;
        if (handler != null) {
            runTurnHandler(handler, t);
        }
    }

    private void runTurnHandler(TurnHandler handler, Turn t) {
        // onMyTurn() also calls the handler for a turn already running, which may race with its grant.
        if (t.number() <= handledTurn) {
            return;
        }
        handledTurn = t.number();
        try {
            handler.onMyTurn(new OwnTurn(this, t, heardBeforeTurn));
        } catch (Throwable e) {
            log.warn("{}: turn handler threw; passing turn {}", name, t.number(), e);
            if (turn == t) {
                pass();
            }
        }
    }

    /** The room is over for this client (connection gone, or closed while it was away); listeners hear why. */
    void end(String reason) {
        if (!open) {
            return;
        }
        close(reason);
        fire(l -> l.onRoomClosed(this, reason));
    }

    /** The room is over for this client; those waiting for a turn in it are told why, listeners are not. */
    void close(String reason) {
        open = false;
        turn = null;
        closeReason = reason;
        if (!turnWaiters.isEmpty()) {
            RoomClosedException closed = new RoomClosedException(name, reason);
            List<CompletableFuture<MyTurn>> waiting = List.copyOf(turnWaiters);
            turnWaiters.clear();
            waiting.forEach(w -> w.completeExceptionally(closed));
        }
    }

    private void fire(Consumer<RoomListener> event) {
        for (RoomListener l : listeners) {
            notify(l, event);
        }
        for (SessionListener l : session.listeners()) {
            notify(l, event);
        }
    }

    private void notify(RoomListener l, Consumer<RoomListener> event) {
        try {
            event.accept(l);
        } catch (Throwable e) {
            log.warn("{}: a listener threw", name, e);
        }
    }

    private static Set<String> without(Set<String> set, String item) {
        if (!set.contains(item)) {
            return set;
        }
        Set<String> copy = new HashSet<>(set);
        copy.remove(item);
        return Set.copyOf(copy);
    }

    private static <T> List<T> append(List<T> list, T item, int max) {
        List<T> copy = new ArrayList<>(Math.min(list.size() + 1, max));
        copy.addAll(list.size() >= max ? list.subList(list.size() - max + 1, list.size()) : list);
        copy.add(item);
        return List.copyOf(copy);
    }

    @Override
    public String toString() {
        return "Room{" + name + ", " + members + (away.isEmpty() ? "" : ", away " + away) + (turn == null ? "" : ", " + turn) + (open ? "" : ", closed") + "}";
    }

    /**
     * A turn of this client's as handed out; {@link #turn()} follows it as it changes (a revoke
     * with a grace shortens it) for as long as it lasts.
     */
    private record OwnTurn(DefaultRoom room, Turn granted, List<Message> heard) implements MyTurn {
        @Override
        public Turn turn() {
            Turn now = room.turn;
            return now != null && now.number() == granted.number() ? now : granted;
        }
    }
}
