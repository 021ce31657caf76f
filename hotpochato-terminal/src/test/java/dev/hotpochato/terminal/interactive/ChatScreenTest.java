package dev.hotpochato.terminal.interactive;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.Session;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.terminal.ExitCode;
import dev.hotpochato.terminal.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The interactive mode on a terminal of known size, against a real server: what is drawn, where the cursor is. */
class ChatScreenTest {

    private static HotPochatoServer server;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .turnTimeout(Duration.ofMinutes(5)).shutdownTimeout(Duration.ofSeconds(2)).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private Session connect(String name) {
        Session s = HotPochatoClient.connect(ClientOptions.builder(name).host("127.0.0.1").port(server.port()).build())
                .join();
        cleanup.add(s);
        return s;
    }

    /** A chat screen running on its own thread. */
    private record Chat(ChatScreen screen, CompletableFuture<ExitCode> exit) {
    }

    /** Runs the chat screen of {@code session} on {@code screen}, on its own thread, until /quit. */
    private Chat chat(VirtualScreen screen, Session session, Target target, ScreenOptions options) {
        ChatScreen chat = new ChatScreen(session, screen.terminal(), options);
        CompletableFuture<ExitCode> run = CompletableFuture.supplyAsync(() -> chat.run(target));
        cleanup.add(screen);
        cleanup.add(() -> {
            if (!run.isDone()) {
                screen.type("\u0015/quit\r"); // Ctrl-U first: the editor may hold text

                run.get(10, TimeUnit.SECONDS);
            }
        });
        return new Chat(chat, run);
    }

    private static ScreenOptions plain() {
        return new ScreenOptions(null, null, true, JoinOptions.defaults(), Clock.systemDefaultZone(), null, true);
    }

    /** bob answers every turn with "bob line N". */
    private static AtomicInteger answerEveryTurn(RoomHandle bob) {
        AtomicInteger n = new AtomicInteger();
        bob.onMyTurn(turn -> turn.say("bob line " + n.incrementAndGet()));
        return n;
    }

    @Test
    void aResizeRedrawsTheLatestLinesAndNeverLeavesTheCursorOnTheStatusRow() throws Exception {
        VirtualScreen screen = new VirtualScreen(100, 30);
        Session alice = connect("alice");
        chat(screen, alice, Target.room("resize"), plain());
        ready(screen, "resize");
        RoomHandle bob = connect("bob").join("resize").join();
        AtomicInteger answers = answerEveryTurn(bob);
        for (int i = 1; i <= 20; i++) {
            screen.await("alice's turn", s -> s.statusRow().contains("YOUR TURN"));
            screen.type((i == 10 ? "a long line " + "x".repeat(130) + " " : "") + "alice line " + i + "\r");
            int n = i;
            screen.await("bob's answer " + n, s -> s.rows().stream().anyMatch(r -> r.endsWith("bob: bob line " + n)));
        }
        screen.await("the screen full, alice's turn again", s -> !s.rows().get(0).isBlank()
                && s.statusRow().contains("YOUR TURN") && s.rows().get(s.height() - 3).startsWith(">>> your turn"));

        for (int[] size : new int[][] {{80, 24}, {60, 15}, {140, 40}, {100, 30}}) {
            screen.resize(size[0], size[1]);
            String where = size[0] + "x" + size[1];
            assertScreenIntact(screen, where);
            int answer = answers.get() + 1;
            screen.type("after " + where + "\r");
            screen.await("bob's answer to what was typed after the resize to " + where, s -> {
                List<String> rows = s.rows();
                int h = rows.size();
                return rows.get(h - 5).endsWith("alice: after " + where) && rows.get(h - 4).endsWith("bob line " + answer)
                        && rows.get(h - 3).startsWith(">>> your turn") && s.statusRow().contains("YOUR TURN");
            });
            assertScreenIntact(screen, where);
        }
    }

    /**
     * Waits until the screen is laid out intact: the status on the last row, the prompt on the row
     * above with the cursor on it, and above that the latest lines, in order, with none missing:
     * each "alice line N" (or "after ...") is followed by "bob line M" and the turn notice, and the
     * bob lines count up by one. A redraw is not atomic, so a screen caught halfway through one is
     * not a failure; a line lost for good is, once the wait runs out.
     */
    private static void assertScreenIntact(VirtualScreen screen, String where) {
        AtomicReference<String> defect = new AtomicReference<>();
        try {
            screen.await(where + " laid out intact", s -> {
                defect.set(defect(s));
                return defect.get() == null;
            });
        } catch (AssertionError e) {
            fail(where + ": " + defect.get() + "\n" + e.getMessage());
        }
    }

