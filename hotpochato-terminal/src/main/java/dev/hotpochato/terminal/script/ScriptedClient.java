package dev.hotpochato.terminal.script;

import dev.hotpochato.client.LeaveReason;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.NotYourTurnException;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.ServerErrorException;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.SessionListener;
import dev.hotpochato.client.Turn;
import dev.hotpochato.terminal.ChatCommand;
import dev.hotpochato.terminal.Target;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The non-interactive mode, for scripts and tests: every input line is queued and said when this
 * client's turn comes ({@code /pass} passes that turn instead; {@code /quit} ends the input); every
 * event is printed as one line in the {@link EventLines} format.
 *
 * <p>After the end of input, once the queue is said, the client leaves when its turn comes round
 * again (so it has heard the answer to its last line), or at once if everyone else has left; then
 * it exits with 0. It exits with 1 if the room cannot be entered or the connection is lost.
 *
 * <p>All decisions run on one "script" thread: the session's callbacks and the input reader hand
 * their news to it, so the queue and the turn are never looked at by two threads at once.
 */
public final class ScriptedClient implements SessionListener {

    private final BufferedReader in;
    private final PrintStream out;
    private final ExecutorService script = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hotpochato-script");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<Integer> exitCode = new CompletableFuture<>();

    // Script thread only.
    private final Deque<ChatCommand> queue = new ArrayDeque<>();
    private boolean endOfInput;
    private boolean awaitingAck;
    private boolean leaving;
    private boolean othersSeen;
    private RoomHandle room;

    public ScriptedClient(BufferedReader in, PrintStream out) {
        this.in = in;
        this.out = out;
    }

    /** Enters {@code target}, plays the input, and returns the exit code once done. Closes {@code session}. */
    public int run(Session session, Target target) {
        session.addListener(this);
        out.println(EventLines.connected(session.name(), session.serverVersion()));
        CompletableFuture<RoomHandle> entering = target.isMatch() ? session.match() : session.join(target.room());
        entering.whenComplete((r, e) -> {
            if (e != null) {
                script.execute(() -> {
                    printError(e);
                    exitCode.complete(1);
                });
            }
        });
        Thread reader = new Thread(this::readInput, "hotpochato-input");
        reader.setDaemon(true);
        reader.start();
        int code = exitCode.join();
        session.close();
        script.shutdown();
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

    private void onLine(String line) {
        if (endOfInput || line.isBlank()) {
            return;
        }
        ChatCommand c = ChatCommand.parse(line);
        switch (c.name()) {
            case "say", "pass" -> {
                queue.add(c);
                act();
            }
            case "quit" -> onEndOfInput();
            default -> out.println(EventLines.error("UNKNOWN_COMMAND",
                    "/" + c.name() + " is not available without a terminal; use text, /pass or /quit"));
        }
    }

    private void onEndOfInput() {
        endOfInput = true;
        act();
    }

    /** Says or passes if it is our turn and something is queued; leaves if all is said and done. */
    private void act() {
        if (room == null || !room.isOpen() || awaitingAck || leaving || !room.isMyTurn()) {
            leaveIfAlone();
            return;
        }
        ChatCommand next = queue.poll();
        if (next == null) {
            if (endOfInput) {
                leave(); // our turn came round again and there is nothing left to say
            }
            return;
        }
        awaitingAck = true;
        CompletableFuture<?> sent = next.isSay() ? room.say(next.argument()) : room.pass();
        sent.whenComplete((v, e) -> script.execute(() -> {
            awaitingAck = false;
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof NotYourTurnException) {
                    queue.addFirst(next); // the turn ran out under us: say it next time
                } else {
                    printError(cause);
                }
            }
            act();
        }));
    }

    private void leaveIfAlone() {
        if (endOfInput && room != null && room.isOpen() && othersSeen && !leaving && room.members().size() < 2) {
            leave();
        }
    }

    private void leave() {
        leaving = true;
        RoomHandle r = room;
        r.leave().whenComplete((v, e) -> script.execute(() -> {
            if (e != null) {
                printError(e);
            } else {
                out.println(EventLines.left(r.name()));
            }
            exitCode.complete(e == null ? 0 : 1);
        }));
    }

    private void printError(Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof ServerErrorException s) {
            out.println(EventLines.error(s.code().name(), s.getMessage()));
        } else {
            out.println(EventLines.error(cause.getClass().getSimpleName(), String.valueOf(cause.getMessage())));
        }
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
        script.execute(() -> {
            out.println(line);
            if (room == null) {
                room = r;
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
            act();
        });
    }

    @Override
    public void onTurnGranted(RoomHandle r, Turn turn) {
        String line = EventLines.turn(r, turn);
        script.execute(() -> {
            out.println(line);
            seen(r);
            act();
        });
    }

    @Override
    public void onSaid(RoomHandle r, Message message) {
        print(EventLines.said(r, message));
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
        script.execute(() -> {
            out.println(line);
            act(); // the fresh view may hold a turn of ours
        });
    }

    @Override
    public void onReconnecting(Throwable cause) {
        script.execute(() -> out.println(EventLines.reconnecting()));
    }

    @Override
    public void onReconnected() {
        script.execute(() -> out.println(EventLines.reconnected()));
    }

    @Override
    public void onRoomClosed(RoomHandle r, String reason) {
        String line = EventLines.roomClosed(r, reason);
        script.execute(() -> {
            out.println(line);
            if (r == room) {
                exitCode.complete(0);
            }
        });
    }

    @Override
    public void onServerError(ServerErrorException error) {
        script.execute(() -> printError(error));
    }

    @Override
    public void onDisconnected(Throwable cause) {
        if (cause == null) {
            return; // we closed it
        }
        String line = EventLines.disconnected(cause.getMessage() == null ? cause.toString() : cause.getMessage());
        script.execute(() -> {
            out.println(line);
            exitCode.complete(1);
        });
    }

    /** Prints one event line on the script's thread, so lines keep the order of the events. */
    private void print(String line) {
        script.execute(() -> out.println(line));
    }
}
