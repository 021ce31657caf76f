package dev.hotpochato.terminal.interactive;

import dev.hotpochato.client.FloorUpdate;
import dev.hotpochato.client.LeaveReason;
import dev.hotpochato.client.TurnPolicy;
import dev.hotpochato.terminal.FloorCommands;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.RoomInfo;
import dev.hotpochato.client.ServerErrorException;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.SessionListener;
import dev.hotpochato.client.Turn;
import dev.hotpochato.terminal.ChatCommand;
import dev.hotpochato.terminal.Target;
import dev.hotpochato.terminal.TerminalCommand;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;
import org.jline.utils.InfoCmp;
import org.jline.utils.Status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The interactive mode: a JLine line editor under the chat, and a status bar at the bottom that
 * always says whose turn it is and how long it has left.
 *
 * <p>Text typed while it is not this client's turn is not sent: the line comes back to the editor,
 * kept for when the turn comes. When it does, the terminal bell rings and a plain notice says so.
 * Chat lines read {@code time name: text}; system lines (joins, leaves, passes, expiries) are
 * dimmed and start with {@code *}; errors are one red line starting with {@code !}.
 *
 * <p>Threads: the main thread reads lines; session callbacks print above the editor with
 * {@link LineReader#printAbove}, which JLine allows from any thread; a ticker redraws the status
 * through a widget, so under the editor's lock.
 */
public final class ChatScreen implements SessionListener {

    private static final String STATUS_WIDGET = "hotpochato-status";
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final AttributedStyle SYSTEM = AttributedStyle.DEFAULT.faint().italic();
    private static final AttributedStyle ERROR = AttributedStyle.DEFAULT.foreground(AttributedStyle.RED);
    private static final AttributedStyle NOTICE = AttributedStyle.BOLD.foreground(AttributedStyle.GREEN);
    private static final AttributedStyle ME = AttributedStyle.BOLD.foreground(AttributedStyle.GREEN);
    private static final AttributedStyle OTHER = AttributedStyle.BOLD.foreground(AttributedStyle.CYAN);

    private final Session session;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hotpochato-status");
        t.setDaemon(true);
        return t;
    });
    private LineReader reader;
    private Terminal terminal;
    private Status status;
    /** Where commands and text go; written by the main thread and by callbacks. */
    private volatile RoomHandle current;
    private volatile boolean lostConnection;

    public ChatScreen(Session session) {
        this.session = session;
    }

    /** Runs until /quit, Ctrl-C, Ctrl-D or a lost connection; leaves every room; returns the exit code. */
    public int run(Target target) {
        try (Terminal t = TerminalBuilder.builder().system(true).build()) {
            terminal = t;
            reader = LineReaderBuilder.builder().terminal(t).appName("hotpochato").build();
            reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION); // '!' is text here, not history
            status = Status.getStatus(t);
            reader.getWidgets().put(STATUS_WIDGET, () -> {
                drawStatus();
                return true;
            });
            drawStatus(); // reserve the status line before anything is printed above it
            session.addListener(this);
            system("connected to HotPochato " + session.serverVersion() + " as " + session.name()
                    + "; /help lists the commands");
            if (target.isMatch()) {
                match();
            } else {
                // Wait for the room so that the first prompt already names it.
                join(target.room()).handle((r, e) -> null).join();
            }
            ticker.scheduleAtFixedRate(this::refreshStatus, 0, 250, TimeUnit.MILLISECONDS);
            readLoop();
            ticker.shutdownNow();
            system("leaving...");
            session.close();
            if (status != null) {
                status.update(List.of());
            }
            return lostConnection ? 1 : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal", e);
        }
    }

    private void readLoop() {
        String kept = null;
        while (session.isOpen()) {
            String line;
            try {
                line = reader.readLine(prompt(), null, (Character) null, kept);
            } catch (UserInterruptException | EndOfFileException e) {
                return; // Ctrl-C or Ctrl-D: leave cleanly
            }
            kept = null;
            if (line.isBlank()) {
                continue;
            }
            ChatCommand command = ChatCommand.parse(line);
            if (command.name().equals("quit")) {
                return;
            }
            kept = handle(command, line);
        }
    }

    private String prompt() {
        RoomHandle room = current;
        return (room == null ? "" : room.name()) + "> ";
    }

    /** Carries out {@code command}; returns the text to put back in the editor, or null. */
    private String handle(ChatCommand command, String line) {
        RoomHandle room = current;
        switch (command.name()) {
            case "say" -> {
                if (room == null || !room.isOpen()) {
                    error("you are not in a room: /join ROOM or /match");
                    return line;
                }
                if (!room.isMyTurn()) {
                    system("not your turn" + room.holder().map(h -> " (" + h + " has it)").orElse("")
                            + ": your text is kept until it is");
                    return line;
                }
                report(room.say(command.argument()));
            }
            case "pass" -> {
                if (room == null) {
                    error("you are not in a room");
                } else {
                    report(room.pass());
                }
            }
            case "who" -> {
                if (room == null) {
                    error("you are not in a room");
                } else {
                    String holder = room.holder().orElse("");
                    system(room.name() + ": " + room.members().stream()
                            .map(m -> m + (m.equals(holder) ? " (turn)" : "") + (room.isAway(m) ? " (away)" : "")
                                    + (m.equals(session.name()) ? " (you)" : ""))
                            .collect(Collectors.joining(", ")));
                }
            }
            case "rooms" -> report(session.listRooms().thenAccept(this::showRooms));
            case "join" -> {
                if (command.argument().isEmpty()) {
                    error("usage: /join ROOM");
                } else {
                    join(command.argument()).handle((r, e) -> null).join(); // so the next prompt names it
                }
            }
            case "leave" -> {
                if (room == null) {
                    error("you are not in a room");
                } else {
                    CompletableFuture<Void> leaving = room.leave().thenRun(() -> {
                        system("you left " + room.name());
                        current = session.rooms().stream().findFirst().orElse(null);
                    });
                    report(leaving);
                    leaving.handle((v, e) -> null).join();
                }
            }
            case "match" -> match();
            case "help" -> system("commands:\n" + ChatCommand.HELP + "\n" + FloorCommands.HELP);
            default -> {
                if (FloorCommands.isFloorCommand(command.name())) {
                    floor(command, room);
                    return null;
                }
                error("unknown command /" + command.name() + "; /help lists the commands");
            }
        }
        return null;
    }

    /** A floor command ({@link FloorCommands}): its request's failure or its answer as a line. */
    private void floor(ChatCommand command, RoomHandle room) {
        FloorCommands.Outcome o = FloorCommands.run(command, room, session);
        if (o.error() != null) {
            error(o.error());
        } else if (o.info() != null) {
            system(o.info());
        } else {
            report(o.request());
            if (command.name().equals("create")) {
                o.request().handle((r, e) -> null).join(); // so the next prompt names it
            }
        }
    }

    private CompletableFuture<RoomHandle> join(String room) {
        CompletableFuture<RoomHandle> joining = session.join(room);
        report(joining);
        return joining;
    }

    private void match() {
        system("looking for a partner...");
        report(session.match());
    }

    private void showRooms(List<RoomInfo> rooms) {
        if (rooms.isEmpty()) {
            system("no public rooms");
            return;
        }
        system("rooms: " + rooms.stream()
                .map(r -> r.name() + " (" + r.members() + (r.members() == 1 ? " member" : " members")
                        + r.holder().map(h -> ", " + h + "'s turn").orElse("") + ")")
                .collect(Collectors.joining(", ")));
    }

    /** Shows a request's failure as one line. */
    private void report(CompletableFuture<?> request) {
        request.whenComplete((v, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                error(cause instanceof ServerErrorException s ? humane(s) : TerminalCommand.describe(cause));
            }
        });
    }

    private static String humane(ServerErrorException e) {
        String message = e.getMessage();
        int colon = message.indexOf(": ");
        return colon < 0 ? message : message.substring(colon + 2);
    }

    // ------------------------------------------------------------------ events

    @Override
    public void onJoined(RoomHandle room) {
        current = room;
        system("you joined " + room.name() + " (" + String.join(", ", room.members()) + ")"
                + (room.members().size() < 2 ? "; waiting for someone else" : ""));
    }

    @Override
    public void onPaired(RoomHandle room, String partner, boolean first) {
        system("paired with " + partner + (first ? "; you speak first" : "; " + partner + " speaks first"));
    }

    @Override
    public void onSaid(RoomHandle room, Message m) {
        AttributedStringBuilder b = new AttributedStringBuilder();
        b.append(prefix(room)).styled(AttributedStyle.DEFAULT.faint(), CLOCK.format(LocalTime.now()) + " ");
        b.styled(m.speaker().equals(session.name()) ? ME : OTHER, m.speaker()).append(": ").append(m.text());
        print(b.toAttributedString());
    }

    @Override
    public void onPassed(RoomHandle room, String name, long turn) {
        system(prefix(room) + "* " + name + " passed");
    }

    @Override
    public void onTurnExpired(RoomHandle room, String name, long turn) {
        system(prefix(room) + "* " + name + "'s time ran out");
    }

    @Override
    public void onMemberJoined(RoomHandle room, String name) {
        system(prefix(room) + "* " + name + " joined");
    }

    @Override
    public void onMemberLeft(RoomHandle room, String name, LeaveReason reason) {
        system(prefix(room) + "* " + name + (reason == LeaveReason.LEFT ? " left" : " is gone (" + reason.name().toLowerCase() + ")"));
    }

    @Override
    public void onMemberAway(RoomHandle room, String name) {
        if (!name.equals(session.name())) {
            system(prefix(room) + "* " + name + " is away (connection lost)");
        }
        refreshStatus();
    }

    @Override
    public void onMemberBack(RoomHandle room, String name) {
        if (!name.equals(session.name())) {
            system(prefix(room) + "* " + name + " is back");
        }
        refreshStatus();
    }

    @Override
    public void onTurnSkipped(RoomHandle room, String name, long turn) {
        system(prefix(room) + "* " + (name.equals(session.name()) ? "your" : name + "'s") + " turn was skipped (away)");
    }

    @Override
    public void onHistoryLost(RoomHandle room) {
        error(prefix(room) + "some messages were missed while reconnecting and are lost");
        refreshStatus();
    }

    @Override
    public void onReconnecting(Throwable cause) {
        error("connection lost" + (cause == null ? "" : ": " + TerminalCommand.describe(cause)) + "; reconnecting...");
    }

    @Override
    public void onReconnected() {
        system("reconnected");
        refreshStatus();
    }

    @Override
    public void onRoomClosed(RoomHandle room, String reason) {
        system(prefix(room) + "* " + room.name() + " closed: " + reason);
        if (current == room) {
            current = session.rooms().stream().findFirst().orElse(null);
        }
    }

    @Override
    public void onTurnGranted(RoomHandle room, Turn turn) {
        if (turn.isMine()) {
            terminal.puts(InfoCmp.Capability.bell);
            terminal.flush();
            print(new AttributedString(prefix(room) + ">>> your turn" + turn.timeLeft().map(d -> ", "
                    + seconds(d) + " to speak").orElse("") + " <<<", NOTICE));
        }
        refreshStatus();
    }

    @Override
    public void onFloorUpdate(RoomHandle room, FloorUpdate update) {
        system(prefix(room) + FloorCommands.describe(update, session.name()));
        refreshStatus();
    }

    @Override
    public void onFloorIdle(RoomHandle room) {
        system(prefix(room) + "* the floor is free" + (room.policy() == TurnPolicy.QUEUE ? ": /hand to ask for it"
                : room.isChair() ? ": /grant NAME to give it" : ""));
        refreshStatus();
    }

    @Override
    public void onChairChanged(RoomHandle room, String name, String by) {
        system(prefix(room) + "* " + name + " is now a chair" + (by.isEmpty() ? " (the last chair left)" : " (by " + by + ")"));
        refreshStatus();
    }

    @Override
    public void onMemberMuted(RoomHandle room, String name, boolean muted, String by) {
        system(prefix(room) + "* " + name + (muted ? " was muted" : " was unmuted") + " by " + by);
    }

    @Override
    public void onTurnWarning(RoomHandle room, Duration remaining) {
        print(new AttributedString(prefix(room) + ">>> " + seconds(remaining) + " left in your turn <<<", NOTICE));
    }

    @Override
    public void onServerError(ServerErrorException error) {
        error(humane(error));
    }

    @Override
    public void onDisconnected(Throwable cause) {
        if (cause != null) {
            lostConnection = true;
            error("connection lost: " + TerminalCommand.describe(cause) + "; press Enter to exit");
        }
    }

    // ------------------------------------------------------------------ drawing

    private String prefix(RoomHandle room) {
        return room == current ? "" : "[" + room.name() + "] ";
    }

    private void system(String text) {
        for (String line : text.split("\n")) {
            print(new AttributedStringBuilder().styled(SYSTEM, CLOCK.format(LocalTime.now()) + " " + line)
                    .toAttributedString());
        }
    }

    private void error(String text) {
        print(new AttributedString("! " + text, ERROR));
    }

    private void print(AttributedString line) {
        reader.printAbove(line);
    }

    /**
     * Redraws the status line under the line editor's lock, as a widget: drawn from another thread
     * while the editor redraws, the two would interleave their escape sequences.
     */
    private void refreshStatus() {
        if (reader.isReading()) {
            try {
                reader.callWidget(STATUS_WIDGET);
            } catch (IllegalStateException notReadingAnyMore) {
                // the line was just accepted; the next tick draws it
            }
        }
    }

    private void drawStatus() {
        if (status == null) {
            return;
        }
        RoomHandle room = current;
        String text;
        AttributedStyle style = AttributedStyle.INVERSE;
        if (!session.isConnected() && session.isOpen()) {
            text = " connection lost: reconnecting... ";
        } else if (room == null || !room.isOpen()) {
            text = " not in a room: /join ROOM or /match ";
        } else if (room.turn().isEmpty()) {
            text = " " + room.name() + " | " + (room.members().size() < 2 ? "waiting for someone to join" : "...") + " ";
        } else {
            Turn turn = room.turn().get();
            String left = turn.timeLeft().map(d -> " | " + seconds(d) + " left").orElse(" | no time limit");
            if (turn.isMine()) {
                text = " " + room.name() + " | YOUR TURN" + left + " ";
                style = AttributedStyle.INVERSE.foreground(AttributedStyle.GREEN);
            } else {
                text = " " + room.name() + " | " + turn.holder() + "'s turn" + left + " ";
            }
        }
        status.update(List.of(new AttributedString(text + FloorCommands.status(room) + "| " + room(room), style)));
    }

    private static String room(RoomHandle room) {
        return room == null ? "" : room.members().size() + (room.members().size() == 1 ? " member " : " members ");
    }

    private static String seconds(Duration d) {
        return ((d.toMillis() + 999) / 1000) + "s";
    }
}