    /** What is wrong with the screen's layout, or null when it is intact. */
    private static String defect(VirtualScreen screen) {
        List<String> rows = screen.rows();
        int h = rows.size();
        if (h != screen.height()) {
            return "the screen has " + h + " rows, not " + screen.height();
        }
        if (!rows.get(h - 1).startsWith(" resize | YOUR TURN | ")) {
            return "status row";
        }
        if (!rows.get(h - 2).startsWith("resize>")) {
            return "prompt row";
        }
        if (screen.cursorRow() != h - 2) {
            return "the cursor is on row " + screen.cursorRow() + ", not on the prompt row";
        }
        if (!rows.get(h - 3).startsWith(">>> your turn")) {
            return "latest line above the prompt";
        }
        Pattern bobLine = Pattern.compile("\\d\\d:\\d\\d:\\d\\d bob: bob line (\\d+)");
        int lastBob = -1;
        for (int i = 0; i < h - 2; i++) {
            Matcher m = bobLine.matcher(rows.get(i));
            if (!m.matches()) {
                continue;
            }
            int n = Integer.parseInt(m.group(1));
            if (lastBob >= 0 && n != lastBob + 1) {
                return "a line is missing before row " + i + ": bob line " + (lastBob + 1);
            }
            lastBob = n;
            if (i + 1 < h - 2 && !rows.get(i + 1).startsWith(">>> your turn")) {
                return "no turn notice on row " + (i + 1);
            }
            if (i >= 1 && !(rows.get(i - 1).contains("alice: ") || rows.get(i - 1).matches("x+ alice line \\d+"))) {
                return "no alice line on row " + (i - 1);
            }
        }
        return lastBob > 0 ? null : "no bob lines";
    }

    @Test
    void linesTypedOutOfTurnAreQueuedAsDraftsAndSaidOnePerTurn() throws Exception {
        VirtualScreen screen = new VirtualScreen(100, 30);
        Session alice = connect("alice");
        chat(screen, alice, Target.room("drafts"), plain());
        ready(screen, "drafts");
        RoomHandle bob = connect("bob").join("drafts").join();
        screen.await("alice's turn", s -> s.statusRow().contains("YOUR TURN"));
        screen.type("/pass\r");
        screen.await("bob's turn", s -> s.statusRow().contains("bob's turn"));

        screen.type("first line\r");
        screen.type("second line\r");
        screen.awaitText("(draft 2, said on your turn) second line");
        screen.await("two queued", s -> s.statusRow().contains("2 queued"));

        bob.say("over to you").join();
        screen.await("the first draft said", s -> s.rows().stream().anyMatch(r -> r.endsWith("alice: first line")));
        assertTrue(screen.rows().stream().noneMatch(r -> r.contains("first linesecond line")), screen::toString);
        screen.await("one queued", s -> s.statusRow().contains("1 queued"));
        assertTrue(screen.rows().stream().noneMatch(r -> r.endsWith("alice: second line")), screen::toString);

        bob.say("again").join();
        screen.await("the second draft said", s -> s.rows().stream().anyMatch(r -> r.endsWith("alice: second line")));
        screen.await("none queued", s -> !s.statusRow().contains("queued"));
    }

    @Test
    void draftsCanBeListedEditedInPlaceAndDropped() throws Exception {
        VirtualScreen screen = new VirtualScreen(100, 30);
        Session alice = connect("alice");
        chat(screen, alice, Target.room("editing"), plain());
        ready(screen, "editing");
        RoomHandle bob = connect("bob").join("editing").join();
        screen.await("alice's turn", s -> s.statusRow().contains("YOUR TURN"));
        screen.type("/pass\r");
        screen.await("bob's turn", s -> s.statusRow().contains("bob's turn"));
        screen.type("one\rtwo\rthree\r");
        screen.await("three queued", s -> s.statusRow().contains("3 queued"));

        screen.type("/edit 2\r");
        screen.await("draft 2 in the editor", s -> s.rows().get(s.cursorRow()).equals("editing (draft 2)> two"));
        screen.type(" (edited)\r");
        screen.awaitText("draft 2 updated");
        screen.type("/drop 3\r");
        screen.awaitText("draft 3 dropped");
        screen.type("/queue\r");
        screen.awaitText("2. two (edited)");
        assertTrue(screen.rows().stream().noneMatch(r -> r.contains("3. three")), screen::toString);

        bob.say("go").join();
        screen.await("draft 1 said", s -> s.rows().stream().anyMatch(r -> r.endsWith("alice: one")));
        bob.say("go on").join();
        screen.await("edited draft said", s -> s.rows().stream().anyMatch(r -> r.endsWith("alice: two (edited)")));
        screen.await("nothing queued", s -> !s.statusRow().contains("queued"));
    }

