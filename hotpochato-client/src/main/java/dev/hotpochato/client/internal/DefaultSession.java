package dev.hotpochato.client.internal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.ConnectionClosedException;
import dev.hotpochato.client.ErrorCode;
import dev.hotpochato.client.HotPochatoException;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.RoomClosedException;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.RoomInfo;
import dev.hotpochato.client.ServerAddress;
import dev.hotpochato.client.ServerErrorException;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.SessionListener;
import dev.hotpochato.client.SyncSession;
import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.CancelMatch;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ListRooms;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.Paired;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.client.TurnPolicy;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.Welcome;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session: turns the frames {@link RequestHandler} reports into room views, listener calls and
 * completed futures. Everything it reacts to is handed from the event loop to its
 * {@link SerialExecutor}, so its view changes and its callbacks run there, one at a time and in
 * the server's order.
 */
final class DefaultSession implements Session, SessionEvents {

    private static final Logger log = LoggerFactory.getLogger(DefaultSession.class);

    private final ClientOptions options;
    /** Non-null when this session made its resources and so shuts them down when it ends. */
    private final DefaultClientResources ownResources;
    private final SerialExecutor callbacks;
    private final CompletableFuture<Session> connectFuture;
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    /** Written on the callback executor, read from any thread. */
    private final Map<String, DefaultRoom> rooms = new ConcurrentHashMap<>();
    /** Paired rooms whose Joined has not come yet, by room name. Callback executor only. */
    private final Map<String, PairedWaiter> pairing = new HashMap<>();
    /** Public rooms the server closed on the current connection, in case it is stopping. Callback executor only. */
    private final Map<String, DefaultRoom> closedOnConnection = new LinkedHashMap<>();
    /** Public rooms closed by a server that then stopped: joined again in a new session. Callback executor only. */
    private final Map<String, DefaultRoom> closedByStop = new LinkedHashMap<>();
    private final ClientFuture<Void> closeFuture;
    private final AtomicBoolean closeRequested = new AtomicBoolean();
    private final SyncSession sync = new DefaultSyncSession(this);

    private ConnectionWatchdog watchdog;
    /** The connection in use; replaced when the session resumes or is renewed on a new one. */
    private volatile Channel channel;
    private volatile ServerAddress address;
    private volatile Welcome welcome = Welcome.getDefaultInstance();
    private volatile boolean connected;
    private volatile boolean closed;
    /** The fatal error the server gave before closing, if any. Callback executor only. */
    private Throwable fatalError;
    /** Numbers the rooms in the order they were entered, so that they are joined again in that order. */
    private long roomsEntered;

    private record PairedWaiter(PendingRequest<?> match, Paired paired) {
    }

    DefaultSession(ClientOptions options, DefaultClientResources resources, boolean ownsResources) {
        this.options = options;
        this.ownResources = ownsResources ? resources : null;
        this.callbacks = new SerialExecutor(resources.callbackExecutor());
        this.connectFuture = new ClientFuture<>(callbacks, "the connection of " + options.displayName());
        this.closeFuture = new ClientFuture<>(callbacks, "the end of the session");
        this.address = options.addresses().get(0);
    }

    ClientOptions options() {
        return options;
    }

    SerialExecutor callbacks() {
        return callbacks;
    }

    List<SessionListener> listeners() {
        return listeners;
    }

