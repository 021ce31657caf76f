package dev.hotpochato.client;

import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.testing.CuttableProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A lost connection is reconnected and the session resumed, so that nothing is lost; or it gives up plainly. */
class ReconnectTest {

    private final List<AutoCloseable> resources = new ArrayList<>();
    private HotPochatoServer server;
    private CuttableProxy proxy;

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private void start(ServerOptions.Builder options) throws InterruptedException {
        server = HotPochatoServer.start(options.bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2)).build());
        resources.add(server::close);
        proxy = new CuttableProxy(server.localAddress());
        resources.add(proxy);
    }

    /** Connects through the proxy (cut by the test) when {@code viaProxy}, else straight to the server. */
    private Session connect(String name, boolean viaProxy, EventLog log) throws Exception {
        ClientOptions options = ClientOptions.builder(name).host("127.0.0.1")
                .port(viaProxy ? proxy.port() : server.port())
                .reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(100))
                .handshakeTimeout(Duration.ofSeconds(30)).build();
        Session s = Futures.await(HotPochatoClient.connect(options));
        if (log != null) {
            s.addListener(log);
        }
        resources.add(s::close);
        return s;
    }

    /** A member whose turn handler says {@code name-1}, {@code name-2}, ... up to {@code count}, once {@code go} completes. */
    private static void speaks(RoomHandle room, String name, int count, CompletableFuture<Void> go) {
        AtomicInteger said = new AtomicInteger();
        room.onMyTurn(turn -> go.thenRun(() -> {
            int n = said.incrementAndGet();
            if (n <= count) {
                turn.room().say(name + "-" + n);
            }
        }));
    }

    @Test
    void aCutConnectionIsResumedAndEveryMissedMessageArrivesOnceInOrder() throws Exception {
        start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(20)));
        EventLog aliceLog = new EventLog();
        EventLog carolLog = new EventLog();
        Session aliceSession = connect("alice", true, aliceLog);
        RoomHandle alice = Futures.await(aliceSession.join("r"));
        CompletableFuture<Void> go = new CompletableFuture<>();
        speaks(Futures.await(connect("bob", false, null).join("r")), "bob", 2, go);
        RoomHandle carol = Futures.await(connect("carol", false, carolLog).join("r"));
        speaks(carol, "carol", 2, go);
        aliceLog.awaitEvent("member-joined r carol");
        Futures.await(alice.say("hello")); // turn 1 was alice's; bob's turn now waits for go

        proxy.cut();
        carolLog.awaitEvent("member-away r alice");
        assertEquals(java.util.Set.of("alice"), carol.awayMembers());
        go.complete(null); // bob, carol, (alice skipped), bob, carol
        carolLog.awaitEvent("said r carol: carol-2");
        carolLog.awaitEvent("skipped r alice");
        proxy.restore();

        List<String> seen = aliceLog.until("member-back r alice");
        int reconnecting = seen.indexOf("reconnecting");
        int reconnected = seen.indexOf("reconnected");
        assertTrue(reconnecting >= 0 && reconnected > reconnecting, seen.toString());
        List<String> said = seen.stream().filter(e -> e.startsWith("said ")).toList();
        assertEquals(List.of("said r alice: hello", "said r bob: bob-1", "said r carol: carol-1",
                "said r bob: bob-2", "said r carol: carol-2"), said, seen.toString());
        assertTrue(seen.indexOf("said r bob: bob-1") > reconnected, seen.toString());
        assertTrue(seen.contains("skipped r alice"), seen.toString());
        assertTrue(alice.isOpen());
        assertTrue(aliceSession.isConnected());
        assertTrue(alice.awayMembers().isEmpty());
        assertEquals(List.of("hello", "bob-1", "carol-1", "bob-2", "carol-2"),
                alice.history().stream().map(Message::text).toList());
        Futures.await(aliceSession.ping()); // the new connection carries requests
    }

    @Test
    void twoCutsInARowAreBothResumedWithTheTokenOfTheLatestWelcome() throws Exception {
        // Each resume voids the token it used, so the second one works only with the token of the first's Welcome.
        start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(20)));
        EventLog aliceLog = new EventLog();
        EventLog bobLog = new EventLog();
        Session aliceSession = connect("alice", true, aliceLog);
        RoomHandle alice = Futures.await(aliceSession.join("twice"));
        RoomHandle bob = Futures.await(connect("bob", false, bobLog).join("twice"));
        bobLog.awaitEvent("turn twice 1 alice");
        Futures.await(alice.say("one")); // bob holds the turn from now on: alice's are skipped while she is away

        for (int cut = 1; cut <= 2; cut++) {
            proxy.cut();
            bobLog.awaitEvent("member-away twice alice");
            Futures.await(bob.say("while away " + cut));
            proxy.restore();

            List<String> seen = aliceLog.until("member-back twice alice");
            int reconnecting = seen.indexOf("reconnecting");
            int reconnected = seen.indexOf("reconnected");
            assertTrue(reconnecting >= 0 && reconnected > reconnecting, "cut " + cut + ": " + seen);
            assertTrue(seen.indexOf("said twice bob: while away " + cut) > reconnected, "cut " + cut + ": " + seen);
            assertFalse(seen.stream().anyMatch(e -> e.startsWith("disconnected") || e.startsWith("error")),
                    "cut " + cut + ": " + seen);
            bobLog.awaitEvent("member-back twice alice");
        }
        assertTrue(aliceSession.isConnected());
        assertEquals(List.of("one", "while away 1", "while away 2"), alice.history().stream().map(Message::text).toList());
        Futures.await(aliceSession.ping());
    }

    @Test
    void aPairThatClosedWhileAwayIsReportedClosedAfterTheResume() throws Exception {
        start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(20)));
        EventLog pamLog = new EventLog();
        Session pamSession = connect("pam", true, pamLog);
        CompletableFuture<RoomHandle> pamMatch = pamSession.match();
        Session quinnSession = connect("quinn", false, null);
        RoomHandle quinn = Futures.await(quinnSession.match());
        RoomHandle pam = Futures.await(pamMatch);
        EventLog quinnLog = new EventLog();
        quinn.addListener(quinnLog);

        proxy.cut();
        quinnLog.awaitEvent("member-away " + quinn.name() + " pam");
        Futures.await(quinn.leave()); // the pair's room closes while pam is away
        proxy.restore();

        pamLog.awaitEvent("reconnected");
        pamLog.awaitEvent("closed " + pam.name() + " the room closed while you were away");
        assertFalse(pam.isOpen());
        assertTrue(pamSession.room(pam.name()).isEmpty());
    }

    @Test
    void requestsPendingWhenTheConnectionIsLostFailAndAreNotSentAgain() throws Exception {
        start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(20)));
        EventLog aliceLog = new EventLog();
        Session aliceSession = connect("alice", true, aliceLog);
        RoomHandle alice = Futures.await(aliceSession.join("r"));
        proxy.cut();
        aliceLog.awaitEvent("reconnecting");
        var duringOutage = alice.say("anyone?");
        assertInstanceOf(ConnectionClosedException.class, Futures.failure(duringOutage));
        assertFalse(aliceSession.isConnected());
        assertTrue(aliceSession.isOpen());
        proxy.restore();
        aliceLog.awaitEvent("reconnected");
        assertEquals(List.of(), alice.history());
    }

    @Test
    void tooFarBehindTheRoomIsReplacedByAFreshSnapshotAndHistoryLostIsTold() throws Exception {
        start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(20)).historySize(2));
        EventLog aliceLog = new EventLog();
        EventLog carolLog = new EventLog();
        Session aliceSession = connect("alice", true, aliceLog);
        RoomHandle alice = Futures.await(aliceSession.join("h"));
        CompletableFuture<Void> go = new CompletableFuture<>();
        speaks(Futures.await(connect("bob", false, null).join("h")), "bob", 2, go);
        speaks(Futures.await(connect("carol", false, carolLog).join("h")), "carol", 2, go);
        aliceLog.awaitEvent("member-joined h carol");
        Futures.await(alice.pass());

        proxy.cut();
        carolLog.awaitEvent("member-away h alice");
        go.complete(null);
        carolLog.awaitEvent("said h carol: carol-2");
        proxy.restore();

        List<String> seen = aliceLog.until("member-back h alice");
        assertTrue(seen.contains("history-lost h"), seen.toString());
        assertTrue(seen.stream().noneMatch(e -> e.startsWith("said ")), seen.toString());
        assertSame(alice, aliceSession.room("h").orElseThrow());
        assertEquals(List.of("alice", "bob", "carol"), alice.members());
        assertEquals("bob", alice.holder().orElseThrow());
    }

    @Test
    void afterTheGracePeriodTheSessionGivesUpAndTheOthersSeeItLeave() throws Exception {
        start(ServerOptions.builder().resumeGrace(Duration.ofMillis(300)));
        EventLog aliceLog = new EventLog();
        EventLog bobLog = new EventLog();
        Session aliceSession = connect("alice", true, aliceLog);
        RoomHandle alice = Futures.await(aliceSession.join("g"));
        Futures.await(connect("bob", false, bobLog).join("g"));
        proxy.cut(); // and never restored

        List<String> seen = aliceLog.until("disconnected ConnectionClosedException");
        assertEquals(List.of("reconnecting", "closed g connection lost", "disconnected ConnectionClosedException"),
                seen.subList(Math.max(0, seen.indexOf("reconnecting")), seen.size()), seen.toString());
        assertFalse(alice.isOpen());
        assertFalse(aliceSession.isOpen());
        Futures.await(aliceSession.closeFuture());
        bobLog.awaitEvent("member-left g alice DISCONNECTED");
    }

    @Test
    void aSessionTheServerNoLongerKnowsEndsWithResumeFailed() throws Exception {
        // The server restarts while the connection is down: the new one knows no session to resume.
        start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(20)));
        EventLog aliceLog = new EventLog();
        Session aliceSession = connect("alice", true, aliceLog);
        proxy.cut();
        HotPochatoServer restarted = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2)).build());
        resources.add(restarted::close);
        proxy.retarget(restarted.localAddress());
        proxy.restore();
        List<String> seen = aliceLog.until("disconnected ServerErrorException");
        assertEquals(List.of("reconnecting", "error RESUME_FAILED", "disconnected ServerErrorException"), seen);
        assertFalse(aliceSession.isOpen());
    }

    @Test
    void closingWhileReconnectingEndsTheSessionAtOnce() throws Exception {
        start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(20)));
        EventLog aliceLog = new EventLog();
        Session aliceSession = connect("alice", true, aliceLog);
        Futures.await(aliceSession.join("c"));
        proxy.cut();
        aliceLog.awaitEvent("reconnecting");
        aliceSession.close();
        aliceLog.expect("closed c connection lost", "disconnected ");
        assertFalse(aliceSession.isOpen());
    }

    @Test
    void withReconnectOffALostConnectionEndsTheSession() throws Exception {
        start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(20)));
        EventLog aliceLog = new EventLog();
        Session aliceSession = Futures.await(HotPochatoClient.connect(ClientOptions.builder("alice")
                .host("127.0.0.1").port(proxy.port()).reconnect(false).build()));
        resources.add(aliceSession::close);
        aliceSession.addListener(aliceLog);
        Futures.await(aliceSession.join("off"));
        aliceLog.awaitEvent("joined off");
        proxy.cut();
        aliceLog.expect("closed off connection lost", "disconnected ");
    }

    private static void assertSame(Object expected, Object actual) {
        org.junit.jupiter.api.Assertions.assertSame(expected, actual);
    }
}