    @Test
    void anErrorKeepsTheTextInTheEditor() throws Exception {
        VirtualScreen screen = new VirtualScreen(200, 30);
        Session alice = connect("alice");
        chat(screen, alice, Target.room("toolong"), plain());
        ready(screen, "toolong");
        connect("bob").join("toolong").join();
        screen.await("alice's turn", s -> s.statusRow().contains("YOUR TURN"));
        String tooLong = "y".repeat(server.options().maxTextBytes() + 1);
        screen.type(tooLong + "\r");
        screen.awaitText("your text is back in the editor");
        String error = screen.rows().stream().filter(r -> r.startsWith("! ")).findFirst().orElseThrow();
        assertFalse(error.contains("TEXT_TOO_LONG"), "the code is not shown, let alone twice: " + error);
        screen.await("the text back at the prompt", s -> s.rows().stream().anyMatch(r -> r.startsWith("toolong> yyyy")));
    }

    @Test
    void helpMentionsDoubleSlashForTextStartingWithASlash() throws Exception {
        VirtualScreen screen = new VirtualScreen(120, 40);
        chat(screen, connect("alice"), Target.room("helping"), plain());
        ready(screen, "helping");
        screen.type("/help\r");
        screen.awaitText("//text");
        screen.awaitText("Ctrl-N");
    }

    /**
     * Waits until the screen shows that it joined {@code room} and the editor reads keys (its
     * prompt is drawn): keys typed before that would be echoed by the terminal, as on a real one.
     */
    private static void ready(VirtualScreen screen, String room) {
        screen.awaitText("you joined " + room);
        screen.await("the prompt of " + room, s -> inputRow(s).startsWith(room + ">"));
    }

    /** The row the cursor is on: the prompt and what is being typed. */
    private static String inputRow(VirtualScreen s) {
        return s.rows().get(s.cursorRow());
    }

    @Test
    void eachRoomHasAWindowShownByAltNumberCtrlNCtrlPAndSwitch() throws Exception {
        VirtualScreen screen = new VirtualScreen(120, 30);
        chat(screen, connect("alice"), Target.room("one"), plain());
        ready(screen, "one");
        screen.type("/join two\r");
        screen.await("the prompt naming two", s -> inputRow(s).equals("two>") && s.rows().get(0).contains("you joined two"));
        assertTrue(screen.rows().stream().noneMatch(r -> r.contains("you joined one")), "window two shows only its lines\n" + screen);
        screen.await("both windows in the status", s -> s.statusRow().contains("1:one [2:two]"));

        screen.type("\u001b1"); // Alt-1
        screen.await("window one", s -> inputRow(s).equals("one>") && s.rows().stream().anyMatch(r -> r.contains("you joined one")));
        screen.type("\u000e"); // Ctrl-N
        screen.await("window two", s -> inputRow(s).equals("two>"));
        screen.type("\u0010"); // Ctrl-P
        screen.await("window one again", s -> inputRow(s).equals("one>"));
        screen.type("/switch two\r");
        screen.await("window two by name", s -> inputRow(s).equals("two>"));
        screen.type("/switch 1\r");
        screen.await("window one by number", s -> inputRow(s).equals("one>"));

        RoomHandle bobInTwo = connect("bob").join("two").join();
        screen.await("alice's turn in two, marked", s -> s.statusRow().contains("2:two*"));
        CompletableFuture<Void> bobsTurn = new CompletableFuture<>();
        bobInTwo.onMyTurn(turn -> bobsTurn.complete(null));
        screen.type("/switch two\r");
        screen.await("window two", s -> inputRow(s).equals("two>"));
        screen.type("said in two\r");
        screen.type("\u001b1");
        screen.await("window one", s -> inputRow(s).equals("one>"));
        bobsTurn.get(30, TimeUnit.SECONDS); // alice's line is said (asynchronously): then it is bob's turn
        bobInTwo.say("unread in two").join();
        screen.await("one unread message in two", s -> s.statusRow().contains("2:two(1)"));
        assertTrue(bobInTwo.history().stream().anyMatch(m -> m.text().equals("said in two")), "text typed in window two went to two");
        screen.type("\u001b2");
        screen.await("the message in two, read", s -> s.rows().stream().anyMatch(r -> r.endsWith("bob: unread in two"))
                && s.statusRow().contains("[2:two") && !s.statusRow().contains("two(1)"));
    }

