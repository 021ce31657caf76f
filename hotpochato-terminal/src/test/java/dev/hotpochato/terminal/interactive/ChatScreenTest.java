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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /** Runs the chat screen of {@code session} on {@code screen}, on its own thread, until /quit. */
    private CompletableFuture<ExitCode> chat(VirtualScreen screen, Session session, Target target, ScreenOptions options) {
        CompletableFuture<ExitCode> run = CompletableFuture.supplyAsync(
                () -> new ChatScreen(session, screen.terminal(), options).run(target));
        cleanup.add(screen);
        cleanup.add(() -> {
            if (!run.isDone()) {
                screen.type("\u0015/quit\r"); // Ctrl-U first: the editor may hold text

                run.get(10, TimeUnit.SECONDS);
            }
        });
        return run;
    }

    private static ScreenOptions plain() {
        return new ScreenOptions(null, null, true, JoinOptions.defaults(), Clock.systemDefaultZone());
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
        screen.awaitText("you joined resize");
        RoomHandle bob = connect("bob").join("resize").join();
        AtomicInteger answers = answerEveryTurn(bob);
        for (int i = 1; i <= 20; i++) {
            screen.await("alice's turn", s -> s.statusRow().contains("YOUR TURN"));
            screen.type((i == 10 ? "a long line " + "x".repeat(130) + " " : "") + "alice line " + i + "\r");
            int n = i;
            screen.await("bob's answer " + n, s -> s.rows().stream().anyMatch(r -> r.endsWith("bob: bob line " + n)));
        }
        screen.await("the screen full", s -> !s.rows().get(0).isBlank());

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
     * The status on the last row, the prompt on the row above with the cursor on it, and above that
     * the latest lines, in order, with none missing: each "alice line N" (or "after ...") is
     * followed by "bob line M" and the turn notice, and the bob lines count up by one.
     */
    private static void assertScreenIntact(VirtualScreen screen, String where) {
        List<String> rows = screen.rows();
        int h = rows.size();
        assertEquals(screen.height(), h);
        assertTrue(rows.get(h - 1).startsWith(" resize | YOUR TURN | "), where + ": status row\n" + screen);
        assertTrue(rows.get(h - 2).startsWith("resize>"), where + ": prompt row\n" + screen);
        assertEquals(h - 2, screen.cursorRow(), where + ": the cursor is on the prompt row\n" + screen);
        assertTrue(rows.get(h - 3).startsWith(">>> your turn"), where + ": latest line above the prompt\n" + screen);
        Pattern bobLine = Pattern.compile("\\d\\d:\\d\\d:\\d\\d bob: bob line (\\d+)");
        int lastBob = -1;
        for (int i = 0; i < h - 2; i++) {
            Matcher m = bobLine.matcher(rows.get(i));
            if (!m.matches()) {
                continue;
            }
            int n = Integer.parseInt(m.group(1));
            if (lastBob >= 0) {
                assertEquals(lastBob + 1, n, where + ": a line is missing before row " + i + "\n" + screen);
            }
            lastBob = n;
            if (i + 1 < h - 2) {
                assertTrue(rows.get(i + 1).startsWith(">>> your turn"), where + ": row " + (i + 1) + "\n" + screen);
            }
            if (i >= 1) {
                assertTrue(rows.get(i - 1).contains("alice: ") || rows.get(i - 1).matches("x+ alice line \\d+"),
                        where + ": row " + (i - 1) + "\n" + screen);
            }
        }
        assertTrue(lastBob > 0, where + ": no bob lines\n" + screen);
    }

    @Test
    void linesTypedOutOfTurnAreQueuedAsDraftsAndSaidOnePerTurn() throws Exception {
        VirtualScreen screen = new VirtualScreen(100, 30);
        Session alice = connect("alice");
        chat(screen, alice, Target.room("drafts"), plain());
        screen.awaitText("you joined drafts");
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
        screen.awaitText("you joined editing");
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
        screen.awaitText("you joined toolong");
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
        screen.awaitText("you joined helping");
        screen.type("/help\r");
        screen.awaitText("//text");
        screen.awaitText("Ctrl-N");
    }
}
