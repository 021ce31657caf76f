package dev.hotpochato.terminal.script;

import dev.hotpochato.client.ConnectionClosedException;
import dev.hotpochato.client.EndRule;
import dev.hotpochato.client.ErrorCode;
import dev.hotpochato.client.FloorState;
import dev.hotpochato.client.FloorUpdate;
import dev.hotpochato.client.HotPochatoException;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.LeaveReason;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.NotYourTurnException;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.ServerErrorException;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.SessionListener;
import dev.hotpochato.client.Turn;
import dev.hotpochato.client.TurnPolicy;
import dev.hotpochato.terminal.ChatCommand;
import dev.hotpochato.terminal.ExitCode;
import dev.hotpochato.terminal.Failures;
import dev.hotpochato.terminal.FloorCommands;
import dev.hotpochato.terminal.Target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The non-interactive mode, for scripts and tests: every input line is queued and said when this
 * client's turn comes ({@code /pass} passes that turn instead; {@code /quit} ends the input); every
 * event is printed as one line in the {@link EventLines} format.
 *
 * <p>After the end of input, once the queue is said, the client leaves when its turn comes round
 * again (so it has heard the answer to its last line), or at once if everyone else has left. Each
 * way of ending has its own {@link ExitCode}: {@code DONE} only when every line was said; lines
 * left unsaid (the others left, the room closed, {@code --max-wait} passed) are printed as
 * {@code unsaid} lines and end with {@code UNSAID}; a lost session ends with {@code CONNECTION_LOST}
 * or {@code SERVER_SHUT_DOWN}, never with {@code DONE}.
 *
 * <p>Floor commands ({@code /hand}, {@code /withdraw}, {@code /hands}, and a chair's {@code /grant},
 * {@code /revoke}, {@code /deny}, {@code /mute}, {@code /unmute}, {@code /remove}, {@code /chair},
 * {@code /stepdown}, {@code /speaker}, {@code /audience}) keep their place among the lines but need no turn: each runs
 * when it reaches the head of the queue, after everything before it was said and answered. In a
 * queue or moderated room, a client whose input has ended and is all done leaves once a turn
 * other than its own ends or the floor is idle (there may never be another turn of its own to wait
 * for); a room that ends by its rule ends the run, as does being removed by a chair.
 *
 * <p>All decisions run on one "script" thread: the session's callbacks, the input reader and the
 * {@code --max-wait} timer hand their news to it, so the queue and the turn are never looked at by
 * two threads at once.
 */
public final class ScriptedClient implements SessionListener {

    private final BufferedReader in;
    private final PrintStream out;
    private final Duration maxWait;
    private final JoinOptions joinOptions;
    private final Duration reconnectFor;
    /** How long a line refused as UNAVAILABLE (nothing changed) waits before it is sent again. */
    static final long RETRY_UNAVAILABLE_MILLIS = 1_000;
    /**
     * Tries at entering the room (or the lobby) that failed for a reason another try can mend (a
     * cluster's store unavailable, a server stopping, the connection lost) before the run ends.
     */
    static final int MAX_ENTER_ATTEMPTS = 10;

    private final ScheduledExecutorService script = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hotpochato-script");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<ExitCode> exitCode = new CompletableFuture<>();