    /** Set once, before the first connection. */
    void watchdog(ConnectionWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    /** Completes with this session once the first connection is welcomed, or fails with why none could be made. */
    CompletableFuture<Session> connectFuture() {
        return connectFuture;
    }

    <T> ClientFuture<T> newFuture(String what) {
        return new ClientFuture<>(callbacks, what);
    }

    // ------------------------------------------------------------------ Session

    @Override
    public String name() {
        String name = welcome.getDisplayName();
        return name.isEmpty() ? options.displayName() : name;
    }

    @Override
    public String sessionId() {
        return welcome.getSessionId();
    }

    @Override
    public String serverVersion() {
        return welcome.getServerVersion();
    }

    @Override
    public ServerAddress serverAddress() {
        return address;
    }

    @Override
    public CompletableFuture<RoomHandle> join(String room, JoinOptions joinOptions) {
        PendingRequest<RoomHandle> request = joinRequest(room, joinOptions);
        send(request);
        return request.future;
    }

    private PendingRequest<RoomHandle> joinRequest(String room, JoinOptions joinOptions) {
        RoomOptions.Builder o = RoomOptions.newBuilder()
                .setMaxMembers(joinOptions.maxMembers())
                .setPassword(joinOptions.password())
                .setInviteOnly(joinOptions.inviteOnly());
        joinOptions.turnTimeout().ifPresent(t -> o.setTurnTimeoutMs((int) t.toMillis()));
        if (joinOptions.policy() != TurnPolicy.ROUND_ROBIN) {
            o.setPolicy(dev.hotpochato.protocol.v1.TurnPolicy.valueOf(joinOptions.policy().name()));
        }
        o.setMessagesPerTurn(joinOptions.messagesPerTurn() == 1 ? 0 : joinOptions.messagesPerTurn());
        joinOptions.warning().ifPresent(w -> o.setWarningMs((int) w.toMillis()));
        o.setRevokeGraceMs((int) joinOptions.revokeGrace().toMillis());
        if (joinOptions.hasEndRules()) {
            o.setEnd(dev.hotpochato.protocol.v1.EndRules.newBuilder()
                    .setAfterTurns(joinOptions.endAfterTurns())
                    .setAfterMs((int) joinOptions.endAfter().map(Duration::toMillis).orElse(0L).longValue())
                    .setStopPhrase(joinOptions.stopPhrase())
                    .setAll(joinOptions.endWhenAll()));
        }
        PendingRequest<RoomHandle> request = new PendingRequest<>(ClientFrame.newBuilder().setJoin(Join.newBuilder()
                .setRoom(room).setOptions(o).setPassword(joinOptions.password()).setAudience(joinOptions.audience())),
                newFuture("joining " + room), RoomHandle.class, options.requestTimeout().toMillis());
        request.joinOptions = joinOptions;
        return request;
    }

    @Override
    public CompletableFuture<RoomHandle> match() {
        PendingRequest<RoomHandle> request = new PendingRequest<>(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()),
                newFuture("a match"), RoomHandle.class, 0);
        send(request);
        return request.future;
    }

    @Override
    public CompletableFuture<Void> cancelMatch() {
        return request(ClientFrame.newBuilder().setCancelMatch(CancelMatch.getDefaultInstance()), Void.class);
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<List<RoomInfo>> listRooms() {
        // The one generic result type: checked as a List, its elements are made by Wire.roomInfo only.
        CompletableFuture<?> rooms = request(ClientFrame.newBuilder().setListRooms(ListRooms.getDefaultInstance()), List.class);
        return (CompletableFuture<List<RoomInfo>>) rooms;
    }

    @Override
    public CompletableFuture<Duration> ping() {
        return request(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(System.nanoTime())), Duration.class);
    }

    @Override
    public Optional<RoomHandle> room(String name) {
        return Optional.ofNullable(rooms.get(name));
    }

    @Override
    public Collection<RoomHandle> rooms() {
        return List.copyOf(rooms.values());
    }

