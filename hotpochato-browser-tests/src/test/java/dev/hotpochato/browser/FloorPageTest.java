package dev.hotpochato.browser;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.RaiseHand;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.TurnPolicy;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The page's floor controls in a real browser (docs/web.md, "Raising a hand and chairing"):
 * creating a queued or moderated room, raising a hand, the raised hands in order, a chair who
 * grants, revokes and moves members, and the system lines every member sees.
 */
class FloorPageTest {

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

    @AfterEach
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
    void inAQueuedRoomTwoBrowsersRaiseHandsAndGetTheFloorInOrder() throws Exception {
        String room = "queue-" + id;
        // carol creates the queued room and holds the floor, so that both hands wait in the queue.
        TestClient carol = raw("carol");
        carol.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room)
                .setOptions(RoomOptions.newBuilder().setPolicy(TurnPolicy.QUEUE))));
        carol.expect(ServerFrame.BodyCase.JOINED);
        carol.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom(room)));
        carol.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("carol"));

        alice.join("alice", room);
        bob.join("bob", room);
        alice.waitUntil("the floor panel is shown", () -> alice.el("floor").isDisplayed());
        assertTrue(alice.el("floor-status").getText().contains("raise a hand (queue)"), alice.el("floor-status").getText());
        alice.press("hand");
        alice.waitUntil("alice's hand is up", () -> alice.hands().equals(List.of("alice: 1st · waiting")));
        bob.press("hand");
        List<String> queue = List.of("alice: 1st · waiting", "bob: 2nd · waiting");
        bob.waitUntil("both hands are up, in order", () -> bob.hands().equals(queue));
        alice.waitUntil("alice sees the same queue", () -> alice.hands().equals(queue));
        assertTrue(bob.el("floor-status").getText().contains("Your hand is up: 2 of 2"), bob.el("floor-status").getText());
        assertEquals(List.of("hand 2"), bob.tags("bob").subList(1, 2), "beside the name too: " + bob.tags("bob"));
        assertFalse(bob.el("withdraw").getAttribute("disabled") != null, "a raised hand may be withdrawn");
        assertTrue(alice.system().contains("bob raised a hand (2nd in the queue)"), alice.system().toString());

        carol.say(room, "done; next");
        alice.awaitMyTurn();
        assertFalse(bob.myTurn());
        bob.waitUntil("bob is first now", () -> bob.hands().equals(List.of("bob: 1st · waiting")));
        alice.enter("my turn came first");
        bob.awaitMyTurn();
        bob.enter("and mine second");
        alice.awaitSaid("bob: and mine second");
        alice.awaitSystem("the floor is free: raise a hand to speak");
        assertEquals(List.of(), alice.hands());
        assertEquals(List.of("carol: done; next", "alice: my turn came first", "bob: and mine second"), bob.said());
        assertEquals("The floor is free: raise a hand to speak", bob.el("turn-text").getText());
    }

    @Test
    void aBrowserChairGrantsAndRevokesTheFloorOfABrowserMember() {
        String room = "chaired-" + id;
        alice.join("alice", room, "MODERATED", false);
        bob.join("bob", room);
        alice.waitUntil("alice has the chair's controls", () -> alice.el("chair").isDisplayed());
        assertEquals(List.of("you", "chair"), alice.tags("alice"));
        assertFalse(bob.el("chair").isDisplayed(), "bob is no chair");
        bob.press("hand");
        alice.waitUntil("bob's hand reaches the chair", () -> alice.hands().equals(List.of("bob: 1st · waiting")));

        alice.chooseMember("bob");
        alice.type("chair-talk", "20");
        alice.press("grant");
        bob.awaitMyTurn();
        bob.awaitSystem("alice gave the floor to you for 20 s");
        alice.awaitSystem("alice gave the floor to bob for 20 s");
        bob.enter("thank you, chair");
        alice.awaitSaid("bob: thank you, chair");
        bob.waitUntil("one message a turn: saying it ends the turn",
                () -> !bob.myTurn());
        bob.awaitSystem("the floor is free: a chair gives it next");

        alice.chooseMember("bob");
        alice.press("grant");
        bob.awaitMyTurn();
        alice.type("chair-reason", "off topic <b>now</b>");
        alice.press("revoke");
        bob.awaitSystem("alice revoked your turn: off topic <b>now</b>");
        alice.awaitSystem("alice revoked bob's turn: off topic <b>now</b>");
        bob.waitUntil("bob's turn is over", () -> !bob.myTurn());
        assertTrue(bob.el("floor-status").getText().contains("Your last request: revoked by alice (off topic <b>now</b>)"),
                bob.el("floor-status").getText());
        assertEquals(0L, bob.script("return document.querySelectorAll('#transcript b').length;"),
                "the reason is text, never markup");

        // A chair's request the server refuses is shown to the chair.
        alice.press("revoke");
        alice.waitUntil("the refusal is shown", () -> alice.lines().stream()
                .anyMatch(l -> l.kind().equals("error") && l.text().contains("nobody holds the floor")));
    }

    @Test
    void anAudienceMemberRaisesAHandAndTheChairPromotesItToTheSpeakers() {
        String room = "stage-" + id;
        alice.join("alice", room);
        bob.join("bob", room, "ROUND_ROBIN", true);
        bob.waitUntil("bob is in the audience", () -> bob.tags("bob").contains("audience"));
        alice.waitUntil("alice sees bob in the audience", () -> alice.tags("bob").contains("audience"));
        alice.awaitMyTurn();
        alice.enter("talking to myself");
        alice.awaitMyTurn(); // bob listens: the rotation is alice alone
        assertTrue(bob.el("floor-status").getText().contains("You are in the audience"), bob.el("floor-status").getText());
        bob.press("hand");
        alice.waitUntil("bob's hand reaches the chair", () -> alice.hands().equals(List.of("bob: 1st · waiting")));

        alice.chooseMember("bob");
        alice.press("to-speakers");
        bob.awaitSystem("alice accepted your raised hand");
        bob.awaitSystem("you were moved to the speakers by alice");
        bob.waitUntil("bob is a speaker now", () -> !bob.tags("bob").contains("audience"));
        alice.enter("welcome to the stage");
        bob.awaitMyTurn();
        bob.enter("glad to be here");
        alice.awaitSaid("bob: glad to be here");
        alice.awaitMyTurn();
    }

    @Test
    void aChairMutesUnmutesAndRemovesAndEveryoneSeesIt() {
        String room = "moderation-" + id;
        alice.join("alice", room, "QUEUE", false);
        bob.join("bob", room);
        alice.chooseMember("bob");
        alice.press("mute");
        bob.awaitSystem("alice muted you");
        bob.waitUntil("a muted member cannot raise a hand", () -> !bob.el("hand").isEnabled());
        assertTrue(alice.tags("bob").contains("muted"));
        alice.press("unmute");
        bob.awaitSystem("alice unmuted you");
        alice.chooseMember("bob");
        alice.press("appoint");
        bob.awaitSystem("alice made bob a chair");
        bob.waitUntil("bob has the chair's controls", () -> bob.el("chair").isDisplayed());
        assertFalse(bob.el("grant").isDisplayed(), "a queued room's chair gives no floor: the queue does");
        bob.press("step-down");
        alice.awaitSystem("bob stepped down as chair");
        bob.waitUntil("bob's chair controls are gone", () -> !bob.el("chair").isDisplayed());
        alice.chooseMember("bob");
        alice.type("chair-reason", "time to go");
        alice.press("remove");
        bob.awaitSystem("you were removed by alice: time to go");
        alice.awaitSystem("bob was removed by alice: time to go");
        assertEquals("closed", bob.el("turn").getAttribute("data-state"));
    }

    @Test
    void aRoomCreatedWithTheFormsRulesHasThemShowsThemAndEndsByThem() throws Exception {
        String room = "rules-" + id;
        alice.type("name", "alice");
        alice.type("room", room);
        alice.el("new-room").findElement(By.tagName("summary")).click();
        alice.type("messages-per-turn", "101");
        assertEquals(Boolean.FALSE, alice.script("return document.getElementById('messages-per-turn').checkValidity();"),
                "the server's limit of 100 messages a turn, in the form");
        alice.type("messages-per-turn", "2");
        alice.type("stop-phrase", "   ");
        alice.el("join").click();
        alice.waitUntil("a blank stop phrase is refused before it is sent",
                () -> alice.el("lobby-error").getText().equals("A stop phrase cannot be only spaces."));
        alice.type("turn-seconds", "60");
        alice.type("warning-seconds", "10");
        alice.type("revoke-grace-seconds", "5");
        alice.type("end-turns", "2");
        alice.type("stop-phrase", "that is all");
        alice.el("join").click();
        alice.waitUntil("the room is shown", () -> alice.el("chat").isDisplayed());
        assertEquals("1 min a turn, warned 10 s before · 2 messages a turn · 5 s to finish after a revoke"
                + " · ends after 2 turns or when someone says “that is all”", alice.el("room-rules").getText());

        // What the server made of the form, as any member's Joined reports it.
        TestClient carol = raw("carol");
        carol.join(room);
        RoomOptions options = carol.expect(ServerFrame.BodyCase.JOINED).getJoined().getRoom().getOptions();
        assertEquals(60_000, options.getTurnTimeoutMs());
        assertEquals(2, options.getMessagesPerTurn());
        assertEquals(10_000, options.getWarningMs());
        assertEquals(5_000, options.getRevokeGraceMs());
        assertEquals(2, options.getEnd().getAfterTurns());
        assertEquals(0, options.getEnd().getAfterMs());
        assertEquals("that is all", options.getEnd().getStopPhrase());
        assertFalse(options.getEnd().getAll(), "OR, the default");

        alice.awaitMyTurn();
        alice.enter("one");
        alice.awaitSaid("alice: one");
        assertTrue(alice.myTurn(), "two messages a turn: the turn is still alice's");
        alice.enter("two");
        carol.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("carol"));
        carol.pass(room);
        alice.awaitSystem("the room ended after 2 turns"); // once: the reason names the rule
        assertEquals(List.of("alice: one", "alice: two"), alice.said());
    }

    @Test
    void thePublicRoomsSayWhichAreQueuedOrModerated() throws Exception {
        String room = "listed-" + id;
        TestClient carol = raw("carol");
        carol.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room)
                .setOptions(RoomOptions.newBuilder().setPolicy(TurnPolicy.MODERATED))));
        carol.expect(ServerFrame.BodyCase.JOINED);
        alice.type("name", "alice");
        alice.el("refresh-rooms").click();
        alice.waitUntil("the moderated room is listed as such", () -> "1 member · waiting · moderated (a chair gives the floor)"
                .equals(alice.script("const e = [...document.querySelectorAll('.room-entry')].find(b =>"
                        + " b.querySelector('.room-name').textContent === arguments[0]);"
                        + " return e ? e.querySelector('.room-about').textContent : null;", room)));
    }

    @Test
    void theChairsControlsFitAPhoneWithoutSidewaysScrolling() {
        first.driver.manage().window().setSize(new Dimension(390, 844));
        String room = "phone-" + id;
        alice.join("alice", room, "MODERATED", false);
        bob.join("a-rather-long-member-name-here", room);
        alice.chooseMember("a-rather-long-member-name-here");
        assertEquals(Boolean.TRUE, alice.script("return document.documentElement.scrollWidth <= window.innerWidth;"),
                "no sideways scrolling");
        for (String control : List.of("hand", "chair-member", "grant", "revoke", "remove", "input", "send")) {
            WebElement e = alice.el(control);
            alice.script("arguments[0].scrollIntoView({block: 'nearest'});", e);
            assertEquals(Boolean.TRUE, alice.script("const r = arguments[0].getBoundingClientRect();"
                    + " return r.left >= 0 && r.right <= window.innerWidth;", e), control + " fits the width");
        }
    }
}
