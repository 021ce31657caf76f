package dev.hotpochato.client;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A conversation with a HotPochato server under one display name, made by
 * {@link HotPochatoClient#connect}. It joins rooms, asks for matches and lists rooms; each room it
 * is in is a {@link RoomHandle}. Close it when done ({@code try}-with-resources, or a shutdown hook
 * so that Ctrl-C leaves the rooms cleanly instead of leaving this client "away" for the server's
 * resume grace period):
 *
 * <pre>{@code
 * Session session = HotPochatoClient.connect("localhost", 7447, "echo-bot").join();
 * Runtime.getRuntime().addShutdownHook(new Thread(session::close));
 * }</pre>
 *
 * <p><b>Threading:</b> every method may be called from any thread and does not block (except
 * {@link #close()} and the {@link #sync()} facade). Returned futures, listeners and turn handlers
 * all complete or run on this session's callback executor, one at a time, in the order the
 * server's frames arrived (see {@link ClientResources}); never on a network thread. Inside a
 * callback, chain with {@code thenAccept} instead of waiting: waiting there for a result of the
 * same session ({@code join()}, {@code get()}, {@link #sync()}) throws
 * {@link BlockingInCallbackException}, since that result could only be completed after the
 * callback returns.
 *
 * <p>When the connection is lost, every pending request fails with {@link ConnectionClosedException}
 * (requests are never sent twice). Unless the session was closed, the server dismissed the client,
 * or {@link ClientOptions#reconnect()} is off, the session then reconnects with backoff, to the
 * next of {@link ClientOptions#addresses()} each time, and resumes ({@link SessionListener#onReconnecting},
 * {@link SessionListener#onReconnected}): its rooms stay open and receive the events they missed.
 * If the session cannot be resumed, {@link ClientOptions#autoRejoin()} opens a new one and joins
 * its rooms again ({@link SessionListener#onNewSession}); otherwise the session is over: every
 * room handle closes and {@link SessionListener#onDisconnected} is called.
 */
public interface Session extends AutoCloseable {

    /** The display name in force. */
    String name();

    /** The server's identifier of this session, for logs. */
    String sessionId();

    /** The server's version, e.g. {@code 0.1.0}. */
    String serverVersion();

    /** The address of the server this session is connected to now (or was last). */
    ServerAddress serverAddress();

    /** Joins {@code room}, creating it with the server's defaults if it does not exist. */
    default CompletableFuture<RoomHandle> join(String room) {
        return join(room, JoinOptions.defaults());
    }

    /**
     * Joins {@code room}, creating it with {@code options} if it does not exist. Completes with the
     * room's handle once the server admitted this client; fails with {@link ServerErrorException}
     * ({@link NameTakenException}, {@code ROOM_FULL}, {@code WRONG_PASSWORD}, ...) if it did not.
     */
    CompletableFuture<RoomHandle> join(String room, JoinOptions options);

    /**
     * Asks to be paired with a stranger. Completes with the new private room once a partner is
     * found (which may take any time: no request timeout applies); fails with
     * {@link java.util.concurrent.CancellationException} after {@link #cancelMatch()}, or with
     * {@link ServerErrorException} ({@code ALREADY_MATCHING}).
     */
    CompletableFuture<RoomHandle> match();

    /** Stops waiting for a partner; fails with {@link ServerErrorException} ({@code NOT_MATCHING}) if not waiting. */
    CompletableFuture<Void> cancelMatch();

    /**
     * The public rooms, sorted by name: the first page the server gives, at most 100 rooms (a
     * server answers {@code ListRooms} a page at a time; see docs/protocol.md §10).
     */
    CompletableFuture<List<RoomInfo>> listRooms();

    /** Measures the round trip to the server. */
    CompletableFuture<Duration> ping();

    /** The room called {@code name} if this session is in it. */
    Optional<RoomHandle> room(String name);

    /** The rooms this session is in now. */
    Collection<RoomHandle> rooms();

    /** Adds a listener for the events of every room of this session and of the session itself. */
    void addListener(SessionListener listener);

    void removeListener(SessionListener listener);

    /** True until the session is over: it stays true while reconnecting. */
    boolean isOpen();

    /** True while a connection is up and welcomed; false while reconnecting and once closed. */
    boolean isConnected();

    /** Completes (normally) when the session is over, for whatever reason. */
    CompletableFuture<Void> closeFuture();

    /**
     * Ends the session cleanly: leaves every room (so the others see the reason {@link LeaveReason#LEFT}),
     * stops matching, then closes the connection. Completes when the connection is closed. Idempotent.
     */
    CompletableFuture<Void> closeAsync();

    /**
     * {@link #closeAsync()}, waiting up to the request timeout for it. Called on the callback
     * executor (from a listener) it does not wait, since the replies it waits for run there.
     */
    @Override
    void close();

    /**
     * This session with blocking methods, for simple programs that would rather wait than chain
     * futures (as Lettuce's {@code sync()}): each waits for its reply and returns it, or throws the
     * exception the future would fail with. Not for callbacks (see above).
     *
     * <pre>{@code
     * SyncRoom room = session.sync().join("lobby");
     * while (true) {
     *     MyTurn turn = room.awaitMyTurn();
     *     room.say(turn.lastHeard().map(m -> "you said " + m.text()).orElse("anyone?"));
     * }
     * }</pre>
     */
    SyncSession sync();
}