    @Override
    public void addListener(SessionListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(SessionListener listener) {
        listeners.remove(listener);
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public boolean isConnected() {
        return connected && !closed;
    }

    @Override
    public CompletableFuture<Void> closeFuture() {
        return closeFuture;
    }

    @Override
    public CompletableFuture<Void> closeAsync() {
        if (!closeRequested.compareAndSet(false, true)) {
            return closeFuture;
        }
        List<CompletableFuture<Void>> leaving = new ArrayList<>();
        for (DefaultRoom room : rooms.values()) {
            // While reconnecting, leaving fails at once; the server ends the session after its grace period.
            if (room.isOpen()) {
                leaving.add(room.leave().exceptionally(e -> null));
            }
        }
        CompletableFuture.allOf(leaving.toArray(CompletableFuture[]::new))
                .whenComplete((v, e) -> watchdog.close());
        return closeFuture;
    }

    @Override
    public void close() {
        CompletableFuture<Void> done = closeAsync();
        if (callbacks.inExecutor()) {
            return;
        }
        try {
            done.get(options.requestTimeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            watchdog.close();
        } catch (ExecutionException | TimeoutException e) {
            watchdog.close();
        }
    }

    @Override
    public SyncSession sync() {
        return sync;
    }

    // ------------------------------------------------------------------ sending

    /** Sends a request whose reply gives a {@code type}; fails at once if the session is over. */
    <T> ClientFuture<T> request(ClientFrame.Builder frame, Class<T> type) {
        PendingRequest<T> request = new PendingRequest<>(frame, newFuture(frame.getBodyCase().name()), type,
                options.requestTimeout().toMillis());
        send(request);
        return request.future;
    }

    private void send(PendingRequest<?> request) {
        if (closed) {
            request.fail(new ConnectionClosedException("the session is closed", null));
            return;
        }
        if (!connected) {
            // Not sent, so certainly not acted on: the caller may simply try again once reconnected.
            request.fail(new ConnectionClosedException("not connected: the session is reconnecting", null));
            return;
        }
        channel.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                // Also covers writes that never reached RequestHandler because the pipeline was torn down.
                callbacks.execute(() -> request.fail(new ConnectionClosedException(
                        "could not send " + request.describe(), f.cause())));
            }
        });
    }

    // ------------------------------------------------------------------ SessionEvents (event loop)

    @Override
    public void frameReceived(ServerFrame frame, PendingRequest<?> answered, long receivedNanos) {
        callbacks.execute(() -> onFrame(frame, answered, receivedNanos));
    }

    @Override
    public void requestFailed(PendingRequest<?> request, Throwable cause) {
        callbacks.execute(() -> request.fail(cause));
    }

    @Override
    public void connectionLost(List<PendingRequest<?>> unanswered, Throwable cause) {
        connected = false;
        callbacks.execute(() -> failUnanswered(unanswered, cause));
    }

    @Override
    public boolean closeRequested() {
        return closeRequested.get();
    }

    @Override
    public void connected(Channel channel, ServerAddress address) {
        this.channel = channel;
        this.address = address;
        this.connected = true;
        callbacks.execute(() -> connectFuture.complete(this));
    }

    @Override
    public void connectFailed(Throwable cause) {
        closed = true;
        callbacks.execute(() -> {
            connectFuture.completeExceptionally(cause);
            closeFuture.complete(null);
            stopOwnResources();
        });
    }

    @Override
    public void reconnecting(Throwable cause) {
        callbacks.execute(() -> {
            Throwable reported = fatalError != null ? fatalError : cause;
            fatalError = null;
            for (SessionListener l : listeners) {
                safely(() -> l.onReconnecting(reported));
            }
        });
    }

    @Override
    public void reconnected(Channel channel, ServerAddress address) {
        this.channel = channel;
        this.address = address;
        this.connected = true;
        callbacks.execute(() -> {
            fatalError = null;
            // Resumed: rooms closed before the connection was lost stay closed.
            closedOnConnection.clear();
            closedByStop.clear();
            for (SessionListener l : listeners) {
                safely(l::onReconnected);
            }
        });
    }

    @Override
    public void renewed(Channel channel, ServerAddress address, Throwable cause) {
        this.channel = channel;
        this.address = address;
        this.connected = true;
        callbacks.execute(() -> rejoin(cause));
    }

    @Override
    public void disconnected(Throwable cause) {
        connected = false;
        callbacks.execute(() -> onDisconnected(cause));
    }

    // ------------------------------------------------------------------ reacting (callback executor)

