package dev.hotpochato.terminal.interactive;

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
import dev.hotpochato.client.RoomInfo;
import dev.hotpochato.client.ServerErrorException;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.SessionListener;
import dev.hotpochato.client.Turn;
import dev.hotpochato.client.TurnPolicy;
import dev.hotpochato.terminal.ChatCommand;
import dev.hotpochato.terminal.DurationText;
import dev.hotpochato.terminal.ExitCode;
import dev.hotpochato.terminal.Failures;
import dev.hotpochato.terminal.FloorCommands;
import dev.hotpochato.terminal.SafeText;
import dev.hotpochato.terminal.Target;
import org.jline.keymap.KeyMap;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The interactive mode: one window per room, the latest lines of the window in view above a JLine
 * line editor, and a status row at the bottom that says whose turn it is, how long it has left,
 * the drafts waiting, and the other windows with their unread and your-turn markers.
 *
 * <p>Enter never blocks and never loses a line: on this client's turn the text is said; out of
 * turn it becomes a draft, queued in its room and said on the next turn there (one per turn); an
 * error puts the text back in the editor (or, if something else is being typed, holds it first in
 * the queue). The prompt always names the room Enter sends to.
 *
 * <p>Chat lines read {@code time name: text}; system lines (joins, leaves, passes, expiries) are
 * dimmed and start with {@code *}; errors are one red line starting with {@code !}. Nothing from
 * the wire is printed as a control sequence ({@link SafeText}).
 *
 * <p>Threads: JLine reads keys on the thread that called {@link #run}, and runs the key bindings
 * (Enter, window switching) there; session callbacks arrive on the session's callback thread; a
 * ticker refreshes the countdown. All of them touch the windows and the terminal only under the
 * editor's lock ({@link ChatLineReader#locked}).
 */
public final class ChatScreen implements SessionListener {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final java.util.regex.Pattern SHOWN_TIME = java.util.regex.Pattern.compile("^\\d\\d:\\d\\d:\\d\\d ");
    private static final String ENTER = "hotpochato-enter";
    private static final String NEXT_WINDOW = "hotpochato-next-window";
    private static final String PREVIOUS_WINDOW = "hotpochato-previous-window";
    private static final String WINDOW = "hotpochato-window-";

    private final Session session;
    /** Whether a session that cannot be resumed is replaced and its rooms joined again. */
    private final boolean reconnects;
    /** Rooms that ended by one of their rules ({@link #onRoomEnded}), until their close is shown. */
    private final Set<String> endedHere = new HashSet<>();
    /** Rooms from which a chair removed this client ({@link #onMemberRemoved} said so), until their close. */
    private final Set<String> removedHere = new HashSet<>();
    /**
     * Rooms whose holder's turn end was just told by a pass or an expiry: the floor's release that
     * follows says nothing more (one line per end of turn, the one that says why).
     */
    private final Set<String> turnEndTold = new HashSet<>();
    /** What {@code /create} asked for each room on its way: a room that existed keeps its own. */
    private final Map<String, JoinOptions> createAsked = new HashMap<>();
    private final Terminal terminal;
    private final ScreenOptions options;
    private final ChatLineReader reader;
    private final ChatLog chatLog;
    private final AttributedStyle time;
    private final AttributedStyle system;
    private final AttributedStyle error;
    private final AttributedStyle notice;
    private final AttributedStyle me;
    private final AttributedStyle other;
    private final AttributedStyle statusStyle;
    private final AttributedStyle myTurnStatusStyle;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hotpochato-status");
        t.setDaemon(true);
        return t;
    });

    // Under the reader's lock.
    private final List<Window> windows = new ArrayList<>();
    private Window home = new Window("");
    private Window current = home;
    private final List<String> publicRooms = new ArrayList<>();
    private boolean matching;
    private boolean quit;
    private Throwable sessionOver;
    /** Ends the session if no server takes it back within --reconnect-for. */
    private ScheduledFuture<?> giveUp;
    /** The server said it is shutting down, since the session was last connected. */
    private boolean serverShuttingDown;
    private ExitCode exit = ExitCode.DONE;

    public ChatScreen(Session session, Terminal terminal, ScreenOptions options) {
        this.session = session;
        this.reconnects = options.rejoins();
        this.terminal = terminal;
        this.options = options;
        this.chatLog = options.logDir() == null ? null : new ChatLog(options.logDir(), options.clock().getZone());
        boolean color = options.color();
        this.time = AttributedStyle.DEFAULT.faint();
        this.system = AttributedStyle.DEFAULT.faint().italic();
        this.error = color ? AttributedStyle.DEFAULT.foreground(AttributedStyle.RED) : AttributedStyle.BOLD;
        this.notice = color ? AttributedStyle.BOLD.foreground(AttributedStyle.GREEN) : AttributedStyle.BOLD;
        this.me = color ? AttributedStyle.BOLD.foreground(AttributedStyle.GREEN) : AttributedStyle.BOLD;
        this.other = color ? AttributedStyle.BOLD.foreground(AttributedStyle.CYAN) : AttributedStyle.BOLD;
        this.statusStyle = AttributedStyle.INVERSE;
        this.myTurnStatusStyle = color ? AttributedStyle.INVERSE.foreground(AttributedStyle.GREEN) : AttributedStyle.INVERSE.bold();
        this.reader = new ChatLineReader(terminal, variables(options));
        configure();
    }

    private static Map<String, Object> variables(ScreenOptions options) {
        Map<String, Object> v = new HashMap<>();
        if (options.historyFile() != null) {
            v.put(LineReader.HISTORY_FILE, options.historyFile());
            v.put(LineReader.HISTORY_SIZE, 1000);
            v.put(LineReader.HISTORY_FILE_SIZE, 1000);
        }
        return v;
    }

    private void configure() {
        reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION); // '!' is text here, not history
        reader.unsetOpt(LineReader.Option.HISTORY_TIMESTAMPED);
        // Words for completion only: quotes and backslashes are text, never syntax.
        reader.setParser(new DefaultParser().quoteChars(new char[0]).escapeChars(new char[0]));
        reader.setCompleter(new ChatCompleter(this::completionMembers, this::completionRooms));
        reader.setHistory(new DefaultHistory());
        reader.getWidgets().put(ENTER, this::enter);
        reader.getWidgets().put(NEXT_WINDOW, () -> switchBy(1));
        reader.getWidgets().put(PREVIOUS_WINDOW, () -> switchBy(-1));
        KeyMap<org.jline.reader.Binding> keys = reader.getKeyMaps().get(LineReader.MAIN);
        keys.bind(new Reference(ENTER), "\r", "\n");
        keys.bind(new Reference(NEXT_WINDOW), KeyMap.ctrl('N'));
        keys.bind(new Reference(PREVIOUS_WINDOW), KeyMap.ctrl('P'));
        for (int n = 1; n <= 10; n++) {
            int index = n - 1;
            reader.getWidgets().put(WINDOW + n, () -> switchTo(index));
            keys.bind(new Reference(WINDOW + n), KeyMap.alt(Character.forDigit(n % 10, 10)));
        }
    }

    /** Runs until /quit, Ctrl-C or Ctrl-D (or Enter once the session is over); leaves every room; returns the exit code. */
    public ExitCode run(Target target) {
        prepareHistoryFile();
        reader.start(() -> current.lines());
        session.addListener(this);
        reader.locked(() -> {
            systemLine(current, "connected to HotPochato " + SafeText.name(session.serverVersion()) + " as "
                    + SafeText.name(session.name()) + "; /help lists the commands");
            if (target.isMatch()) {
                match();
            } else {
                join(target.room());
            }
            refresh();
        });
        ticker.scheduleAtFixedRate(() -> reader.locked(this::refreshStatus), 250, 250, TimeUnit.MILLISECONDS);
        readLoop();
        ticker.shutdownNow();
        reader.locked(() -> systemLine(current, "leaving..."));
        session.removeListener(this);
        session.close();
        reader.finish();
        saveHistory();
        if (chatLog != null) {
            reader.locked(chatLog::close);
        }
        return exit;
    }

    private void readLoop() {
        while (true) {
            boolean[] done = new boolean[1];
            reader.locked(() -> done[0] = quit);
            if (done[0]) {
                return;
            }
            try {
                String[] prompt = new String[1];
                reader.locked(() -> prompt[0] = promptText());
                // Enter is handled inside the editor (enter()); readLine returns only to quit.
                reader.readLine(prompt[0].replace("%", "%%"), null, (org.jline.reader.MaskingCallback) null, null);
            } catch (UserInterruptException | EndOfFileException e) {
                return; // Ctrl-C or Ctrl-D: leave cleanly
            }
        }
    }

    // ------------------------------------------------------------------ keys (editor thread, under the lock)

    private boolean enter() {
        String text = reader.input();
        reader.replaceInput("");
        if (sessionOver != null) {
            quit = true;
            reader.endReading();
            return true;
        }
        Window w = current;
        if (w.editing() >= 0) {
            finishEditing(w, text);
            return true;
        }
        if (text.isBlank()) {
            return true;
        }
        reader.getHistory().add(text);
        // A paste of several lines is several messages, as if Enter had been pressed after each.
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            String keep = handle(ChatCommand.parse(lines[i]), lines[i]);
            if (quit) {
                reader.endReading();
                return true;
            }
            if (keep != null) {
                List<String> rest = new ArrayList<>(List.of(lines).subList(i, lines.length));
                rest.set(0, keep);
                reader.replaceInput(String.join("\n", rest));
                return true;
            }
        }
        return true;
    }

    /**
     * Why nothing can be done in window {@code w}: it is no room's (then {@code whatToDo} says what
     * would make one), or the room is gone from under it (left, closed, or this client removed).
     */
    private String notInRoom(Window w, String whatToDo) {
        return !w.isRoom() ? "you are not in a room: " + whatToDo
                : "you are no longer in " + SafeText.name(w.room()) + ": "
                    + (w.isPrivateRoom() ? "" : "/join it again, or ") + "/leave to close this window";
    }

    /** A floor command ({@link FloorCommands}) in window {@code w}: its answer, or its failure, as a line. */
    private void floor(Window w, ChatCommand command) {
        String creating = null;
        if (command.name().equals("create")) {
            FloorCommands.Create asked = FloorCommands.parseCreate(command.argument(), options.joinOptions());
            if (asked.error() == null && session.room(asked.room()).filter(RoomHandle::isOpen).isEmpty()) {
                creating = asked.room();
                createAsked.put(creating, asked.options()); // onJoined tells if the room existed
            }
        }
        String created = creating;
        if (handle(w) == null && !command.name().equals("create") && !command.name().equals("listen")) {
            errorLine(notInRoom(w, "/join ROOM or /create ROOM POLICY"));
            return;
        }
        FloorCommands.Outcome o = FloorCommands.run(command, handle(w), session,
                options.joinOptions()); // --turn-timeout, --messages-per-turn, --revoke-grace for /create too
        if (o.error() != null) {
            errorLine(o.error());
        } else if (o.info() != null) {
            systemLine(w, o.info());
        } else {
            o.request().whenComplete((v, e) -> {
                if (e != null) {
                    reader.locked(() -> {
                        if (created != null) {
                            createAsked.remove(created); // not joined: nothing to compare
                        }
                        errorLine(Failures.message(Failures.unwrap(e)));
                    });
                }
            });
        }
    }

    /**
     * Carries out one command; returns the text to leave in the editor, or null. Only a say that
     * failed gives its text back: any other command line is done with once handled, error or not,
     * so that the next line is not typed onto it.
     */
    private String handle(ChatCommand command, String line) {
        Window w = current;
        switch (command.name()) {
            case "say" -> {
                return say(w, command.argument());
            }
            case "me" -> {
                if (command.argument().isEmpty()) {
                    errorLine("usage: /me ACTION");
                    return null;
                }
                return say(w, ChatCommand.ACTION_PREFIX + command.argument()) == null ? null : line;
            }
            case "pass" -> pass(w);
            case "queue" -> showDrafts(w);
            case "edit" -> {
                return edit(w, command.argument());
            }
            case "drop" -> drop(w, command.argument());
            case "who" -> who(w);
            case "rooms" -> session.listRooms().whenComplete((rooms, e) -> reader.locked(() -> {
                if (e != null) {
                    errorLine(Failures.message(e));
                } else {
                    showRooms(rooms);
                }
            }));
            case "join" -> {
                if (command.argument().isEmpty()) {
                    errorLine("usage: /join ROOM");
                    return null;
                }
                join(command.argument());
            }
            case "switch", "window" -> {
                if (command.argument().isEmpty()) {
                    errorLine("usage: /switch ROOM or /switch N");
                } else {
                    switchTo(command.argument());
                }
            }
            case "leave", "part" -> leave(command.argument().isEmpty() ? w : window(command.argument()));
            case "match" -> match();
            case "nick" -> errorLine("names are fixed when connecting (the protocol has no rename, and a new "
                    + "session would lose your place in each room's turn order): quit and run again with --name "
                    + (command.argument().isEmpty() ? "NAME" : SafeText.name(command.argument())));
            case "help" -> {
                systemLine(current, "commands:");
                for (String help : ChatCommand.HELP.split("\n")) {
                    systemLine(current, help);
                }
                systemLine(current, "turn policies (docs/client.md):");
                for (String help : FloorCommands.HELP.split("\n")) {
                    systemLine(current, help);
                }
            }
            case "quit", "exit" -> quit = true;
            case "create", "listen", "hand", "withdraw", "hands", "grant", "revoke", "deny", "mute", "unmute", "remove",
                 "chair", "stepdown", "speaker", "audience" -> floor(w, command);
            default -> {
                errorLine("unknown command /" + SafeText.name(command.name())
                        + "; /help lists the commands (// says text that starts with a slash)");
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ saying and drafts

    /** Says {@code text} in {@code w} now if it is this client's turn there and nothing waits, else queues it. */
    private String say(Window w, String text) {
        RoomHandle room = handle(w);
        if (room == null) {
            errorLine(notInRoom(w, "/join ROOM or /match"));
            return text;
        }
        if (!room.isMyTurn() || !w.drafts().isEmpty() || w.isSending() || !session.isConnected()) {
            // Behind a line being sent in our turn: said right after it (in this turn if it allows more;
            // whether it does is not known until the server has counted the one being sent).
            boolean next = room.isMyTurn() && session.isConnected();
            int n = w.queue(text);
            addLine(w, Instant.now(options.clock()), new AttributedStringBuilder()
                    .styled(time, clock(Instant.now(options.clock())) + " ")
                    .styled(system, "(draft " + n + (next ? ", said next) " : ", said on your turn"
                            + (FloorCommands.needsHand(room) ? " \u2014 /hand to ask for the floor) " : ") ")))
                    .append(visibleText(text)).toAttributedString(), false, false);
            refresh();
            return null;
        }
        w.sending(true);
        room.say(text).whenComplete((v, e) -> reader.locked(() -> {
            w.sending(false);
            if (e != null) {
                Throwable cause = Failures.unwrap(e);
                if (retryable(cause)) {
                    w.queueFirst(Draft.of(text));
                    systemLine(w, "(the turn had gone: your text is draft 1, said on your next turn)");
                } else if (w == current && reader.offerInput(text)) {
                    errorLine(Failures.message(cause) + " (your text is back in the editor)");
                } else {
                    w.queueFirst(Draft.of(text).held(Failures.message(cause)));
                    errorLine(Failures.message(cause) + " (kept as draft 1 of " + SafeText.name(w.room())
                            + ": /edit 1 or /drop 1)");
                }
            }
            sayNextDraft(w);
            refresh();
        }));
        return null;
    }

    /** Says the next draft of {@code w} if it is this client's turn there. */
    private void sayNextDraft(Window w) {
        RoomHandle room = handle(w);
        OptionalInt next = w.nextToSay();
        if (room == null || next.isEmpty() || !room.isMyTurn() || !session.isConnected()) {
            return;
        }
        Draft draft = w.draft(next.getAsInt());
        w.sending(true);
        room.say(draft.text()).whenComplete((v, e) -> reader.locked(() -> {
            w.sending(false);
            if (e == null) {
                w.remove(0);
                sayNextDraft(w); // a room of several messages per turn: the next draft, while the turn lasts
            } else {
                Throwable cause = Failures.unwrap(e);
                if (!retryable(cause)) {
                    w.holdFirst(Failures.message(cause));
                    errorLine("draft 1 of " + SafeText.name(w.room()) + " not said: " + Failures.message(cause)
                            + " (/edit 1 or /drop 1)");
                }
            }
            refresh();
        }));
    }

    /** A say that another turn may well carry: the turn went meanwhile, or the connection is being resumed. */
    private static boolean retryable(Throwable cause) {
        return cause instanceof NotYourTurnException || cause instanceof ConnectionClosedException;
    }

    private void pass(Window w) {
        RoomHandle room = handle(w);
        if (room == null) {
            errorLine(notInRoom(w, "/join ROOM or /match"));
        } else if (room.turn().isEmpty()) {
            errorLine("no turn is running" + (room.policy() != TurnPolicy.ROUND_ROBIN ? ": " + FloorCommands.idle(room)
                    : room.members().size() < 2 ? ": waiting for someone to join" : ""));
        } else if (!room.isMyTurn()) {
            errorLine("not your turn" + room.holder().map(h -> " (" + SafeText.name(h) + " has it)").orElse(""));
        } else {
            room.pass().whenComplete((v, e) -> {
                if (e != null) {
                    reader.locked(() -> errorLine(Failures.message(e)));
                }
            });
        }
    }

    private void showDrafts(Window w) {
        if (w.drafts().isEmpty()) {
            systemLine(current, "no drafts" + (w.isRoom() ? " for " + SafeText.name(w.room()) : ""));
            return;
        }
        systemLine(current, "drafts for " + SafeText.name(w.room()) + ", said one per turn:");
        List<Draft> drafts = w.drafts();
        for (int i = 0; i < drafts.size(); i++) {
            Draft d = drafts.get(i);
            String state = i == w.editing() ? " (being edited)"
                    : d.isHeld() ? " (held: " + d.heldWhy() + ")"
                    : i == 0 && w.isSending() ? " (being said)" : "";
            AttributedStringBuilder b = new AttributedStringBuilder().styled(system, "  " + (i + 1) + ". ")
                    .append(visibleText(d.text())).styled(system, state);
            addLine(current, Instant.now(options.clock()), b.toAttributedString(), false, false);
        }
    }

    /** /edit [N]: draft N goes to the editor; Enter puts it back in its place. */
    private String edit(Window w, String argument) {
        OptionalInt index = draftIndex(w, argument);
        if (index.isEmpty()) {
            return null;
        }
        int i = index.getAsInt();
        w.edit(i);
        reader.replaceInput(w.draft(i).text());
        updatePrompt();
        refreshStatus();
        return w.draft(i).text();
    }

    private void finishEditing(Window w, String text) {
        int n = w.editing() + 1;
        w.finishEditing(text);
        systemLine(w, text.isBlank() ? "draft " + n + " dropped" : "draft " + n + " updated");
        updatePrompt();
        sayNextDraft(w);
        refresh();
    }

    /** /drop [N|all]. */
    private void drop(Window w, String argument) {
        if (argument.equalsIgnoreCase("all")) {
            int count = w.drafts().size() - (w.isSending() ? 1 : 0);
            Draft sending = w.isSending() && !w.drafts().isEmpty() ? w.draft(0) : null;
            w.clearDrafts();
            if (sending != null) {
                w.queue(sending.text()); // being said already: it cannot be called back
            }
            systemLine(current, count + (count == 1 ? " draft" : " drafts") + " dropped");
            updatePrompt();
            refresh();
            return;
        }
        OptionalInt index = draftIndex(w, argument);
        if (index.isPresent()) {
            w.remove(index.getAsInt());
            systemLine(current, "draft " + (index.getAsInt() + 1) + " dropped");
            updatePrompt();
            refresh();
        }
    }

    /** The draft an /edit or /drop argument names (default: the last), or empty after saying why not. */
    private OptionalInt draftIndex(Window w, String argument) {
        int count = w.drafts().size();
        if (count == 0) {
            errorLine("no drafts" + (w.isRoom() ? " for " + SafeText.name(w.room()) : ""));
            return OptionalInt.empty();
        }
        int n;
        try {
            n = argument.isEmpty() ? count : Integer.parseInt(argument);
        } catch (NumberFormatException e) {
            errorLine("which draft? a number from 1 to " + count + " (/queue lists them)");
            return OptionalInt.empty();
        }
        if (n < 1 || n > count) {
            errorLine("no draft " + n + "; there " + (count == 1 ? "is 1" : "are " + count) + " (/queue lists them)");
            return OptionalInt.empty();
        }
        if (n == 1 && w.isSending()) {
            errorLine("draft 1 is being said already");
            return OptionalInt.empty();
        }
        if (w.editing() >= 0) {
            errorLine("finish editing draft " + (w.editing() + 1) + " first (Enter)");
            return OptionalInt.empty();
        }
        return OptionalInt.of(n - 1);
    }

    // ------------------------------------------------------------------ rooms and windows

    private void join(String room) {
        Window known = window(room);
        if (known != null && handle(known) != null) {
            show(known);
            return;
        }
        session.join(room, options.joinOptions()).whenComplete((r, e) -> {
            if (e != null) {
                reader.locked(() -> errorLine(joinFailure(room, e)));
            }
        });
    }

    private String joinFailure(String room, Throwable e) {
        Throwable cause = Failures.unwrap(e);
        String prefix = "cannot join " + SafeText.name(room) + ": ";
        if (cause instanceof ServerErrorException s && s.code() == ErrorCode.INVALID_OPTION) {
            return prefix + Failures.message(cause) + " (see --turn-timeout)";
        }
        return prefix + Failures.message(cause);
    }

    private void match() {
        matching = true;
        systemLine(current, "looking for a partner...");
        session.match().whenComplete((r, e) -> reader.locked(() -> {
            matching = false;
            if (e != null) {
                errorLine("no match: " + Failures.message(e));
            }
            refresh();
        }));
    }

    private void leave(Window w) {
        if (w == null) {
            errorLine("no such window; /switch lists none, but the status row shows them");
            return;
        }
        RoomHandle room = handle(w);
        if (room == null) {
            close(w, w.isRoom() ? "window of " + SafeText.name(w.room()) + " closed" : null);
            return;
        }
        room.leave().whenComplete((v, e) -> reader.locked(() -> {
            if (e != null) {
                errorLine("cannot leave " + SafeText.name(w.room()) + ": " + Failures.message(e));
            } else {
                int drafts = w.drafts().size();
                close(w, "you left " + SafeText.name(w.room())
                        + (drafts == 0 ? "" : " (" + drafts + (drafts == 1 ? " draft" : " drafts") + " dropped)"));
            }
        }));
    }

    /** Removes a window, showing another, and says {@code why} there. */
    private void close(Window w, String why) {
        int index = windows.indexOf(w);
        if (index < 0) {
            if (why != null) {
                systemLine(current, why);
            }
            return;
        }
        windows.remove(index);
        if (w == current) {
            Window next = windows.isEmpty() ? (home = new Window("")) : windows.get(Math.max(0, index - 1));
            show(next);
        }
        if (why != null) {
            systemLine(current, why);
        }
        refresh();
    }

    private void switchTo(String which) {
        Window w;
        try {
            int n = Integer.parseInt(which);
            if (n < 1 || n > windows.size()) {
                errorLine("no window " + n + (windows.isEmpty() ? "" : "; they are 1 to " + windows.size()));
                return;
            }
            w = windows.get(n - 1);
        } catch (NumberFormatException notANumber) {
            w = window(which);
            if (w == null) {
                errorLine("no window for " + SafeText.name(which) + " (/join it first)");
                return;
            }
        }
        show(w);
    }

    /** Alt-N: window N (index N-1), if there is one. */
    private boolean switchTo(int index) {
        if (index < windows.size()) {
            show(windows.get(index));
        }
        return true;
    }

    /** Ctrl-N / Ctrl-P. */
    private boolean switchBy(int step) {
        if (windows.isEmpty()) {
            return true;
        }
        int index = windows.indexOf(current);
        int next = index < 0 ? 0 : Math.floorMod(index + step, windows.size());
        show(windows.get(next));
        return true;
    }

    /** Brings {@code w} into view: the screen is drawn again with its lines. */
    private void show(Window w) {
        if (w == current) {
            return;
        }
        Window previous = current;
        if (previous.editing() >= 0) {
            // The edited draft stays with its room: put the text back before the editor shows another.
            finishEditing(previous, reader.input());
            reader.replaceInput("");
        }
        current = w;
        w.markRead();
        reader.repaint(promptText());
        refreshStatus();
    }

    private Window window(String room) {
        for (Window w : windows) {
            if (w.room().equals(room)) {
                return w;
            }
        }
        return null;
    }

    private Window window(RoomHandle room) {
        Window w = window(room.name());
        if (w == null) {
            w = new Window(room.name());
            if (windows.isEmpty() && current == home) {
                w.adopt(home); // the first room takes over what was said before it, already on screen
                current = w;
                home = new Window("");
            }
            windows.add(w);
        }
        return w;
    }

    /** The room of {@code w} if this session is in it now. */
    private RoomHandle handle(Window w) {
        if (!w.isRoom()) {
            return null;
        }
        Optional<RoomHandle> room = session.room(w.room());
        return room.filter(RoomHandle::isOpen).orElse(null);
    }

    private void who(Window w) {
        RoomHandle room = handle(w);
        if (room == null) {
            errorLine(notInRoom(w, "/join ROOM or /match"));
            return;
        }
        String holder = room.holder().orElse("");
        systemLine(current, SafeText.name(room.name()) + ": " + room.members().stream()
                .map(m -> SafeText.name(m) + (m.equals(holder) ? " (turn)" : "") + (room.isAway(m) ? " (away)" : "")
                        + (m.equals(session.name()) ? " (you)" : ""))
                .collect(Collectors.joining(", ")));
    }

    private void showRooms(List<RoomInfo> rooms) {
        publicRooms.clear();
        rooms.forEach(r -> publicRooms.add(r.name()));
        if (rooms.isEmpty()) {
            systemLine(current, "no public rooms");
            return;
        }
        systemLine(current, "rooms: " + rooms.stream()
                .map(r -> SafeText.name(r.name()) + " (" + r.members() + (r.members() == 1 ? " member" : " members")
                        + r.holder().map(h -> ", " + SafeText.name(h) + "'s turn").orElse("")
                        + (r.policy() == TurnPolicy.QUEUE ? ", queue" : r.policy() == TurnPolicy.MODERATED ? ", moderated" : "")
                        + ")")
                .collect(Collectors.joining(", ")));
    }

    private List<String> completionMembers() {
        RoomHandle room = handle(current);
        return room == null ? List.of() : room.members().stream().filter(m -> !m.equals(session.name())).toList();
    }

    private List<String> completionRooms() {
        List<String> rooms = new ArrayList<>();
        windows.forEach(w -> rooms.add(w.room()));
        publicRooms.stream().filter(r -> !rooms.contains(r)).forEach(rooms::add);
        return rooms;
    }

    // ------------------------------------------------------------------ events (callback thread)

    @Override
    public void onJoined(RoomHandle room) {
        reader.locked(() -> {
            Window w = window(room);
            w.closed(null);
            w.privateRoom(room.isPrivate());
            systemLine(w, "you joined " + SafeText.name(room.name()) + " (" + names(room.members()) + ")"
                    + (room.policy() != TurnPolicy.ROUND_ROBIN ? (room.turn().isEmpty() ? "; " + FloorCommands.idle(room) : "")
                    : room.members().size() < 2 && !room.isPrivate() ? "; waiting for someone else" : ""));
            turnEndTold.remove(room.name()); // a room of that name before this join told nothing of this one
            JoinOptions asked = createAsked.remove(room.name());
            String notApplied = asked == null ? null : FloorCommands.notApplied(room, asked, true);
            if (notApplied != null) {
                systemLine(w, "* " + notApplied);
            }
            show(w);
            refresh();
        });
    }

    @Override
    public void onPaired(RoomHandle room, String partner, boolean first) {
        reader.locked(() -> systemLine(window(room), "paired with " + SafeText.name(partner)
                + (first ? "; you speak first" : "; " + SafeText.name(partner) + " speaks first")));
    }

    @Override
    public void onSaid(RoomHandle room, Message m) {
        reader.locked(() -> {
            Window w = window(room);
            AttributedStyle speaker = m.speaker().equals(session.name()) ? me : other;
            String action = ChatCommand.action(m.text());
            AttributedStringBuilder b = new AttributedStringBuilder().styled(time, clock(m.time()) + " ");
            if (action != null) {
                b.styled(speaker.italic(), "* " + SafeText.name(m.speaker()) + " ").append(visibleText(action));
            } else {
                b.styled(speaker, SafeText.name(m.speaker())).append(": ").append(visibleText(m.text()));
            }
            addLine(w, m.time(), b.toAttributedString(), true, !m.speaker().equals(session.name()));
            refreshStatus(); // the messages the holder has left
        });
    }

    @Override
    public void onPassed(RoomHandle room, String name, long turn) {
        reader.locked(() -> {
            endTold(room);
            systemLine(window(room), "* " + SafeText.name(name) + " passed");
        });
    }

    @Override
    public void onTurnExpired(RoomHandle room, String name, long turn) {
        reader.locked(() -> {
            endTold(room);
            systemLine(window(room), name.equals(session.name()) ? "* your time ran out"
                    : "* " + SafeText.name(name) + "'s time ran out");
        });
    }

    /** A turn's end was told; the floor's release that follows it in a queue or moderated room is not. */
    private void endTold(RoomHandle room) {
        if (room.policy() != TurnPolicy.ROUND_ROBIN) {
            turnEndTold.add(room.name());
        }
    }

    @Override
    public void onMemberJoined(RoomHandle room, String name) {
        reader.locked(() -> systemLine(window(room), "* " + SafeText.name(name) + " joined"));
    }

    @Override
    public void onMemberLeft(RoomHandle room, String name, LeaveReason reason) {
        if (reason == LeaveReason.REMOVED) {
            return; // onMemberRemoved says who removed it, and why
        }
        reader.locked(() -> systemLine(window(room), "* " + SafeText.name(name) + (reason == LeaveReason.LEFT ? " left"
                : " is gone (" + reason.name().toLowerCase(Locale.ROOT).replace('_', ' ') + ")")));
    }

    @Override
    public void onMemberRemoved(RoomHandle room, String name, String by, String message) {
        reader.locked(() -> {
            String why = message.isEmpty() ? "" : ": " + SafeText.name(message);
            if (name.equals(session.name())) {
                removedHere.add(room.name()); // this line says it all; the close that follows adds nothing
                systemLine(window(room), "* " + SafeText.name(by) + " removed you" + why + " (/leave closes this window)");
            } else {
                systemLine(window(room), "* " + SafeText.name(by) + " removed " + SafeText.name(name) + why);
            }
            refreshStatus();
        });
    }

    @Override
    public void onUnchanged(RoomHandle room, String name, String state) {
        reader.locked(() -> systemLine(window(room), FloorCommands.unchanged(name, state, session.name())));
    }

    @Override
    public void onMemberAway(RoomHandle room, String name) {
        if (!name.equals(session.name())) {
            reader.locked(() -> systemLine(window(room), "* " + SafeText.name(name) + " is away (connection lost)"));
        }
    }

    @Override
    public void onMemberBack(RoomHandle room, String name) {
        if (!name.equals(session.name())) {
            reader.locked(() -> systemLine(window(room), "* " + SafeText.name(name) + " is back"));
        }
    }

    @Override
    public void onTurnSkipped(RoomHandle room, String name, long turn) {
        reader.locked(() -> systemLine(window(room), "* " + (name.equals(session.name()) ? "your"
                : SafeText.name(name) + "'s") + " turn was skipped (away)"));
    }

    @Override
    public void onHistoryLost(RoomHandle room) {
        reader.locked(() -> {
            Window w = window(room);
            errorLine("some messages of " + SafeText.name(room.name()) + " were missed while reconnecting and are lost");
            sayNextDraft(w); // the fresh view may hold a turn of ours
            refresh();
        });
    }

    @Override
    public void onReconnecting(Throwable cause) {
        reader.locked(() -> {
            errorLine("connection lost" + (cause == null ? "" : ": " + Failures.message(cause)) + "; reconnecting...");
            if (isShutdown(cause)) {
                serverShuttingDown = true;
            }
            if (options.reconnectFor() != null && giveUp == null) {
                giveUp = ticker.schedule(() -> reader.locked(this::giveUp), options.reconnectFor().toMillis(),
                        TimeUnit.MILLISECONDS);
            }
            refresh();
        });
    }

    /** --reconnect-for passed without a server taking the session back. */
    private void giveUp() {
        giveUp = null;
        if (sessionOver != null || quit || session.isConnected()) {
            return;
        }
        sessionOver = new ConnectionClosedException("gave up reconnecting (--reconnect-for)", null);
        exit = serverShuttingDown ? ExitCode.SERVER_SHUT_DOWN : ExitCode.CONNECTION_LOST;
        errorLine("gave up reconnecting after " + seconds(options.reconnectFor()) + "; press Enter to exit");
        session.closeAsync();
        refresh();
    }

    private void backAgain() {
        if (giveUp != null) {
            giveUp.cancel(false);
            giveUp = null;
        }
        serverShuttingDown = false;
    }

    private static boolean isShutdown(Throwable cause) {
        return cause != null && Failures.unwrap(cause) instanceof ServerErrorException s
                && s.code() == ErrorCode.SERVER_SHUTTING_DOWN;
    }

    @Override
    public void onReconnected() {
        reader.locked(() -> {
            backAgain();
            systemLine(current, "reconnected");
            windows.forEach(this::sayNextDraft);
            refresh();
        });
    }

    @Override
    public void onNewSession(Throwable cause) {
        reader.locked(() -> {
            backAgain();
            boolean unknown = cause == null || Failures.unwrap(cause) instanceof ServerErrorException s
                    && s.code() == ErrorCode.RESUME_FAILED;
            systemLine(current, (unknown ? "the server no longer knew this session" : Failures.message(cause))
                    + ": a new one as " + SafeText.name(session.name())
                    + (windows.isEmpty() ? "" : " rejoins the rooms; what was said meanwhile is lost"));
            refresh();
        });
    }

    @Override
    public void onRejoined(RoomHandle room) {
        reader.locked(() -> {
            Window w = window(room);
            w.closed(null);
            systemLine(w, "rejoined " + SafeText.name(room.name()) + " (" + names(room.members()) + ")");
            sayNextDraft(w);
            refresh();
        });
    }

    @Override
    public void onRejoinFailed(RoomHandle room, HotPochatoException cause) {
        reader.locked(() -> {
            Window w = window(room);
            w.closed(Failures.message(cause));
            String line = "could not rejoin " + SafeText.name(room.name()) + ": " + Failures.message(cause)
                    + " (/leave closes its window)";
            errorLine(line);
            if (w != current) {
                addLine(w, Instant.now(options.clock()), new AttributedString("! " + line, error), false, false);
            }
            refresh();
        });
    }

    @Override
    public void onRoomEnded(RoomHandle room, EndRule rule, String reason) {
        reader.locked(() -> endedHere.add(room.name()));
    }

    @Override
    public void onRoomClosed(RoomHandle room, String reason) {
        reader.locked(() -> {
            Window w = window(room);
            w.closed(reason);
            updatePrompt();
            if (removedHere.remove(room.name())) {
                refresh();
                return;
            }
            if (session.isOpen()) {
                // A public room closed as its server stops is joined again (with reconnecting on); one
                // that ended by its rules, or from which a chair removed this client, is not.
                boolean back = !room.isPrivate() && reconnects && !endedHere.remove(room.name())
                        && !reason.startsWith("removed by ");
                systemLine(w, "* " + SafeText.name(room.name()) + " closed: " + SafeText.name(reason)
                        + (back ? " (joined again when the server is back)" : " (/leave closes this window)"));
            }
            refresh();
        });
    }

    @Override
    public void onTurnGranted(RoomHandle room, Turn turn) {
        reader.locked(() -> {
            Window w = window(room);
            if (turn.isMine()) {
                if (w.nextToSay().isPresent()) {
                    sayNextDraft(w);
                } else {
                    reader.bell();
                    String messages = room.messagesPerTurn() > 1
                            ? ", up to " + room.messagesPerTurn() + " messages (/pass ends it)" : "";
                    String left = turn.timeLeft().map(d -> ", " + seconds(d) + " to speak").orElse("") + messages;
                    String held = w.drafts().isEmpty() ? "" : "; draft 1 is held: /edit 1 or /drop 1";
                    Instant now = Instant.now(options.clock());
                    addLine(w, now, new AttributedString(">>> your turn" + left + held + " <<<", notice), false, false);
                    if (w != current) {
                        String where = " in " + SafeText.name(room.name()) + " (" + switchKey(w) + ")";
                        addLine(current, now, new AttributedString(">>> your turn" + where + left + held + " <<<", notice),
                                false, false);
                    }
                }
            }
            refresh();
        });
    }

    @Override
    public void onFloorUpdate(RoomHandle room, FloorUpdate update) {
        String line = FloorCommands.describe(update, session.name());
        boolean release = update.state() == FloorState.RELEASED && update.reason().isEmpty();
        reader.locked(() -> {
            if (release && turnEndTold.remove(room.name())) {
                refreshStatus();
                return;
            }
            if (line != null) {
                systemLine(window(room), line);
            }
            refreshStatus();
        });
    }

    @Override
    public void onFloorIdle(RoomHandle room) {
        reader.locked(() -> {
            boolean muted = room.muted().contains(session.name()); // not invited to a /hand the server refuses
            systemLine(window(room), "* the floor is free" + (room.isChair() && room.policy() == TurnPolicy.MODERATED
                    ? ": /grant NAME to give it" : room.policy() == TurnPolicy.QUEUE && !muted ? ": /hand to ask for it" : ""));
            refreshStatus();
        });
    }

    @Override
    public void onChairChanged(RoomHandle room, String name, String by) {
        reader.locked(() -> {
            boolean me = name.equals(session.name());
            systemLine(window(room), "* " + (by.isEmpty()
                    ? (me ? "you are" : SafeText.name(name) + " is") + " now a chair (the last chair left or stepped down)"
                    : (by.equals(session.name()) ? "you" : SafeText.name(by)) + " made "
                        + (me ? "you" : SafeText.name(name)) + " a chair"));
            refreshStatus();
        });
    }

    @Override
    public void onChairSteppedDown(RoomHandle room, String name) {
        reader.locked(() -> {
            systemLine(window(room), "* " + (name.equals(session.name()) ? "you" : SafeText.name(name))
                    + " stepped down as chair");
            refreshStatus();
        });
    }

    @Override
    public void onMemberMoved(RoomHandle room, String name, boolean audience, String by) {
        boolean me = name.equals(session.name());
        // Before the turn's end that follows: the view still shows whether this move ends ours.
        String ended = me && audience && room.isMyTurn() ? " (your turn ended)" : "";
        reader.locked(() -> {
            systemLine(window(room), FloorCommands.moved(room.name(), name, audience, by, session.name(), ended,
                    !room.muted().contains(name)));
            refreshStatus();
        });
    }

    @Override
    public void onMemberMuted(RoomHandle room, String name, boolean muted, String by) {
        boolean me = name.equals(session.name());
        // Before the turn's end and the hand's denial that follow: what this mute ends of ours.
        String ended = !me || !muted ? "" : room.isMyTurn() ? " (your turn ended)"
                : room.queue().contains(name) ? " (your raised hand is down)" : "";
        reader.locked(() -> {
            systemLine(window(room), "* " + SafeText.name(by) + (muted ? " muted " : " unmuted ")
                    + (me ? "you" : SafeText.name(name)) + ended);
            refreshStatus();
        });
    }

    @Override
    public void onTurnWarning(RoomHandle room, Duration remaining) {
        reader.locked(() -> systemLine(window(room), "* " + seconds(remaining) + " left in your turn"));
    }

    @Override
    public void onServerError(ServerErrorException e) {
        reader.locked(() -> {
            if (isShutdown(e)) {
                serverShuttingDown = true; // the reconnecting (or disconnected) line says it
            } else if (e.code() != ErrorCode.RESUME_FAILED) { // the new session's (or disconnected) line says it
                errorLine(Failures.message(e));
            }
        });
    }

    @Override
    public void onDisconnected(Throwable cause) {
        reader.locked(() -> {
            if (quit || sessionOver != null) {
                return; // we closed it (on /quit, or after giving up)
            }
            // Before /quit a session ends only on a loss, even when no cause is given (the server closed the connection).
            Throwable lost = cause != null ? cause : new ConnectionClosedException("the connection closed", null);
            sessionOver = lost;
            Throwable c = Failures.unwrap(lost);
            exit = isShutdown(c) || serverShuttingDown ? ExitCode.SERVER_SHUT_DOWN : ExitCode.CONNECTION_LOST;
            errorLine("disconnected: " + Failures.message(lost) + "; press Enter to exit");
            refresh();
        });
    }

    // ------------------------------------------------------------------ drawing (under the lock)

    private String switchKey(Window w) {
        int n = windows.indexOf(w) + 1;
        return n >= 1 && n <= 10 ? "Alt-" + (n % 10) : "/switch " + SafeText.name(w.room());
    }

    private void systemLine(Window w, String text) {
        Instant now = Instant.now(options.clock());
        addLine(w, now, new AttributedStringBuilder().styled(system, clock(now) + " " + text).toAttributedString(),
                text.startsWith("* "), false);
    }

    private void errorLine(String text) {
        addLine(current, Instant.now(options.clock()), new AttributedString("! " + text, error), false, false);
    }

    /**
     * Adds a line to {@code w}, splitting it where the text had line breaks, prints it if {@code w}
     * is in view, and logs it if asked.
     */
    private void addLine(Window w, Instant at, AttributedString line, boolean log, boolean message) {
        for (AttributedString part : line.columnSplitLength(terminal, Integer.MAX_VALUE, false, false)) {
            w.add(part);
            if (w == current) {
                reader.show(part);
            }
            if (log && chatLog != null && w.isRoom()) {
                // The log puts its own date and time in front.
                String failure = chatLog.append(w.room(), at, SHOWN_TIME.matcher(part.toString()).replaceFirst(""));
                if (failure != null) {
                    errorLine(failure);
                }
            }
        }
        if (message && w != current) {
            w.markUnread();
            refreshStatus();
        }
    }

    /** Text from the wire: controls shown as visible tokens, TAB as a space, a line break as a new line. */
    private AttributedString visibleText(String text) {
        AttributedStringBuilder b = new AttributedStringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                b.append("\n  ");
            } else if (c == '\t') {
                b.append(' ');
            } else if (SafeText.isControl(c)) {
                b.styled(AttributedStyle.INVERSE, SafeText.visible(c));
            } else {
                b.append(c);
            }
        }
        return b.toAttributedString();
    }

    private String clock(Instant at) {
        return CLOCK.format(at.atZone(options.clock().getZone()));
    }

    private static String names(List<String> names) {
        return names.stream().map(SafeText::name).collect(Collectors.joining(", "));
    }

    private String promptText() {
        Window w = current;
        String where = !w.isRoom() ? "(no room)"
                : SafeText.name(w.room()) + (w.closedWhy() != null ? " (closed)" : "");
        return where + (w.editing() >= 0 ? " (draft " + (w.editing() + 1) + ")" : "") + "> ";
    }

    private void updatePrompt() {
        reader.prompt(promptText());
    }

    private void refresh() {
        updatePrompt();
        refreshStatus();
    }

    private void refreshStatus() {
        reader.status(statusLine());
    }

    AttributedString statusLine() {
        Window w = current;
        RoomHandle room = handle(w);
        StringBuilder text = new StringBuilder(" ");
        boolean myTurn = false;
        if (sessionOver != null) {
            text.append("disconnected: press Enter to exit");
        } else if (!session.isConnected()) {
            text.append("connection lost: reconnecting...");
        } else if (!w.isRoom()) {
            text.append(matching ? "looking for a partner..." : "not in a room: /join ROOM or /match");
        } else if (room == null) {
            text.append(SafeText.name(w.room())).append(" | ")
                    .append(w.closedWhy() == null ? "joining..." : "closed: " + SafeText.name(w.closedWhy())
                            + " | /leave closes this window");
        } else {
            text.append(SafeText.name(room.name())).append(" | ");
            Optional<Turn> turn = room.turn();
            if (turn.isEmpty()) {
                text.append(room.policy() != TurnPolicy.ROUND_ROBIN ? FloorCommands.idle(room)
                        : room.members().size() < 2 ? "waiting for someone to join" : "...");
            } else {
                boolean revoked = turn.get().isRevoked();
                String left = turn.get().timeLeft().map(d -> seconds(d) + (revoked ? " to finish" : " left"))
                        .orElse("no time limit");
                myTurn = turn.get().isMine();
                text.append(myTurn ? "YOUR TURN" : SafeText.name(turn.get().holder()) + "'s turn")
                        .append(revoked ? " (revoked)" : "").append(" | ").append(left);
                String messages = FloorCommands.messagesLeft(room);
                if (!messages.isEmpty()) {
                    text.append(" | ").append(messages);
                }
            }
            int members = room.members().size();
            text.append(" | ").append(members).append(members == 1 ? " member" : " members");
            text.append(FloorCommands.status(room));
        }
        int drafts = w.drafts().size();
        if (drafts > 0) {
            long held = w.drafts().stream().filter(Draft::isHeld).count();
            text.append(" | ").append(drafts).append(" queued").append(held > 0 ? " (" + held + " held)" : "");
        }
        if (matching && w.isRoom()) {
            text.append(" | matching...");
        }
        if (windows.size() > 1) {
            text.append(" |");
            for (int i = 0; i < windows.size(); i++) {
                Window other = windows.get(i);
                RoomHandle r = handle(other);
                String label = (i + 1) + ":" + SafeText.name(other.room())
                        + (other.unread() > 0 ? "(" + other.unread() + ")" : "")
                        + (r != null && r.isMyTurn() ? "*" : "");
                text.append(' ').append(other == w ? "[" + label + "]" : label);
            }
        }
        text.append(' ');
        return new AttributedString(text, myTurn ? myTurnStatusStyle : statusStyle);
    }

    private static String seconds(Duration d) {
        return DurationText.of(d);
    }

    // ------------------------------------------------------------------ history file

    private void prepareHistoryFile() {
        Path file = options.historyFile();
        if (file == null) {
            return;
        }
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null && !Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                trySetPermissions(dir, "rwx------");
            }
            if (!Files.exists(file)) {
                Files.createFile(file);
                trySetPermissions(file, "rw-------"); // what was typed may be private
            }
        } catch (IOException e) {
            reader.locked(() -> errorLine("input history not kept: cannot create " + file + " (" + e.getMessage() + ")"));
        }
    }

    private static void trySetPermissions(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (IOException | UnsupportedOperationException ignored) {
            // not a POSIX file system: its defaults apply
        }
    }

    private void saveHistory() {
        try {
            reader.getHistory().save();
        } catch (IOException e) {
            // The editor is gone; one line on the terminal is all that is left to say.
            terminal.writer().println("hotpochato: input history not saved: " + e.getMessage());
            terminal.flush();
        }
    }

    /** For tests: the exit code so far. */
    ExitCode exitCode() {
        return exit;
    }

    CompletableFuture<Void> idle() {
        return CompletableFuture.completedFuture(null);
    }
}
