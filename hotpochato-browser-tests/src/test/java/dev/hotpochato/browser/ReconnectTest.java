package dev.hotpochato.browser;

import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.testing.CuttableProxy;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The page keeps a conversation whole across a broken network: it reconnects by itself, resumes
 * its session, and shows every line said meanwhile exactly once. The browser reaches the server
 * through a proxy the test can cut or freeze; the other member talks to the server directly.
 */
class ReconnectTest {

    private static HotPochatoServer server;
    private static InetSocketAddress tcp;
    private static Chromium browser;
    private static int run;

    private CuttableProxy proxy;
    private ChatPage alice;
    private TestClient bob;
    private String room;

    @BeforeAll
    static void start() throws Exception {
        Chromium.require();
        // A 3 s idle timeout makes the heartbeat 1 s, so a dead connection is noticed in about 2 s.
        server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0).httpPort(0)
                .idleTimeout(Duration.ofSeconds(3)).resumeGrace(Duration.ofSeconds(60)).build());
        tcp = new InetSocketAddress("127.0.0.1", server.port());
        browser = Chromium.start(1000, 700);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void meet() throws Exception {
        room = "net-" + ++run;
        proxy = new CuttableProxy(server.webAddress());
        alice = new ChatPage(browser.driver, "http://127.0.0.1:" + proxy.port() + "/").open();
        alice.join("alice", room);
        bob = TestClient.hello(tcp, "bob");
        bob.keepAlive(Duration.ofMillis(500));
        bob.join(room);
        await(bob, "the first turn", ServerFrame::hasTurnGranted);
        alice.awaitMyTurn();
        alice.enter("before the break");
        awaitSaid(bob, "alice", "before the break");
        await(bob, "bob's turn", f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("bob"));
    }

    @AfterEach
    void part() throws Exception {
        bob.close();
        proxy.close();
    }

    @Test
    void aDroppedConnectionIsResumedAndNothingSaidMeanwhileIsMissedOrDoubled() throws Exception {
        proxy.cut();
        await(bob, "alice away", f -> f.hasMemberAway() && f.getMemberAway().getName().equals("alice"));
        alice.waitUntil("the page says it is reconnecting", () -> "reconnecting".equals(alice.connection())
                && alice.el("banner").isDisplayed());
        List<String> meanwhile = new ArrayList<>();
        for (int i = 1; i <= 3; i++) { // alice is away: every turn comes back to bob
            String line = "while you were away " + i;
            bob.say(room, line);
            meanwhile.add("bob: " + line);
            await(bob, "bob's turn", f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("bob"));
        }
        proxy.restore();
        alice.waitUntil("the page is connected again", () -> "open".equals(alice.connection()));
        alice.awaitSystem("you are back");
        assertTrue(!alice.el("banner").isDisplayed());
        await(bob, "alice back", ServerFrame::hasMemberBack);

        bob.say(room, "welcome back");
        alice.awaitMyTurn();
        alice.enter("thanks, I saw it all");
        awaitSaid(bob, "alice", "thanks, I saw it all");

        List<String> expected = new ArrayList<>(List.of("alice: before the break"));
        expected.addAll(meanwhile);
        expected.addAll(List.of("bob: welcome back", "alice: thanks, I saw it all"));
        assertEquals(expected, alice.said(), "every line once, in order");
    }

    @Test
    void aLaptopThatSleptNoticesItsDeadConnectionResumesAndResendsWhatWasLost() throws Exception {
        bob.say(room, "your turn");
        alice.awaitMyTurn();
        proxy.freeze(); // the connection is dead, and nobody says so
        alice.enter("lost in the void");
        // The page hears nothing back, gives the connection up, and resumes on a new one; the server
        // takes the session over from the connection it still thought alive.
        await(bob, "alice away", f -> f.hasMemberAway() && f.getMemberAway().getName().equals("alice"));
        await(bob, "alice back", f -> f.hasMemberBack() && f.getMemberBack().getName().equals("alice"));
        alice.waitUntil("the page is connected again", () -> "open".equals(alice.connection()));
        alice.waitUntil("the lost line is queued again", () -> alice.el("queue").getText().contains("lost in the void"));

        // The turn passed to bob when alice went away; when it is hers again the line goes out, once.
        bob.say(room, "go on");
        awaitSaid(bob, "alice", "lost in the void");
        await(bob, "bob's turn", f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("bob"));
        bob.say(room, "got it");
        alice.awaitSaid("bob: got it");
        List<String> said = alice.said();
        assertEquals(1, said.stream().filter(l -> l.equals("alice: lost in the void")).count(), said.toString());
        assertEquals(List.of("alice: before the break", "bob: your turn", "bob: go on", "alice: lost in the void",
                "bob: got it"), said);
    }

    private static void awaitSaid(TestClient c, String speaker, String text) throws InterruptedException {
        await(c, "'" + text + "' from " + speaker,
                f -> f.hasSaid() && f.getSaid().getSpeaker().equals(speaker) && f.getSaid().getText().equals(text));
    }

    /**
     * The next frame {@code c} reads that matches, within {@link ChatPage#TIMEOUT}. (Its keep-alive
     * Pongs keep arriving, so waiting frame by frame alone would never end.)
     */
    private static ServerFrame await(TestClient c, String what, Predicate<ServerFrame> match) throws InterruptedException {
        long deadline = System.nanoTime() + ChatPage.TIMEOUT.toNanos();
        List<ServerFrame> skipped = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            ServerFrame f = c.next();
            if (match.test(f)) {
                return f;
            }
            if (!f.hasPong()) {
                skipped.add(f);
            }
        }
        return fail(c + ": no " + what + " within " + ChatPage.TIMEOUT + "; skipped " + skipped);
    }
}