    private void onFrame(ServerFrame frame, PendingRequest<?> answered, long receivedNanos) {
        switch (frame.getBodyCase()) {
            case WELCOME -> welcome = frame.getWelcome();
            case JOINED -> joined(frame, answered, receivedNanos);
            case HISTORY_LOST -> {
                DefaultRoom room = rooms.get(frame.getHistoryLost().getRoom());
                if (room != null) {
                    room.historyLost();
                }
            }
            case TURN_WARNING -> {
                DefaultRoom room = rooms.get(frame.getTurnWarning().getRoom());
                if (room != null) {
                    room.warned(frame.getTurnWarning());
                }
            }
            case TURN_TIME_LEFT -> {
                DefaultRoom room = rooms.get(frame.getTurnTimeLeft().getRoom());
                if (room != null) {
                    room.timeLeft(frame.getTurnTimeLeft(), receivedNanos);
                }
            }
            case LEFT -> {
                DefaultRoom room = rooms.remove(frame.getLeft().getRoom());
                if (room != null && frame.getLeft().getReason() == dev.hotpochato.protocol.v1.MemberLeft.Reason.REMOVED) {
                    // Not asked for: a chair removed this client. Listeners hear who and why, then the room closing.
                    room.removed(frame.getLeft().getBy(), frame.getLeft().getMessage());
                } else if (room != null) {
                    room.close("you left");
                }
                complete(answered, null);
            }
            case PAIRED -> {
                // The private room's Joined follows; the match completes with it.
                pairing.put(frame.getPaired().getRoom(), new PairedWaiter(answered, frame.getPaired()));
            }
            case MATCH_CANCELLED -> complete(answered, null);
            case ROOM_LIST -> complete(answered, frame.getRoomList().getRoomsList().stream().map(Wire::roomInfo).toList());
            case PONG -> {
                if (answered != null) {
                    answered.complete(Duration.ofNanos(receivedNanos - answered.createdNanos));
                }
            }
            case ERROR -> error(frame, answered);
            case ROOM_CLOSED -> {
                // seq 0: after a resume, a room that closed while we were away (not a numbered event).
                DefaultRoom room = rooms.get(frame.getRoomClosed().getRoom());
                if (room != null && frame.getRoomClosed().getSeq() == 0) {
                    forget(room); // before listeners hear of it, as for a RoomClosed of the room itself
                    room.end(frame.getRoomClosed().getReason());
                } else if (room != null) {
                    if (!room.isPrivate() && frame.getRoomClosed().getEndedByValue() == 0) {
                        // A server closes public rooms only when it stops; if it is stopping, they are joined again.
                        closedOnConnection.put(room.name(), room);
                    }
                    room.apply(frame, receivedNanos);
                }
            }
            case SAID -> {
                DefaultRoom room = rooms.get(frame.getSaid().getRoom());
                if (room != null) {
                    room.apply(frame, receivedNanos);
                }
                // The speaker's copy of Said is the acknowledgement of its Say.
                if (answered != null) {
                    answered.complete(Wire.message(frame.getSaid()));
                }
            }
            default -> {
                DefaultRoom room = rooms.get(RoomEvents.room(frame));
                if (room != null && RoomEvents.seq(frame) != 0) {
                    room.apply(frame, receivedNanos);
                } else if (room != null && answered != null) {
                    room.unchanged(frame); // a chair's request that changed nothing: seq 0, to the chair only
                } else {
                    log.debug("ignoring {} for no room of ours", frame.getBodyCase());
                }
                // The speaker's copy of Passed is the acknowledgement of its Pass.
                complete(answered, null);
            }
        }
    }

    private void joined(ServerFrame frame, PendingRequest<?> answered, long receivedNanos) {
        String name = frame.getJoined().getRoom().getName();
        if (answered != null && answered.rejoining != null) {
            DefaultRoom room = answered.rejoining;
            rooms.put(name, room);
            room.rejoined(frame.getJoined().getRoom(), receivedNanos);
            complete(answered, room);
            return;
        }
        DefaultRoom known = rooms.get(name);
        if (known != null) {
            // After a resume: a fresh snapshot of a room whose missed events are lost. The handle stays the same.
            known.refresh(frame.getJoined().getRoom(), receivedNanos);
            complete(answered, known);
            return;
        }
        JoinOptions joinOptions = answered == null ? null : answered.joinOptions;
        DefaultRoom room = new DefaultRoom(this, frame.getJoined().getRoom(), receivedNanos, joinOptions, ++roomsEntered);
        rooms.put(room.name(), room);
        for (SessionListener l : listeners) {
            safely(() -> l.onJoined(room));
        }
        PairedWaiter waiter = pairing.remove(room.name());
        if (waiter != null) {
            Paired p = waiter.paired();
            for (SessionListener l : listeners) {
                safely(() -> l.onPaired(room, p.getPartner(), p.getFirst()));
            }
            complete(waiter.match(), room);
        }
        complete(answered, room);
    }

