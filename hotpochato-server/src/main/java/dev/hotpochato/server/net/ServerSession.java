package dev.hotpochato.server.net;

import dev.hotpochato.protocol.ErrorRules;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.RoomClosed;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.Lobby;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.wire.RoomFrames;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client after its handshake: its name, its rooms, its resume tokens and the connection it is
 * on. A session outlives a lost connection for the resume grace period, its member away in each
 * room meanwhile, and a {@code Resume} on a new connection takes it back.
 *
 * <p>A state machine ({@link State}) run on one thread, {@link #executor} (the event loop of its
 * first connection). Connections, rooms and timers reach it only by submitting to that executor
 * (the public methods below do it for them), so its transitions never interleave; each is one
 * method. It reaches its rooms through the room store ({@code server.rooms()}), which answers on
 * the rooms' threads through {@link Participant}'s callbacks and {@link #channel()}.
 *
 * <pre>
 *   Hello ──► CONNECTED ──lost, resumable──► AWAY ──grace ends──► ENDED
 *              ▲   │ lost, kicked (or grace 0) ─────────────────► ENDED
 *   rooms quiet│   │Resume                 │Resume
 *              │   ▼                       ▼
 *             RESUMING ◄───────────────────┘   (a newer Resume starts over)
 *                  │ lost ──► AWAY, or ENDED if kicked
 * </pre>
 */
final class ServerSession implements Participant {

    static final AttributeKey<ServerSession> KEY = AttributeKey.valueOf(ServerSession.class, "session");

    /** Sent to a connection whose session a Resume took to another one; quoted in docs/protocol.md. */
    static final String REPLACED = "session resumed on another connection";

    enum State {
        /** On a connection, which the rooms write to. */
        CONNECTED,
        /**
         * Taking over a new connection after a Resume: the rooms are told the member is away, the new
         * connection is sent its Welcome, then the rooms replay what it missed. Rooms write to no
         * connection meanwhile, so nothing reaches the new one before its Welcome or out of order.
         */
        RESUMING,
        /** The connection was lost; a Resume may take the session back until the grace period ends. */
        AWAY,
        /** Over: it has left its rooms, no token finds it, its address's place is given back. */
        ENDED
    }

    /**
     * The new connection's side of a Resume, told how it goes. Called from the session's executor;
     * each runs on the connection's loop, in the order called (at once when that is the same thread).
     */
    interface Takeover {
        /** Sends Welcome with {@code token}, unless the connection is gone or going (its loss reaches the session on its own). */
        void welcome(String token);

        /** The rooms have been asked to replay what the client missed: frames it sent since may be handled. */
        void rejoined();

        /** The token does not take this session back (any more). */
        void refused();
    }

    private final long id;
    private final String name;
    private final ServerContext server;
    private final EventExecutor executor;
    /** Failed room password attempts of this session (any thread: it is atomic). */
    private final AttemptBudget passwordAttempts;
    /** Rooms joined or being joined; claimed and given back by room threads, hence atomic. */
    private final AtomicInteger roomSlots = new AtomicInteger();

    /** Where rooms and replies write: the connection once it has had its Welcome, else null. Read by any thread. */
    private volatile Channel output;

    // Everything below belongs to the executor.
    private State state = State.CONNECTED;
    /** The connection the session is on, or is taking over while RESUMING; null while AWAY and ENDED. */
    private Channel connection;
    /** The place of the session's latest connection's address: held until the session ends. */
    private AddressLedger.Place place;
    private String token;
    /**
     * The token the latest Resume presented, still accepted until the client shows it holds the new
     * one (a frame read after its Welcome: {@link #tokenConfirmed}), or null. A client whose new
     * connection breaks before it read that Welcome can so resume again with the token it has.
     */
    private String unconfirmedToken;
    /** The rooms it is in. Made on the first join: most idle connections are in no room, and an empty set costs each of them. */
    private Set<String> memberOf = Set.of();
    /**
     * Rooms a Join with a password was sent for and that have not admitted the session yet, with the
     * address place charged for the attempt: an admission gives the attempt back. A refused one
     * stays charged, and its entry goes when newer ones push it out (at most as many as the
     * session may be in rooms, so that a guesser cannot grow it).
     */
    private final Map<String, AddressLedger.Place> passwordJoins = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AddressLedger.Place> eldest) {
            return size() > server.options().maxRoomsPerClient();
        }
    };
    /** Rooms that closed while away; reported as RoomClosed once back (to a client that names them). */
    private Set<String> closedWhileAway = Set.of();
    /**
     * The rooms the latest Resume named in its last_seq (of those the session is in): in a cluster a
     * room can turn out closed only once the session is back ({@link #closedWhileAway(String)}).
     */
    private Set<String> namedOnResume = Set.of();
    private ScheduledFuture<?> graceTimer;
    /** Counts takeovers; a step of an older one finds it changed and gives up. */
    private long takeovers;
    /** Rooms still to confirm the member away before a takeover can go on. */
    private int roomsToQuiet;

    /** A session that has just said Hello on {@code channel}; call on that channel's loop, then send its Welcome. */
    ServerSession(long id, String name, Channel channel, AddressLedger.Place place, ServerContext server) {
        this.id = id;
        this.name = name;
        this.server = server;
        this.executor = channel.eventLoop();
        this.connection = channel;
        this.output = channel;
        this.place = place;
        if (place != null) {
            place.retain();
        }
        this.passwordAttempts = new AttemptBudget(server.options().maxFailedAttempts(), 1, TimeUnit.MINUTES,
                executor.ticker().nanoTime());
        this.token = server.tokens().newToken(id);
        server.tokens().add(token, this);
        server.metrics().sessionStarted();
    }

    /**
     * A session this server took over while it is away, in a cluster: claimed by a Resume with
     * {@code token} from another node, or adopted from a dead node ({@code token} null; see
     * {@link #trustToken} and {@link #markAway}). It is in {@code rooms}, holding a room slot for
     * each; {@code closedRooms} closed while it was away (told once it is back, as on one node). It
     * ends after {@code graceMillis} unless it is resumed. The caller registers its tokens.
     */
    ServerSession(long id, String name, java.util.Collection<String> rooms, java.util.Collection<String> closedRooms,
                  String token, EventExecutor executor, long graceMillis, ServerContext server) {
        this.id = id;
        this.name = name;
        this.server = server;
        this.executor = executor;
        this.passwordAttempts = new AttemptBudget(server.options().maxFailedAttempts(), 1, TimeUnit.MINUTES,
                executor.ticker().nanoTime());
        this.token = token;
        this.state = State.AWAY;
        if (!rooms.isEmpty()) {
            memberOf = new HashSet<>(rooms);
            roomSlots.set(rooms.size());
        }
        if (!closedRooms.isEmpty()) {
            closedWhileAway = new HashSet<>(closedRooms);
        }
        server.metrics().sessionStarted();
        server.metrics().sessionAway();
        executor.execute(() -> {
            if (state == State.AWAY && graceTimer == null) {
                graceTimer = executor.schedule(() -> end(MemberLeft.Reason.DISCONNECTED), Math.max(0, graceMillis),
                        TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public long sessionId() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    /** The token for the next Resume; call on the executor (the Welcome of a Hello is built there). */
    String resumeToken() {
        return token;
    }

    @Override
    public Channel channel() {
        return output;
    }

    /** Writes {@code frame} (a ServerFrame or an encoded ByteBuf) to the connection; dropped while there is none. Any thread. */
    void send(Object frame) {
        Channel ch = output;
        if (ch != null) {
            ch.writeAndFlush(frame, ch.voidPromise());
        } else {
            ReferenceCountUtil.release(frame);
        }
    }

    // ------------------------------------------------------------------ room slots and password attempts (any thread)

    @Override
    public boolean tryTakeRoomSlot() {
        while (true) {
            int taken = roomSlots.get();
            if (taken >= server.options().maxRoomsPerClient()) {
                return false;
            }
            if (roomSlots.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    @Override
    public void releaseRoomSlot() {
        roomSlots.decrementAndGet();
    }

    /** This session's allowance of failed room password attempts (its address has one too). Any thread. */
    AttemptBudget passwordAttempts() {
        return passwordAttempts;
    }

    /**
     * A Join with a password for {@code room} took an attempt from this session's allowance and
     * {@code place}'s: if the room admits the session, both are given back. Call before the Join goes
     * to the room store, so that the admission finds this.
     */
    void passwordAttempted(String room, AddressLedger.Place place) {
        executor.execute(() -> {
            if (state != State.ENDED) {
                passwordJoins.put(room, place);
            }
        });
    }

    // ------------------------------------------------------------------ events from rooms (room threads)

    @Override
    public void joined(String room) {
        executor.execute(() -> {
            if (state == State.ENDED) {
                // The session ended while the join was on its way; undo it.
                leave(room, MemberLeft.Reason.DISCONNECTED);
                return;
            }
            if (memberOf.isEmpty()) {
                memberOf = new HashSet<>();
            }
            memberOf.add(room);
            if (passwordJoins.containsKey(room)) { // the password was right (or made the room)
                AddressLedger.attemptSucceeded(passwordAttempts, passwordJoins.remove(room));
            }
            if (state != State.CONNECTED) {
                away(room); // the connection was lost while the join was on its way
            }
        });
    }

    @Override
    public void left(String room) {
        roomSlots.decrementAndGet();
        executor.execute(() -> {
            boolean was = !memberOf.isEmpty() && memberOf.remove(room);
            if (was && (state == State.AWAY || state == State.RESUMING)) {
                rememberClosed(room);
            }
        });
    }

    /** As one node: told now if the client is back and named the room in its Resume, else once it is back. */
    @Override
    public void closedWhileAway(String room) {
        roomSlots.decrementAndGet();
        executor.execute(() -> {
            boolean was = !memberOf.isEmpty() && memberOf.remove(room);
            if (!was) {
                return;
            }
            if (state == State.AWAY || state == State.RESUMING) {
                rememberClosed(room);
            } else if (state == State.CONNECTED && namedOnResume.contains(room)) {
                send(closedWhileAwayFrame(room));
            }
        });
    }

    private void rememberClosed(String room) {
        if (closedWhileAway.isEmpty()) {
            closedWhileAway = new HashSet<>();
        }
        closedWhileAway.add(room); // told once back, since it cannot be replayed
    }

    private static ServerFrame closedWhileAwayFrame(String room) {
        return ServerFrame.newBuilder().setRoomClosed(RoomClosed.newBuilder()
                .setRoom(room).setReason("the room closed while you were away")).build();
    }

    // ------------------------------------------------------------------ events from connections (their loops)

    /**
     * {@code ch} is lost: closed by the peer or the network ({@code cause} null), or by the server
     * for a fatal error with code {@code cause}. Whether the session can be resumed, and what the
     * others see when it ends, is that code's rule ({@link ErrorRules}).
     */
    void lost(Channel ch, Error.Code cause) {
        executor.execute(() -> {
            if (state == State.ENDED || ch != connection) {
                return; // already over, or a connection the session has left
            }
            State was = state;
            connection = null;
            output = null;
            takeovers++; // a takeover in progress on ch gives up
            matchmaker(m -> m.drop(this));
            boolean resumable = cause == null || ErrorRules.of(cause).getResumable();
            MemberLeft.Reason reason = cause == null ? MemberLeft.Reason.DISCONNECTED : ErrorRules.memberLeft(cause);
            Duration grace = server.options().resumeGrace();
            if (!resumable || grace.isZero()) {
                end(reason);
                return;
            }
            state = State.AWAY;
            server.metrics().sessionAway();
            server.tokens().away(this, grace);
            if (was == State.CONNECTED) {
                memberOf.forEach(this::away);
            } // RESUMING: the rooms were told already
            graceTimer = executor.schedule(() -> end(reason), grace.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /**
     * A client presents {@code presented} in a Resume on {@code fresh}: if it still takes this
     * session, the session leaves whatever connection it had (a half-open one is closed with
     * PROTOCOL_VIOLATION), renews its token, tells each room its member is away, sends the Welcome
     * through {@code takeover}, and then has each room replay what the client missed after its
     * {@code lastSeq}. A newer Resume, or the loss of {@code fresh}, ends this one on the way.
     */
    void resume(String presented, Channel fresh, AddressLedger.Place freshPlace, Map<String, Long> lastSeq,
                Takeover takeover) {
        executor.execute(() -> {
            // Checked here, on the session's thread, since another Resume may have renewed it after
            // this one found the session by it.
            if (state == State.ENDED || !(presented.equals(token) || presented.equals(unconfirmedToken))) {
                takeover.refused();
                return;
            }
            // Of the two, only the presented one stays valid: the other was given to a connection
            // that broke before its client read it.
            forgetTokens();
            unconfirmedToken = presented;
            token = ResumeTokens.newToken();
            server.tokens().add(unconfirmedToken, this);
            server.tokens().add(token, this);
            cancelGrace();
            if (state == State.AWAY) {
                server.metrics().sessionBack();
            }
            Channel old = connection;
            if (old != null) {
                closeReplaced(old);
            }
            if (state == State.CONNECTED) {
                matchmaker(m -> m.drop(this)); // a pending Match is not carried over
            }
            state = State.RESUMING;
            connection = fresh;
            output = null;
            movePlace(freshPlace);
            long takeover0 = ++takeovers;
            roomsToQuiet = memberOf.size();
            if (roomsToQuiet == 0) {
                welcome(lastSeq, takeover);
                return;
            }
            for (String room : memberOf) {
                server.rooms().away(this, room).thenRunAsync(() -> quieted(takeover0, lastSeq, takeover), executor);
            }
        });
    }

    /** One room has the member away. When all have, nothing more can reach the new connection before its Welcome. */
    private void quieted(long takeover0, Map<String, Long> lastSeq, Takeover takeover) {
        if (takeover0 == takeovers && --roomsToQuiet == 0) {
            welcome(lastSeq, takeover);
        }
    }

    /**
     * The rooms are quiet: the new connection is sent its Welcome, and only then do the rooms write
     * to it, each after its replay. The Welcome goes first because it is handed to the connection's
     * loop before the rooms can see the connection, and whatever they write reaches that loop after.
     */
    private void welcome(Map<String, Long> lastSeq, Takeover takeover) {
        state = State.CONNECTED;
        server.tokens().back(this);
        takeover.welcome(token);
        output = connection;
        // Rooms the client still counts itself in but that closed while it was away; any other name
        // in last_seq is not one of its rooms and is ignored.
        for (String closed : closedWhileAway) {
            if (lastSeq.containsKey(closed)) {
                send(closedWhileAwayFrame(closed));
            }
        }
        closedWhileAway = Set.of();
        namedOnResume = new HashSet<>(memberOf);
        namedOnResume.retainAll(lastSeq.keySet());
        for (String room : memberOf) {
            server.rooms().back(this, room, lastSeq.getOrDefault(room, 0L));
        }
        takeover.rejoined();
    }

    /**
     * The client sent a frame on {@code from} after its Welcome, so it has the token that Resume gave
     * it: the one it resumed with stops working.
     */
    void tokenConfirmed(Channel from) {
        executor.execute(() -> {
            if (from == connection && unconfirmedToken != null) {
                server.tokens().remove(unconfirmedToken, this);
                unconfirmedToken = null;
            }
        });
    }

    /** Handles {@code Match}, in order with the matchmaker drop of a lost connection. */
    void match(long requestId) {
        executor.execute(() -> {
            if (state == State.CONNECTED) {
                matchmaker(m -> m.match(this, requestId));
            }
        });
    }

    /** Handles {@code CancelMatch}, ordered like {@link #match}. */
    void cancelMatch(long requestId) {
        executor.execute(() -> matchmaker(m -> m.cancel(this, requestId)));
    }

    // ------------------------------------------------------------------ internals (executor)

    /** The session is over: it leaves every room with {@code reason} and can no longer be resumed. */
    private void end(MemberLeft.Reason reason) {
        if (state == State.ENDED) {
            return;
        }
        server.metrics().sessionEnded(state == State.AWAY);
        state = State.ENDED;
        connection = null;
        output = null;
        takeovers++;
        cancelGrace();
        forgetTokens();
        matchmaker(m -> m.drop(this));
        // Given back before the rooms hear of it, so that whoever sees the member leave can take the place.
        movePlace(null);
        Set<String> rooms = memberOf;
        memberOf = Set.of();
        passwordJoins.clear();
        closedWhileAway = Set.of();
        namedOnResume = Set.of();
        java.util.concurrent.CompletionStage<Boolean> released = server.tokens().release(this);
        if (released == null) {
            for (String room : rooms) {
                leave(room, reason);
            }
        } else {
            // In a cluster, another node may have taken the session meanwhile: then its rooms are that node's.
            released.whenComplete((mine, failure) -> {
                if (failure != null || !Boolean.FALSE.equals(mine)) {
                    for (String room : rooms) {
                        leave(room, reason);
                    }
                }
            });
        }
    }

    /**
     * In a cluster, another node took this session (a Resume there): it ends here without leaving
     * its rooms, which are that node's to change now. A connection it still has (half-open, or
     * resuming here) is closed as one a Resume replaced.
     */
    @Override
    public void moved() {
        executor.execute(() -> {
            if (state == State.ENDED) {
                return;
            }
            server.metrics().sessionEnded(state == State.AWAY);
            state = State.ENDED;
            Channel old = connection;
            connection = null;
            output = null;
            takeovers++;
            cancelGrace();
            server.tokens().forget(this, token, unconfirmedToken);
            token = null;
            unconfirmedToken = null;
            matchmaker(m -> m.drop(this));
            movePlace(null);
            for (String room : memberOf) {
                server.rooms().forget(this, room);
            }
            memberOf = Set.of();
            passwordJoins.clear();
            closedWhileAway = Set.of();
            namedOnResume = Set.of();
            if (old != null) {
                closeReplaced(old);
            }
        });
    }

    /**
     * A session adopted from a dead node knows no token of its own: the shared store checked
     * {@code presented} (its hash) before handing the session over, so a Resume with it is taken.
     */
    void trustToken(String presented) {
        executor.execute(() -> {
            if (state != State.ENDED && token == null) {
                token = presented;
            }
        });
    }

    /** An adopted session's member is away in each of its rooms (its node died without saying so). */
    void markAway() {
        executor.execute(() -> {
            if (state == State.AWAY) {
                memberOf.forEach(this::away);
            }
        });
    }

    /** The session now holds {@code next}'s place instead of its own. */
    private void movePlace(AddressLedger.Place next) {
        if (next == place) {
            return;
        }
        if (next != null) {
            next.retain();
        }
        if (place != null) {
            place.release();
        }
        place = next;
    }

    /** A half-open connection the client has given up on: closed like any that broke the rules, so nothing it sends is acted on. */
    private static void closeReplaced(Channel old) {
        old.eventLoop().execute(() -> {
            if (old.isActive()) { // checked on its own loop, so it cannot close in between
                old.pipeline().fireExceptionCaught(new ProtocolException(Error.Code.PROTOCOL_VIOLATION, REPLACED, 0));
            }
        });
    }

    /** No token finds this session any more. */
    private void forgetTokens() {
        server.tokens().remove(token, this);
        server.tokens().remove(unconfirmedToken, this);
        unconfirmedToken = null;
    }

    private void cancelGrace() {
        if (graceTimer != null) {
            graceTimer.cancel(false);
            graceTimer = null;
        }
    }

    private void away(String room) {
        server.rooms().away(this, room);
    }

    private void leave(String room, MemberLeft.Reason reason) {
        server.rooms().leave(this, 0, room, RoomFrames.reason(reason));
    }

    /** Every call of this session into the matchmaker (which hops to its own thread). */
    private void matchmaker(Consumer<Lobby> action) {
        action.accept(server.matchmaker());
    }

    @Override
    public String toString() {
        return name + "#" + Long.toHexString(id);
    }
}
