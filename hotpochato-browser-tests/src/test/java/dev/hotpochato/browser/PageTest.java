package dev.hotpochato.browser;

import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.Session;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.terminal.TerminalCommand;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web page in a real browser, against a real server, beside the other clients people use: two
 * browsers, the terminal client in scripted mode, the client library and raw protocol clients. One
 * server and two browsers serve the whole class; each test uses rooms and names of its own.
 */
class PageTest {

    private static HotPochatoServer server;
    private static InetSocketAddress tcp;
    private static Chromium first;
    private static Chromium second;
    private static final AtomicInteger RUN = new AtomicInteger();

    private ChatPage alice;
    private ChatPage bob;
    private String id;
    private final List<AutoCloseable> closing = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        Chromium.require();
        server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0).httpPort(0)
                .resumeGrace(Duration.ofSeconds(30)).build());
        tcp = new InetSocketAddress("127.0.0.1", server.port());
        first = Chromium.start(1100, 760);
        second = Chromium.start(1100, 760);
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable c : new AutoCloseable[] {first, second, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // closing everything regardless
            }
        }
    }

    @BeforeEach
    void pages() {
        id = String.valueOf(RUN.incrementAndGet());
        first.driver.manage().window().setSize(new Dimension(1100, 760));
        alice = new ChatPage(first.driver, server.webUrl()).open();
        bob = new ChatPage(second.driver, server.webUrl()).open();
    }

    @org.junit.jupiter.api.AfterEach
    void closeClients() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private TestClient raw(String name) throws InterruptedException {
        TestClient c = TestClient.hello(tcp, name);
        closing.add(c);
        return c;
    }

    @Test
    void twoBrowsersTakeTurnsInARoom() {
        String room = "tea-" + id;
        alice.join("alice", room);
        bob.join("bob", room);
        alice.awaitMyTurn();
        assertEquals(List.of("alice *", "bob"), bob.members(), "turn order, the holder highlighted");
        assertFalse(bob.myTurn());

        alice.enter("hello bob");
        bob.awaitSaid("alice: hello bob");
        bob.awaitMyTurn();
        assertEquals(List.of("alice", "bob *"), alice.members());
        bob.enter("hi alice, your move");
        alice.awaitSaid("bob: hi alice, your move");
        alice.awaitMyTurn();
        alice.enter("and round we go");
        bob.awaitSaid("alice: and round we go");
        bob.awaitMyTurn();

        List<String> conversation = List.of("alice: hello bob", "bob: hi alice, your move", "alice: and round we go");
        assertEquals(conversation, alice.said());
        assertEquals(conversation, bob.said(), "both pages show the same conversation in the same order");
        assertTrue(bob.system().contains("you joined " + room));
        assertTrue(alice.system().contains("bob joined"));
    }

    @Test
    void aLineTypedOutOfTurnWaitsForTheTurnAndAForcedSayIsRefusedByTheServer() {
        String room = "queue-" + id;
        // Keep hold of the page's own socket, to bypass the page's rules later.
        bob.script("const send = WebSocket.prototype.send;"
                + "WebSocket.prototype.send = function (data) { window.capturedSocket = this; return send.call(this, data); };");
        alice.join("alice", room);
        bob.join("bob", room);
        alice.awaitMyTurn();

        bob.enter("me first!");
        bob.waitUntil("the line is queued", () -> bob.el("queue").getText().contains("me first!"));
        assertEquals("", bob.el("input").getAttribute("value"));
        assertFalse(bob.el("pass").isEnabled(), "no passing a turn that is not yours");
        assertEquals("Queue", bob.el("send").getText());

        // Forced: the page's own connection sends a Say out of turn.
        bob.script("window.capturedSocket.send(JSON.stringify({requestId: '9999', say: {room: arguments[0], text: 'forced'}}));",
                room);
        bob.waitUntil("the server's refusal is shown", () -> bob.lines().stream()
                .anyMatch(l -> l.kind().equals("error") && l.text().contains("alice holds the floor")));

        alice.enter("go ahead");
        bob.awaitSaid("bob: me first!"); // sent by itself once the turn came
        alice.awaitSaid("bob: me first!");
        assertEquals(List.of("alice: go ahead", "bob: me first!"), alice.said(), "nothing forced reached anyone");
        assertEquals("", bob.el("queue").getText());
    }

    @Test
    void aBrowserAndTheScriptedTerminalClientConverseInOneRoom() throws Exception {
        String room = "terminal-" + id;
        alice.join("alice", room);
        PipedOutputStream script = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(script);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        script.write("hi from the terminal\nsecond from the terminal\n".getBytes(StandardCharsets.UTF_8));
        script.flush();
        CompletableFuture<Integer> terminal = CompletableFuture.supplyAsync(() -> TerminalCommand.run(
                new String[] {"--host", "127.0.0.1", "--port", String.valueOf(server.port()), "--name", "term",
                        "--room", room}, in, out, out, false));
        alice.awaitSystem("term joined");
        alice.awaitMyTurn();
        alice.enter("hello terminal");
        alice.awaitSaid("term: hi from the terminal");
        alice.awaitMyTurn();
        alice.enter("and hello again");
        alice.awaitSaid("term: second from the terminal");
        script.close(); // end of the script: the terminal client leaves when its turn comes round again
        alice.awaitMyTurn();
        alice.enter("bye terminal");
        alice.awaitSystem("term left");
        assertEquals(0, terminal.get(30, TimeUnit.SECONDS));

        List<String> conversation = List.of("alice: hello terminal", "term: hi from the terminal",
                "alice: and hello again", "term: second from the terminal", "alice: bye terminal");
        assertEquals(conversation, alice.said());
        List<String> seenByTerminal = printed.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("said\t"))
                .map(l -> l.split("\t", 4))
                .map(f -> f[2] + ": " + f[3])
                .toList();
        assertEquals(conversation, seenByTerminal, "the terminal saw the same words in the same order");
    }

    @Test
    void aBrowserIsPairedWithALibraryBot() throws Exception {
        alice.type("name", "alice");
        alice.el("match").click();
        alice.waitUntil("waiting for a partner", () -> alice.el("matching").isDisplayed());
        Session bot = HotPochatoClient.connect("127.0.0.1", server.port(), "bot" + id).get(10, TimeUnit.SECONDS);
        closing.add(bot);
        RoomHandle pair = bot.match().get(10, TimeUnit.SECONDS);
        pair.onMyTurn(turn -> turn.say("bot heard: " + turn.lastHeard().map(Message::text).orElse("nothing")));

        alice.waitUntil("the private room is shown", () -> alice.el("chat").isDisplayed());
        assertEquals("Private room with bot" + id, alice.el("room-title").getText());
        alice.awaitMyTurn(); // the one who asked first speaks first
        alice.enter("hi bot");
        alice.awaitSaid("bot" + id + ": bot heard: hi bot");
        assertTrue(pair.isPrivate());
    }

    @Test
    void aHostileNameAndTextAreShownAsTextAndNeverRun() throws Exception {
        String room = "hostile-" + id;
        String name = "<img src=x onerror=pwn(1)>";
        TestClient mallory = raw(name);
        mallory.join(room);
        mallory.expect(ServerFrame.BodyCase.JOINED);
        alice.script("window.pwned = false; window.pwn = () => { window.pwned = true; };");
        alice.join("alice", room);
        mallory.await(ServerFrame::hasTurnGranted);
        String text = "<script>pwn(2)</script><b>bold?</b> <img src=x onerror=\"pwn(3)\"> &amp; \u202Eevil";
        mallory.say(room, text);
        alice.awaitSaid(name + ": " + text);
        assertEquals(0L, alice.script("return document.querySelectorAll('#transcript script, #transcript img, "
                + "#transcript b, #members img').length;"), "no element made from what others sent");
        assertEquals(Boolean.FALSE, alice.script("return window.pwned;"));
        assertTrue(alice.members().contains(name), alice.members().toString());
    }

    @Test
    void theKeyboardAloneIsEnough() throws Exception {
        String room = "keys-" + id;
        TestClient carol = raw("carol");
        carol.join(room);
        carol.expect(ServerFrame.BodyCase.JOINED);
        // The page opens with the cursor in the name field: type, Tab, type, Enter.
        Actions keys = new Actions(alice.driver);
        keys.sendKeys("alice").sendKeys(Keys.TAB)
                .keyDown(Keys.CONTROL).sendKeys("a").keyUp(Keys.CONTROL).sendKeys(room).sendKeys(Keys.ENTER).perform();
        alice.waitUntil("the room is shown", () -> alice.el("chat").isDisplayed());
        assertEquals("input", alice.driver.switchTo().activeElement().getAttribute("id"), "the cursor is in the composer");
        carol.await(ServerFrame::hasTurnGranted);
        carol.say(room, "your turn, keyboard user");
        alice.awaitMyTurn();
        new Actions(alice.driver).sendKeys("typed and sent with Enter").sendKeys(Keys.ENTER).perform();
        carol.await(f -> f.hasSaid() && f.getSaid().getSpeaker().equals("alice"));
        carol.await(ServerFrame::hasTurnGranted);
        carol.say(room, "again");
        alice.awaitMyTurn();
        // Tab from the composer reaches Send, then Pass; Space presses it.
        new Actions(alice.driver).sendKeys(Keys.TAB).sendKeys(Keys.TAB).perform();
        assertEquals("pass", alice.driver.switchTo().activeElement().getAttribute("id"));
        new Actions(alice.driver).sendKeys(Keys.SPACE).perform();
        alice.awaitSystem("you passed");
    }

    @Test
    void aPhoneSizedScreenShowsEverythingWithoutSidewaysScrolling() throws Exception {
        first.driver.manage().window().setSize(new Dimension(390, 844));
        String room = "phone-" + id;
        TestClient carol = raw("carol");
        carol.join(room);
        carol.expect(ServerFrame.BodyCase.JOINED);
        alice.join("alice", room);
        carol.await(ServerFrame::hasTurnGranted);
        carol.say(room, "a fairly long line, to see that it wraps on a narrow screen rather than push the page sideways");
        alice.awaitMyTurn();
        assertEquals(Boolean.TRUE, alice.script("return document.documentElement.scrollWidth <= window.innerWidth;"),
                "no sideways scrolling");
        for (String id : List.of("input", "send", "pass", "turn", "members", "leave")) {
            WebElement e = alice.el(id);
            assertTrue(e.isDisplayed(), id);
            assertEquals(Boolean.TRUE, alice.script("const r = arguments[0].getBoundingClientRect();"
                    + " return r.top >= 0 && r.left >= 0 && r.bottom <= window.innerHeight && r.right <= window.innerWidth;", e),
                    id + " is on the screen");
        }
    }

    @Test
    void yourTurnIsPlainToSeeHearAndAnnounce() throws Exception {
        String room = "attention-" + id;
        TestClient carol = raw("carol");
        carol.join(room);
        carol.expect(ServerFrame.BodyCase.JOINED);
        alice.join("alice", room);
        carol.await(ServerFrame::hasTurnGranted);
        assertFalse(alice.driver.getTitle().contains("Your turn"));
        assertTrue(alice.el("favicon").getAttribute("href").endsWith("/favicon.svg"));
        assertTrue(alice.el("turn-text").getText().startsWith("carol's turn"));

        carol.say(room, "over to you");
        alice.awaitMyTurn();
        assertTrue(alice.driver.getTitle().startsWith("● Your turn — " + room), alice.driver.getTitle());
        assertTrue(alice.el("favicon").getAttribute("href").endsWith("/favicon-turn.svg"));
        assertTrue(alice.el("announcer").getText().startsWith("Your turn in " + room), alice.el("announcer").getText());
        assertEquals("assertive", alice.el("announcer").getAttribute("aria-live"));
        assertTrue(alice.el("turn-text").getText().matches("Your turn · \\d+ s left"), alice.el("turn-text").getText());
        assertEquals("log", alice.el("transcript").getAttribute("role"));
    }

    @Test
    void joinsLeavesAwayBackSkippedAndExpiredTurnsAreSystemLinesApartFromSpeech() throws Exception {
        String room = "events-" + id;
        TestClient dan = TestClient.connect(tcp);
        closing.add(dan);
        dan.hello("dan", "");
        dan.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room)
                .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(3000))));
        dan.expect(ServerFrame.BodyCase.JOINED);
        alice.join("alice", room);
        alice.awaitSystem("dan's turn expired");   // dan held the first turn and let it run out
        alice.awaitMyTurn();
        alice.enter("said, not a system line");
        dan.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("dan"));
        long danSaw = dan.lastSeq(room);
        dan.close();
        alice.awaitSystem("dan is away");
        // Alone with an away member, alice gets every turn; one may run out before the click lands.
        alice.waitUntil("alice has passed", () -> {
            if (alice.myTurn() && alice.el("pass").isEnabled()) {
                alice.el("pass").click();
            }
            return alice.system().contains("you passed");
        });
        alice.awaitSystem("dan is away: turn skipped");
        TestClient back = TestClient.resume(tcp, dan, Map.of(room, danSaw));
        closing.add(back);
        alice.awaitSystem("dan is back");
        back.await(ServerFrame::hasMemberBack);
        back.send(ClientFrame.newBuilder().setLeave(dev.hotpochato.protocol.v1.Leave.newBuilder().setRoom(room)));
        alice.awaitSystem("dan left");

        List<ChatPage.Line> lines = alice.lines();
        assertEquals(List.of("alice: said, not a system line"), alice.said());
        for (String system : List.of("dan's turn expired", "dan is away", "you passed", "dan is away: turn skipped",
                "dan is back", "dan left")) {
            assertTrue(lines.stream().anyMatch(l -> l.kind().equals("system") && l.text().equals(system)), system);
        }
        assertTrue(alice.system().indexOf("dan is away") < alice.system().indexOf("dan is back"));
    }

    /**
     * The screenshot in docs/: three people mid-conversation. Written to target/ on every run, and
     * to the path in {@code -Dhotpochato.screenshot} when given (see docs/web.md).
     */
    @Test
    void screenshotMidConversation() throws Exception {
        first.driver.manage().window().setSize(new Dimension(1000, 720));
        String room = "book-club";
        alice.join("alice", room);
        bob.join("bob", room);
        TestClient carol = raw("carol");
        carol.join(room);
        carol.expect(ServerFrame.BodyCase.JOINED);
        alice.awaitMyTurn();
        alice.enter("Shall we start with chapter three?");
        bob.awaitMyTurn();
        bob.enter("Yes! The storm scene still gives me chills.");
        carol.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("carol"));
        carol.say(room, "Same. But why does she never open the letter?");
        alice.awaitMyTurn();
        alice.enter("I think she already knows what it says.");
        bob.awaitMyTurn();
        bob.el("pass").click();
        carol.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("carol"));
        carol.say(room, "Ooh. Then the ending reads completely differently.");
        alice.awaitMyTurn();
        alice.el("input").sendKeys("Exactly, that is the twist");
        alice.waitUntil("the conversation is shown", () -> alice.said().size() == 5);

        byte[] png = alice.driver.getScreenshotAs(OutputType.BYTES);
        Path target = Path.of("target", "web-screenshot.png");
        Files.createDirectories(target.getParent());
        Files.write(target, png);
        String docs = System.getProperty("hotpochato.screenshot");
        if (docs != null && !docs.isBlank()) {
            Files.write(Path.of(docs), png);
        }
        assertTrue(png.length > 10_000, "a real picture");
    }

    @Test
    void aServerThatRequiresATokenRefusesThePageWithoutItAndAdmitsItWithIt() throws Exception {
        try (HotPochatoServer guarded = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1")
                .port(0).httpPort(0)
                .authenticator((name, token, from) -> CompletableFuture.completedFuture("s3cret".equals(token)))
                .build())) {
            ChatPage page = new ChatPage(first.driver, guarded.webUrl()).open();
            page.type("name", "alice");
            page.type("room", "vault");
            page.el("join").click();
            page.waitUntil("the refusal is shown", () -> page.el("lobby-error").getText().equals("authentication failed"));
            assertFalse(page.el("chat").isDisplayed());
            page.el("token").findElement(org.openqa.selenium.By.xpath("..")).findElement(
                    org.openqa.selenium.By.tagName("summary")).click();
            page.type("token", "s3cret");
            page.el("join").click();
            page.waitUntil("the room is shown", () -> page.el("chat").isDisplayed());
            assertEquals("", page.script("return document.cookie;"), "no cookie");
        }
    }

    @Test
    void leavingReturnsToTheLobbyWhereThePublicRoomsAreListed() throws Exception {
        String room = "listed-" + id;
        TestClient carol = raw("carol");
        carol.join(room);
        carol.expect(ServerFrame.BodyCase.JOINED);
        alice.join("alice", room);
        alice.el("leave").click();
        alice.waitUntil("the lobby is shown", () -> alice.el("lobby").isDisplayed());
        carol.await(f -> f.hasMemberLeft() && f.getMemberLeft().getName().equals("alice"));
        alice.waitUntil("the room is listed", () -> alice.el("room-list").getText().contains(room));
        String entry = alice.el("room-list").getText();
        assertTrue(entry.contains("1 member"), entry);
        assertFalse(alice.el("chat").isDisplayed());
    }
}