    private void error(ServerFrame frame, PendingRequest<?> answered) {
        ServerErrorException e = Wire.exception(frame.getError());
        if (frame.getError().getFatal()) {
            fatalError = e;
            if (e.code() == ErrorCode.SERVER_SHUTTING_DOWN) {
                closedByStop.putAll(closedOnConnection);
            }
        }
        if (answered != null) {
            answered.fail(e);
        } else {
            log.debug("server error: {}", e.getMessage());
            for (SessionListener l : listeners) {
                safely(() -> l.onServerError(e));
            }
        }
    }

    /**
     * A new session replaced one that could not be resumed: every room of the old one (those still
     * open, and those a stopping server closed) is joined again with the options it was first joined
     * with, in the order it was first entered; each tells its listeners how that went.
     */
    private void rejoin(Throwable cause) {
        fatalError = null;
        closedOnConnection.clear();
        pairing.clear();
        // Open rooms stay in rooms() while they are joined again; those that cannot be are forgotten.
        List<DefaultRoom> again = new ArrayList<>(rooms.values());
        again.addAll(closedByStop.values());
        closedByStop.clear();
        again.sort(Comparator.comparingLong(DefaultRoom::entered));
        for (SessionListener l : listeners) {
            safely(() -> l.onNewSession(cause));
        }
        for (DefaultRoom room : again) {
            if (room.joinOptions() == null) {
                room.rejoinFailed(new RoomClosedException(room.name(), "a private room cannot be joined again"));
                continue;
            }
            PendingRequest<RoomHandle> request = joinRequest(room.name(), room.joinOptions());
            request.rejoining = room;
            request.future.whenComplete((r, e) -> {
                if (e != null) {
                    room.rejoinFailed(e instanceof HotPochatoException h ? h
                            : new HotPochatoException("could not join " + room.name() + " again", e));
                }
            });
            send(request);
        }
    }

    private void failUnanswered(List<PendingRequest<?>> unanswered, Throwable ioCause) {
        Throwable cause = fatalError != null ? fatalError : ioCause;
        boolean stopping = cause instanceof ServerErrorException e && e.code() == ErrorCode.SERVER_SHUTTING_DOWN;
        ConnectionClosedException closedException = new ConnectionClosedException("the connection closed", cause, !stopping);
        for (PendingRequest<?> r : unanswered) {
            r.fail(closedException);
        }
    }

    private void onDisconnected(Throwable ioCause) {
        closed = true;
        Throwable cause = fatalError != null ? fatalError : ioCause;
        ConnectionClosedException closedException = new ConnectionClosedException("the connection closed", cause);
        for (PairedWaiter w : pairing.values()) {
            if (w.match() != null) {
                w.match().fail(closedException);
            }
        }
        pairing.clear();
        closedOnConnection.clear();
        closedByStop.clear();
        for (DefaultRoom room : rooms.values()) {
            room.end("connection lost");
        }
        rooms.clear();
        Throwable reported = closeRequested.get() && fatalError == null ? null : cause;
        for (SessionListener l : listeners) {
            safely(() -> l.onDisconnected(reported));
        }
        closeFuture.complete(null);
        stopOwnResources();
    }

    private void stopOwnResources() {
        if (ownResources != null) {
            ownResources.shutdown();
        }
    }

    /** {@code room} closed on the server's word. */
    void forget(DefaultRoom room) {
        rooms.remove(room.name(), room);
    }

    private static void complete(PendingRequest<?> request, Object value) {
        if (request != null) {
            request.complete(value);
        }
    }

    private static void safely(Runnable callback) {
        try {
            callback.run();
        } catch (Throwable e) {
            log.warn("a session listener threw", e);
        }
    }

    @Override
    public String toString() {
        return "Session{" + name() + "@" + address + (closed ? ", closed" : "") + "}";
    }

}