    // Script thread only.
    /** Input lines not said yet, as typed. */
    private final Deque<String> queue = new ArrayDeque<>();
    private boolean endOfInput;
    private boolean awaitingAck;
    private boolean leaving;
    private boolean othersSeen;
    private RoomHandle room;
    private Session session;
    private Target target;
    /** Entering failed for a reason another try can mend: this many times so far. */
    private int failedEnters;
    /** Entering failed because the connection went: it is tried again once the session is back. */
    private boolean enterWhenBack;
    private ScheduledFuture<?> maxWaitTimer;
    /** Ends the run if the session is not back within --reconnect-for. */
    private ScheduledFuture<?> giveUpTimer;
    /** The server said it is shutting down, since the session was last connected. */
    private boolean serverShuttingDown;
    /**
     * The connection went and the session is not back yet: reconnecting, or a new session that has
     * not joined our room again. Nothing is sent meanwhile (a request would only fail, and the room's
     * view is stale): the lines wait in the queue for {@link #onReconnected} or {@link #onRejoined}.
     */
    private boolean away;
    /** A line was on its way when the connection went and may not have been said: the run ends 7, not 0. */
    private boolean mayBeUnsaid;
    /** Our room's end rule fired: its closing ends the run. */
    private boolean roomEnded;
    /**
     * Nobody holds our room's floor, as of the events handled so far on this thread (the room's
     * own view runs ahead of it, on the callback thread).
     */
    private boolean floorIdle;
    /** Our room's chairs as of the chair lines printed so far (the room's own view runs ahead of it). */
    private List<String> chairsHeard = new ArrayList<>();
    /** After our /stepdown left no chair: waits (at most {@link #SUCCESSOR_WAIT_MILLIS}) for the successor's line. */
    private ScheduledFuture<?> successorWait;
    /** How long a /stepdown waits for the line naming the successor chair before the script goes on. */
    static final long SUCCESSOR_WAIT_MILLIS = 10_000;

    /**
     * @param maxWait     how long to wait after the end of input before leaving anyway; null for no limit
     * @param joinOptions how the room is created if this client creates it
     * @param reconnectFor how long to keep trying to get back to a server after the connection is
     *                     lost before ending; null for as long as the session tries
     */
    public ScriptedClient(BufferedReader in, PrintStream out, Duration maxWait, JoinOptions joinOptions,
                          Duration reconnectFor) {
        this.in = in;
        this.out = out;
        this.maxWait = maxWait;
        this.joinOptions = joinOptions;
        this.reconnectFor = reconnectFor;
    }

    /** Enters {@code target}, plays the input, and returns how it ended once done. Closes {@code session}. */
    public ExitCode run(Session session, Target target) {
        this.session = session;
        this.target = target;
        session.addListener(this);
        out.println(EventLines.connected(session.name(), session.serverVersion()));
        script.execute(this::enter);
        Thread reader = new Thread(this::readInput, "hotpochato-input");
        reader.setDaemon(true);
        reader.start();
        ExitCode code = exitCode.join();
        session.removeListener(this);
        session.close();
        script.shutdownNow();
        return code;
    }

