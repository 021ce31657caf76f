package dev.hotpochato.client.internal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.ConnectionClosedException;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.RoomInfo;
import dev.hotpochato.client.ServerErrorException;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.SessionListener;
import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.CancelMatch;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ListRooms;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.Paired;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.Welcome;
import io.netty.channel.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
    private final SerialExecutor callbacks;
    private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
    /** Written on the callback executor, read from any thread. */
    private final Map<String, DefaultRoom> rooms = new ConcurrentHashMap<>();
    /** Paired rooms whose Joined has not come yet, by room name. Callback executor only. */
    private final Map<String, PairedWaiter> pairing = new HashMap<>();
    private final CompletableFuture<Void> closeFuture = new CompletableFuture<>();
    private final AtomicBoolean closeRequested = new AtomicBoolean();

    private ConnectionWatchdog watchdog;
    /** The connection in use; replaced by the event loop when the session resumes on a new one. */
    private volatile Channel channel;
    private volatile Welcome welcome = Welcome.getDefaultInstance();
    private volatile boolean connected;
    private volatile boolean closed;
    /** The fatal error the server gave before closing, if any. Callback executor only. */
    private Throwable fatalError;

    private record PairedWaiter(PendingRequest match, Paired paired) {
    }

    DefaultSession(ClientOptions options) {
        this.options = options;
        this.callbacks = new SerialExecutor(options.callbackExecutor().orElseGet(ClientThreads::defaultCallbackExecutor));
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

    /** The connection is open: say Hello; {@code connected} completes with this session on Welcome. */
    void start(Channel channel, CompletableFuture<Session> connected) {
        this.channel = channel;
        connected.whenComplete((s, e) -> {
            if (e != null) {
                watchdog.close();
            } else {
                this.connected = true;
            }
        });
        send(new PendingRequest(ClientFrame.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                .setDisplayName(options.displayName())
                .setAuthToken(options.authToken())), connected, options.requestTimeout().toMillis()));
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
    public CompletableFuture<RoomHandle> join(String room, JoinOptions joinOptions) {
        RoomOptions.Builder o = RoomOptions.newBuilder()
                .setMaxMembers(joinOptions.maxMembers())
                .setPassword(joinOptions.password())
                .setInviteOnly(joinOptions.inviteOnly());
        joinOptions.turnTimeout().ifPresent(t -> o.setTurnTimeoutMs((int) t.toMillis()));
        return request(ClientFrame.newBuilder().setJoin(Join.newBuilder()
                .setRoom(room).setOptions(o).setPassword(joinOptions.password())));
    }

    @Override
    public CompletableFuture<RoomHandle> match() {
        CompletableFuture<RoomHandle> future = new CompletableFuture<>();
        send(new PendingRequest(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()), future, 0));
        return future;
    }

    @Override
    public CompletableFuture<Void> cancelMatch() {
        return request(ClientFrame.newBuilder().setCancelMatch(CancelMatch.getDefaultInstance()));
    }

    @Override
    public CompletableFuture<List<RoomInfo>> listRooms() {
        return request(ClientFrame.newBuilder().setListRooms(ListRooms.getDefaultInstance()));
    }

    @Override
    public CompletableFuture<Duration> ping() {
        return request(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(System.nanoTime())));
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

    // ------------------------------------------------------------------ sending

    /** Sends a request whose reply completes the returned future; fails at once if the session is over. */
    <T> CompletableFuture<T> request(ClientFrame.Builder frame) {
        CompletableFuture<T> future = new CompletableFuture<>();
        send(new PendingRequest(frame, future, options.requestTimeout().toMillis()));
        return future;
    }

    private void send(PendingRequest request) {
        if (closed) {
            request.fail(new ConnectionClosedException("the session is closed", null));
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
    public void frameReceived(ServerFrame frame, PendingRequest answered, long receivedNanos) {
        callbacks.execute(() -> onFrame(frame, answered, receivedNanos));
    }

    @Override
    public void requestFailed(PendingRequest request, Throwable cause) {
        callbacks.execute(() -> request.fail(cause));
    }

    @Override
    public void connectionLost(List<PendingRequest> unanswered, Throwable cause) {
        connected = false;
        callbacks.execute(() -> failUnanswered(unanswered, cause));
    }

    @Override
    public boolean closeRequested() {
        return closeRequested.get();
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
    public void reconnected(Channel channel) {
        this.channel = channel;
        this.connected = true;
        callbacks.execute(() -> {
            for (SessionListener l : listeners) {
                safely(l::onReconnected);
            }
        });
    }

    @Override
    public void disconnected(Throwable cause) {
        connected = false;
        callbacks.execute(() -> onDisconnected(cause));
    }

    // ------------------------------------------------------------------ reacting (callback executor)

    private void onFrame(ServerFrame frame, PendingRequest answered, long receivedNanos) {
        switch (frame.getBodyCase()) {
            case WELCOME -> {
                welcome = frame.getWelcome();
                complete(answered, this);
            }
            case JOINED -> joined(frame, answered, receivedNanos);
            case HISTORY_LOST -> {
                DefaultRoom room = rooms.get(frame.getHistoryLost().getRoom());
                if (room != null) {
                    room.historyLost();
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
                if (room != null) {
                    room.close();
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
                    room.apply(frame, receivedNanos);
                }
            }
            default -> {
                DefaultRoom room = RoomEvents.seq(frame) == 0 ? null : rooms.get(RoomEvents.room(frame));
                if (room != null) {
                    room.apply(frame, receivedNanos);
                } else {
                    log.debug("ignoring {} for no room of ours", frame.getBodyCase());
                }
                // The speaker's copy of Said or Passed is the acknowledgement of its Say or Pass.
                complete(answered, null);
            }
        }
    }

    private void joined(ServerFrame frame, PendingRequest answered, long receivedNanos) {
        DefaultRoom known = rooms.get(frame.getJoined().getRoom().getName());
        if (known != null) {
            // After a resume: a fresh snapshot of a room whose missed events are lost. The handle stays the same.
            known.refresh(frame.getJoined().getRoom(), receivedNanos);
            complete(answered, known);
            return;
        }
        DefaultRoom room = new DefaultRoom(this, frame.getJoined().getRoom(), receivedNanos);
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

    private void error(ServerFrame frame, PendingRequest answered) {
        ServerErrorException e = Wire.exception(frame.getError());
        if (frame.getError().getFatal()) {
            fatalError = e;
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

    private void failUnanswered(List<PendingRequest> unanswered, Throwable ioCause) {
        Throwable cause = fatalError != null ? fatalError : ioCause;
        ConnectionClosedException closedException = new ConnectionClosedException("the connection closed", cause);
        for (PendingRequest r : unanswered) {
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
        for (DefaultRoom room : rooms.values()) {
            room.end("connection lost");
        }
        rooms.clear();
        Throwable reported = closeRequested.get() && fatalError == null ? null : cause;
        for (SessionListener l : listeners) {
            safely(() -> l.onDisconnected(reported));
        }
        closeFuture.complete(null);
    }

    /** {@code room} closed on the server's word. */
    void forget(DefaultRoom room) {
        rooms.remove(room.name(), room);
    }

    private static void complete(PendingRequest request, Object value) {
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
        return "Session{" + name() + "@" + options.host() + ":" + options.port() + (closed ? ", closed" : "") + "}";
    }
}