    @Test
    void afterMatchThePromptNamesThePairRoom() throws Exception {
        VirtualScreen screen = new VirtualScreen(120, 30);
        chat(screen, connect("alice"), Target.room("waiting-room"), plain());
        ready(screen, "waiting-room");
        screen.type("/match\r");
        screen.awaitText("looking for a partner");
        RoomHandle pair = connect("bob").match().join();
        screen.await("the prompt naming the pair room", s -> inputRow(s).equals(pair.name() + ">"));
        screen.await("the pair room in the status", s -> s.statusRow().startsWith(" " + pair.name() + " | "));
    }

    @Test
    void controlSequencesFromTheWireAreShownAsTextNeverSent() throws Exception {
        VirtualScreen screen = new VirtualScreen(120, 30);
        Chat chat = chat(screen, connect("alice"), Target.room("safe"), plain());
        ready(screen, "safe");
        int mark = screen.written().length();
        RoomHandle room = stubRoom("safe");
        // Straight to the listener: the server refuses such text, but a client must not rely on it.
        chat.screen().onSaid(room, new dev.hotpochato.client.Message("safe", "eve\u001b[2J",
                "\u001b]2;pwned\u0007 then \u001b[2J and \u009b2J", java.time.Instant.now(), 7));
        chat.screen().onMemberJoined(room, "mallory\u001b]0;x\u0007");
        screen.awaitText("mallory^[]0;x^G joined");
        screen.awaitText("eve^[[2J: ^[]2;pwned^G then ^[[2J and <U+009B>2J");
        String sent = screen.written().substring(mark);
        assertFalse(sent.contains("\u001b]"), "an OSC sequence reached the terminal");
        assertFalse(sent.contains("\u001b[2J"), "a clear-screen reached the terminal");
        assertFalse(sent.contains("\u0007"), "a BEL from the wire reached the terminal");
        assertFalse(sent.contains("\u009b"), "a C1 CSI reached the terminal");
    }

    /** A room handle that only knows its name: enough to feed a listener by hand. */
    private static RoomHandle stubRoom(String name) {
        return (RoomHandle) java.lang.reflect.Proxy.newProxyInstance(RoomHandle.class.getClassLoader(),
                new Class<?>[] {RoomHandle.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> name;
                    case "isPrivate", "isOpen" -> false;
                    case "members" -> List.of();
                    case "turn" -> java.util.Optional.empty();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> null;
                });
    }

    @Test
    void roomsShowsWhichRoomsAreQueuedOrModerated() throws Exception {
        VirtualScreen screen = new VirtualScreen(160, 30);
        chat(screen, connect("alice"), Target.room("listing-rr"), plain());
        ready(screen, "listing-rr");
        connect("bob").join("listing-queue", JoinOptions.builder()
                .policy(dev.hotpochato.client.TurnPolicy.QUEUE).build()).join();
        connect("carol").join("listing-mod", JoinOptions.builder()
                .policy(dev.hotpochato.client.TurnPolicy.MODERATED).build()).join();
        screen.type("/rooms\r");
        screen.awaitText("listing-mod (1 member, moderated)");
        screen.awaitText("listing-queue (1 member, queue)");
        screen.awaitText("listing-rr (1 member)");
    }

    @Test
    void createUsesTheTurnTimeoutTheClientWasGiven() throws Exception {
        VirtualScreen screen = new VirtualScreen(160, 30);
        ScreenOptions minute = new ScreenOptions(null, null, true,
                JoinOptions.builder().turnTimeout(Duration.ofSeconds(60)).build(), Clock.systemDefaultZone(), null, true);
        chat(screen, connect("alice"), Target.room("tt-lobby"), minute);
        ready(screen, "tt-lobby");
        screen.type("/create tt-panel queue\r");
        screen.awaitText("you joined tt-panel");
        RoomHandle bob = connect("bob").join("tt-panel").join();
        assertEquals(Duration.ofSeconds(60), bob.turnTimeout().orElseThrow());
    }