    private void readInput() {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                String l = line;
                script.execute(() -> onLine(l));
                if (l.trim().equalsIgnoreCase("/quit")) {
                    break;
                }
            }
        } catch (IOException e) {
            script.execute(() -> out.println(EventLines.error("INPUT", e.toString())));
        }
        script.execute(this::onEndOfInput);
    }

    // ------------------------------------------------------------------ script thread

    /** Joins the room (or asks to be matched); see {@link #enterFailed}. */
    private void enter() {
        if (exitCode.isDone()) {
            return;
        }
        CompletableFuture<RoomHandle> entering = target.isMatch() ? session.match()
                : session.join(target.room(), joinOptions);
        entering.whenComplete((r, e) -> {
            if (e != null) {
                script.execute(() -> enterFailed(Failures.unwrap(e)));
            }
        });
    }

    /**
     * Entering failed. A cluster's store that is unavailable (nothing changed) is asked again a moment
     * later; a server that stops, or a connection that goes, leaves the session reconnecting (to the
     * next of --host's addresses), and the room is entered again once it is back. At most
     * {@link #MAX_ENTER_ATTEMPTS} tries; any other refusal ends the run at once.
     */
    private void enterFailed(Throwable cause) {
        if (exitCode.isDone()) {
            return;
        }
        boolean unavailable = cause instanceof ServerErrorException s && s.code() == ErrorCode.UNAVAILABLE;
        boolean connectionGone = isShutdown(cause) || cause instanceof ConnectionClosedException;
        if ((unavailable || connectionGone) && ++failedEnters < MAX_ENTER_ATTEMPTS) {
            printError(cause);
            if (unavailable || session.isConnected()) {
                script.schedule(this::enter, RETRY_UNAVAILABLE_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                enterWhenBack = true; // onReconnected or onNewSession
            }
            return;
        }
        if (cause instanceof ServerErrorException s && s.code() == ErrorCode.INVALID_OPTION) {
            // The only option a join sends is the turn length: say which flag set it.
            out.println(EventLines.error(s.code().name(), Failures.message(s) + " (--turn-timeout)"));
        } else {
            printError(cause);
        }
        end(cause instanceof ServerErrorException && !connectionGone ? ExitCode.REFUSED
                : isShutdown(cause) ? ExitCode.SERVER_SHUT_DOWN : ExitCode.CONNECTION_LOST);
    }

    /** The session is back (resumed, or a new one): a room entering was waiting for that is entered now. */
    private void enterIfWaiting() {
        if (enterWhenBack) {
            enterWhenBack = false;
            enter();
        }
    }

    private void onLine(String line) {
        if (endOfInput || line.isBlank()) {
            return;
        }
        ChatCommand c = ChatCommand.parse(line);
        switch (c.name()) {
            case "say", "pass" -> {
                queue.add(line);
                act();
            }
            case "me" -> {
                queue.add(line);
                act();
            }
            case "quit" -> onEndOfInput();
            default -> {
                // A floor command, or one this mode does not know: either keeps its place in the input,
                // so that its line (or its error) comes after those of the lines before it, every run.
                queue.add(line);
                act();
            }
        }
    }

    /** The error line of an input line that is no command of this mode, or null for one that is. */
    private static String unknownCommand(String line) {
        ChatCommand c = ChatCommand.parse(line);
        return switch (c.name()) {
            case "say", "pass", "me", "quit" -> null;
            case "create", "listen" -> EventLines.error("UNKNOWN_COMMAND", "/" + c.name()
                    + " is not available without a terminal; use --room with --policy or --audience");
            default -> FloorCommands.isScriptCommand(c.name()) ? null : EventLines.error("UNKNOWN_COMMAND", "/"
                    + c.name() + " is not available without a terminal; use text, /me, /pass, /quit or a floor command"
                    + " (/hand, /grant, ...)");
        };
    }

    private void onEndOfInput() {
        if (endOfInput) {
            return;
        }
        endOfInput = true;
        if (maxWait != null) {
            maxWaitTimer = script.schedule(this::onMaxWait, maxWait.toMillis(), TimeUnit.MILLISECONDS);
        }
        act();
    }

    private void onMaxWait() {
        if (exitCode.isDone() || leaving) {
            return;
        }
        ExitCode code = queue.isEmpty() && !awaitingAck ? ExitCode.MAX_WAIT : ExitCode.UNSAID;
        if (room != null && room.isOpen() && !away && session.isConnected()) {
            leave(code);
        } else {
            end(code);
        }
    }

    /**
     * Runs the floor command at the head of the queue, or says or passes if it is our turn and a
     * line is queued; leaves if all is said and done.
     */
    private void act() {
        if (!exitCode.isDone() && (away || !session.isConnected())) {
            return;
        }
        if (exitCode.isDone() || room == null || !room.isOpen() || awaitingAck || leaving) {
            leaveIfAlone();
            return;
        }
        String head = queue.peek();
        String unknown = head != null ? unknownCommand(head) : null;
        if (unknown != null) {
            queue.poll();
            out.println(unknown);
            act();
            return;
        }
        if (head != null && isFloorLine(head)) {
            runFloorCommand(queue.poll());
            return;
        }
        if (head == null && floorIdle) {
            leaveIfDone(room); // all done and the floor idle: no turn will come by itself
            if (leaving) {
                return;
            }
        }
        if (!room.isMyTurn()) {
            leaveIfAlone();
            return;
        }
        String next = queue.poll();
        if (next == null) {
            if (endOfInput) {
                leave(ExitCode.DONE); // our turn came round again and there is nothing left to say
            }
            return;
        }
        ChatCommand command = ChatCommand.parse(next);
        awaitingAck = true;
        CompletableFuture<?> sent = switch (command.name()) {
            case "pass" -> room.pass();
            case "me" -> room.say(ChatCommand.ACTION_PREFIX + command.argument());
            default -> room.say(command.argument());
        };
        sent.whenComplete((v, e) -> script.execute(() -> {
            awaitingAck = false;
            if (e != null) {
                Throwable cause = Failures.unwrap(e);
                if (cause instanceof NotYourTurnException) {
                    queue.addFirst(next); // the turn ran out under us: say it next time
                } else if (lostUnsaid(cause)) {
                    queue.addFirst(next); // said once the session is back, which onReconnected or onRejoined says
                    away = true;
                    return;
                } else if (cause instanceof ServerErrorException s && s.code() == ErrorCode.UNAVAILABLE) {
                    // Nothing changed (a cluster's store did not answer): the same line again, a little
                    // later, so that a store that is away is not asked in a tight loop.
                    printError(cause);
                    queue.addFirst(next);
                    awaitingAck = true;
                    script.schedule(() -> {
                        awaitingAck = false;
                        act();
                    }, RETRY_UNAVAILABLE_MILLIS, TimeUnit.MILLISECONDS);
                    return;
                } else if (cause instanceof ConnectionClosedException) {
                    // On its way when the connection went: the server may have said it, or not. Not
                    // sent again (it could be said twice), and the run cannot end "every line said".
                    mayBeUnsaid = true;
                    out.println(EventLines.error(Failures.code(cause), Failures.message(cause)
                            + "; this line may have been said, it is not sent again: " + next));
                } else {
                    printError(cause);
                }
            }
            act();
        }));
    }

    /**
     * Whether a request failed because the connection went, without the server having acted on it,
     * while the session goes on (it reconnects): never sent (made as the connection went), or left
     * unanswered by a server that was stopping ({@code SERVER_SHUTTING_DOWN}: a stopping server
     * answers what it did before its goodbye). A request unanswered at any other loss may have been
     * acted on, so it is not sent again.
     */
    private boolean lostUnsaid(Throwable cause) {
        if (!session.isOpen()) {
            return false;
        }
        if (isShutdown(cause)) {
            return true;
        }
        return cause instanceof ConnectionClosedException closed && !closed.mayHaveBeenActedOn();
    }

    private static boolean isFloorLine(String line) {
        return FloorCommands.isScriptCommand(ChatCommand.parse(line).name());
    }

    /** A floor command from the input, run in its turn in the queue; the next waits for its answer. */
    private void runFloorCommand(String line) {
        ChatCommand c = ChatCommand.parse(line);
        if (c.name().equals("hands")) {
            out.println(EventLines.hands(room));
            act();
            return;
        }
        FloorCommands.Outcome outcome = FloorCommands.run(c, room, session);
        if (outcome.request() == null) {
            out.println(EventLines.error("USAGE", outcome.error() != null ? outcome.error() : outcome.info()));
            act();
            return;
        }
        awaitingAck = true;
        outcome.request().whenComplete((v, e) -> script.execute(() -> {
            if (e == null && c.name().equals("stepdown") && chairsHeard.isEmpty() && room.isOpen()) {
                // The last chair stepped down: the server names a successor next. Wait for its line, so
                // that what the script does next comes after it, every time.
                successorWait = script.schedule(this::successorHeard, SUCCESSOR_WAIT_MILLIS, TimeUnit.MILLISECONDS);
                return;
            }
            awaitingAck = false;
            if (e != null) {
                printError(Failures.unwrap(e));
            }
            act();
        }));
    }

    /** The successor of the last chair was named (or the wait for it ran out): the script goes on. */
    private void successorHeard() {
        if (successorWait == null) {
            return;
        }
        successorWait.cancel(false);
        successorWait = null;
        awaitingAck = false;
        act();
    }

    /**
     * Queue and moderated rooms: with the input ended and all of it done, a turn of someone else's
     * ending (or the floor idle) is the answer heard, so the client leaves.
     */
    private void leaveIfDone(RoomHandle r) {
        if (r == room && endOfInput && queue.isEmpty() && !awaitingAck && !leaving && !exitCode.isDone()
                && room.isOpen() && room.policy() != TurnPolicy.ROUND_ROBIN) {
            leave(ExitCode.DONE);
        }
    }

    private void leaveIfAlone() {
        if (endOfInput && room != null && room.isOpen() && othersSeen && !leaving && !awaitingAck
                && room.members().size() < 2) {
            leave(queue.isEmpty() ? ExitCode.DONE : ExitCode.UNSAID);
        }
    }

    private void leave(ExitCode code) {
        leaving = true;
        RoomHandle r = room;
        r.leave().whenComplete((v, e) -> script.execute(() -> {
            if (e != null) {
                printError(e);
            } else {
                out.println(EventLines.left(r.name()));
            }
            end(e == null ? code : ExitCode.CONNECTION_LOST);
        }));
    }

    /** Ends the run with {@code code}, first printing the lines left unsaid. The first end wins. */
    private void end(ExitCode code) {
        if (exitCode.isDone()) {
            return;
        }
        String where = room == null ? "" : room.name();
        queue.removeIf(line -> {
            String unknown = unknownCommand(line); // nothing to say: its error, in its place
            out.println(unknown != null ? unknown : EventLines.unsaid(where, line));
            return unknown != null;
        });
        ExitCode result = code == ExitCode.DONE && (!queue.isEmpty() || mayBeUnsaid) ? ExitCode.UNSAID : code;
        if (maxWaitTimer != null) {
            maxWaitTimer.cancel(false);
        }
        cancelGiveUp();
        exitCode.complete(result);
    }

    private void printError(Throwable e) {
        out.println(EventLines.error(Failures.code(e), Failures.message(e)));
    }

    private void seen(RoomHandle r) {
        if (r.members().size() > 1) {
            othersSeen = true;
        }
    }

    // ------------------------------------------------------------------ session callbacks

    @Override
    public void onJoined(RoomHandle r) {
        String line = EventLines.joined(r);
        List<String> chairs = r.chairs();
        boolean idle = r.policy() != TurnPolicy.ROUND_ROBIN && r.turn().isEmpty();
        // Only the first join: the room this client meant to create. Round robin is the default, not asked.
        String notApplied = room != null ? null : FloorCommands.notApplied(r, joinOptions,
                joinOptions.policy() != TurnPolicy.ROUND_ROBIN);
        script.execute(() -> {
            out.println(line);
            if (notApplied != null && room == null) {
                out.println(EventLines.notice(r, notApplied));
            }
            if (room == null) {
                room = r;
                floorIdle = idle;
                chairsHeard = new ArrayList<>(chairs);
            }
            seen(r);
            act();
        });
    }

    @Override
    public void onPaired(RoomHandle r, String partner, boolean first) {
        print(EventLines.paired(r, partner, first));
    }

    @Override
    public void onMemberJoined(RoomHandle r, String name) {
        String line = EventLines.memberJoined(r, name);
        script.execute(() -> {
            out.println(line);
            seen(r);
        });
    }

    @Override
    public void onMemberLeft(RoomHandle r, String name, LeaveReason reason) {
        String line = EventLines.memberLeft(r, name, reason);
        script.execute(() -> {
            out.println(line);
            if (r == room) {
                chairsHeard.remove(name);
            }
            act();
        });
    }

    @Override
    public void onTurnGranted(RoomHandle r, Turn turn) {
        String line = EventLines.turn(r, turn);
        String messages = r.messagesPerTurn() > 1 ? EventLines.messagesLeft(r, turn.holder(), r.messagesPerTurn()) : null;
        script.execute(() -> {
            out.println(line);
            if (messages != null) {
                out.println(messages);
            }
            if (r == room) {
                floorIdle = false;
            }
            seen(r);
            act();
        });
    }

    @Override
    public void onSaid(RoomHandle r, Message message) {
        String line = EventLines.said(r, message);
        // The view already counts this message: a turn still held by the speaker goes on.
        boolean goesOn = r.messagesPerTurn() > 1 && r.holder().map(message.speaker()::equals).orElse(false);
        String messages = goesOn ? EventLines.messagesLeft(r, message.speaker(), r.messagesLeft()) : null;
        script.execute(() -> {
            out.println(line);
            if (messages != null) {
                out.println(messages);
            }
        });
    }

    @Override
    public void onMemberRemoved(RoomHandle r, String name, String by, String message) {
        print(EventLines.removed(r, name, by, message));
    }

    @Override
    public void onUnchanged(RoomHandle r, String name, String state) {
        print(EventLines.unchanged(r, name, state));
    }

    @Override
    public void onPassed(RoomHandle r, String name, long turn) {
        print(EventLines.passed(r, name));
    }

    @Override
    public void onTurnExpired(RoomHandle r, String name, long turn) {
        print(EventLines.expired(r, name));
    }

    @Override
    public void onMemberAway(RoomHandle r, String name) {
        print(EventLines.memberAway(r, name));
    }

    @Override
    public void onMemberBack(RoomHandle r, String name) {
        print(EventLines.memberBack(r, name));
    }

    @Override
    public void onTurnSkipped(RoomHandle r, String name, long turn) {
        print(EventLines.skipped(r, name));
    }

    @Override
    public void onHistoryLost(RoomHandle r) {
        String line = EventLines.historyLost(r);
        boolean idle = r.policy() != TurnPolicy.ROUND_ROBIN && r.turn().isEmpty();
        script.execute(() -> {
            out.println(line);
            if (r == room) {
                floorIdle = idle;
            }
            act(); // the fresh view may hold a turn of ours
        });
    }

    @Override
    public void onReconnecting(Throwable cause) {
        boolean shuttingDown = isShutdown(cause);
        script.execute(() -> {
            out.println(EventLines.reconnecting());
            away = true;
            serverShuttingDown |= shuttingDown;
            if (reconnectFor != null && giveUpTimer == null && !exitCode.isDone()) {
                giveUpTimer = script.schedule(this::giveUp, reconnectFor.toMillis(), TimeUnit.MILLISECONDS);
            }
        });
    }

    /** --reconnect-for passed without a server taking the session back. */
    private void giveUp() {
        giveUpTimer = null;
        if (exitCode.isDone()) {
            return;
        }
        out.println(EventLines.disconnected("gave up reconnecting after " + reconnectFor.toMillis() + " ms (--reconnect-for)"));
        end(serverShuttingDown ? ExitCode.SERVER_SHUT_DOWN : ExitCode.CONNECTION_LOST);
    }

    private void cancelGiveUp() {
        if (giveUpTimer != null) {
            giveUpTimer.cancel(false);
            giveUpTimer = null;
        }
    }

    private static boolean isShutdown(Throwable cause) {
        return cause != null && Failures.unwrap(cause) instanceof ServerErrorException s
                && s.code() == ErrorCode.SERVER_SHUTTING_DOWN;
    }

    @Override
    public void onReconnected() {
        script.execute(() -> {
            out.println(EventLines.reconnected());
            cancelGiveUp();
            serverShuttingDown = false;
            away = false;
            enterIfWaiting();
            act();
        });
    }

    @Override
    public void onNewSession(Throwable cause) {
        String line = EventLines.newSession(cause == null ? "the session could not be resumed" : Failures.message(cause));
        script.execute(() -> {
            out.println(line);
            cancelGiveUp();
            serverShuttingDown = false;
            if (room == null) {
                away = false; // no room to wait for: entering it (if it was waiting) is the next thing
            }
            enterIfWaiting();
        });
    }

    @Override
    public void onRejoined(RoomHandle r) {
        String line = EventLines.rejoined(r);
        List<String> chairs = r.chairs();
        boolean idle = r.policy() != TurnPolicy.ROUND_ROBIN && r.turn().isEmpty();
        script.execute(() -> {
            out.println(line);
            if (r == room) {
                away = false;
                floorIdle = idle;
                // The others rejoin in their own time: being alone now is not their leaving (as at the start).
                othersSeen = false;
                chairsHeard = new ArrayList<>(chairs);
            }
            seen(r);
            act(); // the fresh view may hold a turn of ours
        });
    }

    @Override
    public void onRejoinFailed(RoomHandle r, HotPochatoException cause) {
        String line = EventLines.rejoinFailed(r, Failures.code(cause), Failures.message(cause));
        script.execute(() -> {
            out.println(line);
            if (r == room) {
                end(ExitCode.CONNECTION_LOST);
            }
        });
    }

    @Override
    public void onRoomClosed(RoomHandle r, String reason) {
        String line = EventLines.roomClosed(r, reason);
        // Not an end when the session's end closed it (onDisconnected says why), nor for a public
        // room as such: a server closes those as it stops, so the session's end (or, with
        // auto-rejoin, a new session that joins the room again) follows. A room ended by its rule,
        // and a chair's removal of this client, are ends.
        boolean open = session.isOpen();
        boolean removed = open && !r.isPrivate() && reason.startsWith("removed by ");
        script.execute(() -> {
            out.println(line);
            if (r == room && open && (r.isPrivate() || roomEnded)) {
                end(ExitCode.DONE); // UNSAID if lines are left
            } else if (r == room && removed) {
                end(ExitCode.REFUSED);
            }
        });
    }

    @Override
    public void onRoomEnded(RoomHandle r, EndRule rule, String reason) {
        String line = EventLines.roomEnded(r, rule, reason);
        script.execute(() -> {
            out.println(line);
            if (r == room) {
                roomEnded = true;
            }
        });
    }

    @Override
    public void onFloorUpdate(RoomHandle r, FloorUpdate update) {
        String line = EventLines.floor(r, update);
        String grace = update.state() == FloorState.REVOKED && !update.talkTime().isZero()
                ? EventLines.grace(r, update.member(), update.talkTime()) : null;
        boolean othersTurnEnded = !update.member().equals(session.name())
                && (update.state() == FloorState.RELEASED
                || update.state() == FloorState.REVOKED);
        script.execute(() -> {
            out.println(line);
            if (grace != null) {
                out.println(grace);
                return; // the holder may still finish: its turn has not ended yet
            }
            if (othersTurnEnded) {
                leaveIfDone(r);
            }
        });
    }

    @Override
    public void onFloorIdle(RoomHandle r) {
        String line = EventLines.floorIdle(r);
        script.execute(() -> {
            out.println(line);
            if (r == room) {
                floorIdle = true;
            }
            leaveIfDone(r);
            act();
        });
    }

    @Override
    public void onChairChanged(RoomHandle r, String name, String by) {
        String line = EventLines.chair(r, name, by);
        script.execute(() -> {
            out.println(line);
            if (r == room && !chairsHeard.contains(name)) {
                chairsHeard.add(name);
            }
            if (r == room && by.isEmpty()) {
                successorHeard();
            }
        });
    }

    @Override
    public void onChairSteppedDown(RoomHandle r, String name) {
        String line = EventLines.steppedDown(r, name);
        script.execute(() -> {
            out.println(line);
            if (r == room) {
                chairsHeard.remove(name);
            }
        });
    }

    @Override
    public void onMemberMuted(RoomHandle r, String name, boolean muted, String by) {
        print(EventLines.muted(r, name, muted, by));
    }

    @Override
    public void onMemberMoved(RoomHandle r, String name, boolean audience, String by) {
        print(EventLines.moved(r, name, audience, by));
    }

    @Override
    public void onTurnWarning(RoomHandle r, Duration remaining) {
        print(EventLines.warning(r, remaining));
    }

    @Override
    public void onServerError(ServerErrorException error) {
        script.execute(() -> {
            printError(error);
            serverShuttingDown |= isShutdown(error);
        });
    }

    @Override
    public void onDisconnected(Throwable cause) {
        // The session is closed only once the run has ended (run()), so a session ending before is
        // a loss, even without a cause (the server simply closed the connection).
        String reason = cause == null ? "the connection closed"
                : cause.getMessage() == null ? cause.toString() : cause.getMessage();
        Throwable c = cause == null ? null : Failures.unwrap(cause);
        boolean shutdown = isShutdown(c);
        script.execute(() -> {
            if (exitCode.isDone()) {
                return; // we closed it
            }
            out.println(EventLines.disconnected(reason));
            end(shutdown || serverShuttingDown ? ExitCode.SERVER_SHUT_DOWN : ExitCode.CONNECTION_LOST);
        });
    }

    /** Prints one event line on the script's thread, so lines keep the order of the events. */
    private void print(String line) {
        script.execute(() -> out.println(line));
    }
}