    @Test
    void aChairStepsDownWithStepdown() throws Exception {
        VirtualScreen screen = new VirtualScreen(160, 30);
        chat(screen, connect("alice"), Target.room("sd-lobby"), plain());
        ready(screen, "sd-lobby");
        screen.type("/create sd-panel moderated\r");
        screen.awaitText("you joined sd-panel");
        connect("bob").join("sd-panel").join();
        screen.awaitText("bob joined");
        screen.type("/stepdown\r");
        screen.awaitText("you stepped down as chair");
        assertTrue(screen.rows().stream().noneMatch(r -> r.contains("unknown command")), screen::toString);
    }

    @Test
    void aRoomThatEndedByItsRuleIsNotPromisedBack() throws Exception {
        VirtualScreen screen = new VirtualScreen(200, 30);
        chat(screen, connect("alice"), Target.room("end-lobby"), plain());
        ready(screen, "end-lobby");
        screen.type("/create end-short queue 1\r");
        screen.awaitText("you joined end-short");
        screen.type("/hand\r");
        screen.await("alice's floor", s -> s.statusRow().contains("YOUR TURN"));
        screen.type("the only turn\r");
        screen.await("the room ended", s -> s.rows().stream().anyMatch(r -> r.contains("end-short closed:")));
        String closed = screen.rows().stream().filter(r -> r.contains("end-short closed:")).findFirst().orElseThrow();
        assertTrue(closed.endsWith("(/leave closes this window)"), closed);
    }

    @Test
    void aQueuedRoomOfOneSaysHowToGetTheFloorRatherThanWaitingForSomeone() throws Exception {
        VirtualScreen screen = new VirtualScreen(160, 30);
        chat(screen, connect("alice"), Target.room("idle-lobby"), plain());
        ready(screen, "idle-lobby");
        screen.type("/create idle-standup queue\r");
        screen.awaitText("you joined idle-standup (alice); the floor is free: /hand to speak");
        screen.await("the status says so too", s -> s.statusRow().contains("idle-standup | the floor is free: /hand to speak"));
    }

    @Test
    void meIsShownAsAnAction() throws Exception {
        VirtualScreen screen = new VirtualScreen(120, 30);
        chat(screen, connect("alice"), Target.room("acting"), plain());
        ready(screen, "acting");
        connect("bob").join("acting").join();
        screen.await("alice's turn", s -> s.statusRow().contains("YOUR TURN"));
        screen.type("/me waves\r");
        screen.await("the action", s -> s.rows().stream().anyMatch(r -> r.matches("\\d\\d:\\d\\d:\\d\\d \\* alice waves")));
    }

    @Test
    void nickSaysWhyNamesAreFixed() throws Exception {
        VirtualScreen screen = new VirtualScreen(200, 30);
        chat(screen, connect("alice"), Target.room("naming"), plain());
        ready(screen, "naming");
        screen.type("/nick alicia\r");
        screen.awaitText("run again with --name alicia");
    }

    @Test
    void tabCompletesCommandsAndNames() throws Exception {
        VirtualScreen screen = new VirtualScreen(120, 30);
        chat(screen, connect("alice"), Target.room("completing"), plain());
        ready(screen, "completing");
        connect("bobby").join("completing").join();
        screen.awaitText("bobby joined");
        screen.type("/jo\t");
        screen.await("the command completed", s -> inputRow(s).equals("completing> /join"));
        screen.type("\u0015bo\t");
        screen.await("the name completed", s -> inputRow(s).equals("completing> bobby:"));
    }

    @Test
    void inputHistoryIsKeptAcrossRuns(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path history = dir.resolve("state/hotpochato/history");
        ScreenOptions options = new ScreenOptions(history, null, true, JoinOptions.defaults(), Clock.systemDefaultZone(), null, true);
        VirtualScreen first = new VirtualScreen(100, 20);
        Chat run1 = chat(first, connect("alice"), Target.room("remembering"), options);
        ready(first, "remembering");
        first.type("remember me\r");
        first.awaitText("(draft 1, said on your turn) remember me");
        first.type("/quit\r");
        assertEquals(ExitCode.DONE, run1.exit().get(10, TimeUnit.SECONDS));
        assertTrue(java.nio.file.Files.readString(history).contains("remember me"));

        VirtualScreen second = new VirtualScreen(100, 20);
        chat(second, connect("alice2"), Target.room("remembering2"), options);
        ready(second, "remembering2");
        second.type("\u001bOA"); // Up, as a terminal in keypad mode sends it
        second.await("the last line of the last run", s -> inputRow(s).equals("remembering2> /quit"));
        second.type("\u001bOA");
        second.await("the line before it", s -> inputRow(s).equals("remembering2> remember me"));
    }

    @Test
    void eachRoomCanHaveItsOwnChatLog(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        ScreenOptions options = new ScreenOptions(null, dir, true, JoinOptions.defaults(), Clock.systemDefaultZone(), null, true);
        VirtualScreen screen = new VirtualScreen(100, 20);
        chat(screen, connect("alice"), Target.room("logged"), options);
        ready(screen, "logged");
        connect("bob").join("logged").join();
        screen.await("alice's turn", s -> s.statusRow().contains("YOUR TURN"));
        screen.type("for the record\r");
        screen.await("said", s -> s.rows().stream().anyMatch(r -> r.endsWith("alice: for the record")));
        Path log = dir.resolve("logged.log");
        screen.await("the line logged", s -> {
            try {
                return java.nio.file.Files.readString(log).contains("alice: for the record");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        List<String> lines = java.nio.file.Files.readAllLines(log);
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d alice: for the record")),
                lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d \\* bob joined")),
                lines::toString);
    }

    @Test
    void aServerRestartOpensANewSessionThatRejoinsEachRoomSayingSoInOneLineEach() throws Exception {
        HotPochatoServer first = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .turnTimeout(Duration.ofMinutes(5)).shutdownTimeout(Duration.ofSeconds(2)).build());
        int port = first.port();
        HotPochatoServer second = null;
        try {
            Session alice = HotPochatoClient.connect(ClientOptions.builder("alice").host("127.0.0.1").port(port)
                    .autoRejoin(true).build()).join();
            cleanup.add(alice);
            VirtualScreen screen = new VirtualScreen(120, 30);
            chat(screen, alice, Target.room("restart-a"), plain());
            ready(screen, "restart-a");
            screen.type("/join restart-b\r");
            ready(screen, "restart-b");
            Session bob = HotPochatoClient.connect(ClientOptions.builder("bob").host("127.0.0.1").port(port)
                    .autoRejoin(true).build()).join();
            cleanup.add(bob);
            RoomHandle bobInB = bob.join("restart-b").join();
            // Whoever rejoins first gets the first turn in the new room: bob passes his, so alice's line goes out.
            bobInB.onMyTurn(turn -> turn.pass());

            first.close();
            screen.awaitText("reconnecting");
            second = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(port)
                    .turnTimeout(Duration.ofMinutes(5)).shutdownTimeout(Duration.ofSeconds(2)).build());
            screen.awaitText("the server no longer knew this session");
            screen.awaitText("rejoined restart-b");
            screen.await("one line for the room in view", s -> s.rows().stream().filter(r -> r.contains("rejoined")).count() == 1);
            screen.type("\u001b1");
            screen.await("window one", s -> inputRow(s).startsWith("restart-a>"));
            screen.awaitText("rejoined restart-a");

            // The new session works: what alice types in restart-b reaches bob, who is back there too.
            screen.type("\u001b2");
            screen.await("window two", s -> inputRow(s).startsWith("restart-b>"));
            screen.type("after the restart\r");
            screen.await("alice's text said", s -> s.rows().stream().anyMatch(r -> r.endsWith("alice: after the restart")));
            screen.await("bob hearing it", s -> bobInB.history().stream().anyMatch(m -> m.text().equals("after the restart")));
        } finally {
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }

    @Test
    void aServerThatDoesNotComeBackEndsTheSessionAfterReconnectForWithExitCodeSix() throws Exception {
        HotPochatoServer doomed = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2)).build());
        try {
            Session alice = HotPochatoClient.connect(ClientOptions.builder("alice").host("127.0.0.1").port(doomed.port())
                    .autoRejoin(true).build()).join();
            cleanup.add(alice);
            VirtualScreen screen = new VirtualScreen(100, 20);
            ScreenOptions giveUpSoon = new ScreenOptions(null, null, true, JoinOptions.defaults(),
                    Clock.systemDefaultZone(), Duration.ofMillis(500), true);
            Chat chat = chat(screen, alice, Target.room("doomed"), giveUpSoon);
            ready(screen, "doomed");

            doomed.close(); // says SERVER_SHUTTING_DOWN, then no server answers at that port again
            screen.awaitText("reconnecting");
            screen.awaitText("gave up reconnecting after 1 s; press Enter to exit");
            screen.type("\r");
            assertEquals(ExitCode.SERVER_SHUT_DOWN, chat.exit().get(20, TimeUnit.SECONDS), screen::toString);
            alice.closeFuture().get(20, TimeUnit.SECONDS); // the client closed the session as it gave up
        } finally {
            doomed.close();
        }
    }
}
