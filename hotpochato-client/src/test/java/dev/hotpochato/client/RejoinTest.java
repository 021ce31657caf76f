package dev.hotpochato.client;

import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.testing.CuttableProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session that cannot be resumed (the server stopped or crashed and came back empty, or the
 * client was gone too long) is replaced by a new one that rejoins its rooms, when asked to; and
 * with several addresses a lost connection is resumed on the next one.
 */
class RejoinTest {

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private HotPochatoServer server(Duration resumeGrace) throws InterruptedException {
        HotPochatoServer server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .resumeGrace(resumeGrace).shutdownTimeout(Duration.ofSeconds(2)).build());
        resources.add(server::close);
        return server;
    }

    private CuttableProxy proxyTo(HotPochatoServer server) throws InterruptedException {
        CuttableProxy proxy = new CuttableProxy(server.localAddress());
        resources.add(proxy);
        return proxy;
    }

    private static ServerAddress address(int port) {
        return new ServerAddress("127.0.0.1", port);
    }

    private Session connect(ClientOptions.Builder options, EventLog log) throws Exception {
        Session s = Futures.await(HotPochatoClient.connect(options
                .reconnectDelay(Duration.ofMillis(10)).maxReconnectDelay(Duration.ofMillis(100))
                .handshakeTimeout(Duration.ofSeconds(30)).build()));
        if (log != null) {
            s.addListener(log);
        }
        resources.add(s::close);
        return s;
    }

    private Session connect(String name, int port, boolean autoRejoin, EventLog log) throws Exception {
        return connect(ClientOptions.builder(name).host("127.0.0.1").port(port).autoRejoin(autoRejoin), log);
    }

    @Test
    void afterAGracefulStopTheSessionReconnectsAndWithoutAutoRejoinEndsWhenTheResumeFails() throws Exception {
        HotPochatoServer first = server(Duration.ofSeconds(20));
        CuttableProxy proxy = proxyTo(first);
        EventLog log = new EventLog();
        Session alice = connect("alice", proxy.port(), false, log);
        Futures.await(alice.join("r"));
        log.expect("joined r");

        first.close();
        log.expect("closed r the server is shutting down", "error SERVER_SHUTTING_DOWN", "reconnecting");
        assertTrue(alice.isOpen(), "still trying: a restarted server or another node may take the session back");
        ConnectionClosedException meanwhile = assertInstanceOf(ConnectionClosedException.class,
                Futures.failure(alice.join("elsewhere")));
        assertEquals("not connected: the session is reconnecting", meanwhile.getMessage());
        proxy.retarget(server(Duration.ofSeconds(20)).localAddress());

        log.expect("error RESUME_FAILED", "disconnected ServerErrorException");
        assertFalse(alice.isOpen());
    }

    @Test
    void withAutoRejoinARestartedServerGetsANewSessionThatRejoinsEveryRoomWithItsOptions() throws Exception {
        HotPochatoServer first = server(Duration.ofSeconds(20));
        CuttableProxy proxy = proxyTo(first);
        EventLog log = new EventLog();
        Session alice = connect("alice", proxy.port(), true, log);
        RoomHandle open = Futures.await(alice.join("open"));
        JoinOptions locked = JoinOptions.builder().password("pw").turnTimeout(Duration.ofSeconds(7)).build();
        RoomHandle secret = Futures.await(alice.join("secret", locked));
        secret.onMyTurn(turn -> turn.say("hello again"));
        String oldSession = alice.sessionId();
        log.expect("joined open", "joined secret");

        first.close();
        log.awaitEvent("reconnecting");
        assertFalse(secret.isOpen(), "the stopping server closed it");
        HotPochatoServer second = server(Duration.ofSeconds(20));
        proxy.retarget(second.localAddress());

        log.expect("error RESUME_FAILED", "new-session RESUME_FAILED", "rejoined open", "rejoined secret");
        assertNotEquals(oldSession, alice.sessionId());
        assertSame(secret, alice.room("secret").orElseThrow(), "the same handle, listeners and turn handler");
        assertTrue(secret.isOpen());
        assertEquals(List.of("alice"), secret.members());
        assertEquals(Optional.of(Duration.ofSeconds(7)), secret.turnTimeout(), "created again with its options");
        assertSame(open, alice.room("open").orElseThrow());

        Session carol = connect("carol", second.port(), false, null);
        assertEquals(ErrorCode.WRONG_PASSWORD, assertInstanceOf(ServerErrorException.class,
                Futures.failure(carol.join("secret"))).code(), "and with its password");
        EventLog carolLog = new EventLog();
        carol.addListener(carolLog);
        Futures.await(carol.join("secret", JoinOptions.builder().password("pw").build()));
        carolLog.awaitEvent("said secret alice: hello again"); // the turn handler carried over
    }

    @Test
    void withAutoRejoinACrashKeepsRoomsOpenUntilEachIsRejoinedOrReportedLost() throws Exception {
        HotPochatoServer first = server(Duration.ofSeconds(20));
        CuttableProxy proxy = proxyTo(first);
        EventLog log = new EventLog();
        Session alice = connect("alice", proxy.port(), true, log);
        RoomHandle kept = Futures.await(alice.join("kept"));
        RoomHandle taken = Futures.await(alice.join("taken"));
        CompletableFuture<RoomHandle> matching = alice.match();
        Futures.await(connect("bob", first.port(), false, null).match());
        RoomHandle pair = Futures.await(matching);
        log.awaitEvent("turn " + pair.name() + " 1 alice mine");

        // The server "crashes": the connection drops, and what answers next knows nothing of alice.
        HotPochatoServer second = server(Duration.ofSeconds(20));
        Futures.await(connect("alice", second.port(), false, null).join("taken")); // another alice got there first
        proxy.cut();
        log.awaitEvent("reconnecting");
        assertTrue(kept.isOpen() && taken.isOpen() && pair.isOpen(), "rooms stay open while reconnecting");
        proxy.retarget(second.localAddress());
        proxy.restore();

        log.expect("error RESUME_FAILED", "new-session RESUME_FAILED", "rejoin-failed " + pair.name()
                + " RoomClosedException", "rejoined kept", "rejoin-failed taken NameTakenException");
        assertTrue(kept.isOpen());
        assertFalse(taken.isOpen());
        assertFalse(pair.isOpen());
        assertEquals(List.of("kept"), alice.rooms().stream().map(RoomHandle::name).toList());
        assertTrue(alice.isConnected());
    }

    @Test
    void withAutoRejoinASessionGoneLongerThanItsGracePeriodIsReplacedWhenTheServerAnswersAgain() throws Exception {
        HotPochatoServer server = server(Duration.ofMillis(300));
        CuttableProxy proxy = proxyTo(server);
        EventLog log = new EventLog();
        Session alice = connect("alice", proxy.port(), true, log);
        Futures.await(alice.join("g"));
        EventLog bobLog = new EventLog();
        Futures.await(connect("bob", server.port(), false, bobLog).join("g"));

        proxy.cut();
        bobLog.awaitEvent("member-left g alice DISCONNECTED"); // the server gave up on the old session
        log.awaitEvent("reconnecting");
        proxy.restore();

        List<String> seen = log.until("rejoined g");
        assertTrue(seen.contains("new-session ConnectionClosedException") || seen.contains("new-session RESUME_FAILED"),
                seen.toString());
        assertFalse(seen.stream().anyMatch(e -> e.startsWith("disconnected")), seen.toString());
        bobLog.awaitEvent("member-joined g alice");
    }

    @Test
    void withSeveralAddressesALostConnectionIsResumedOnTheNextOne() throws Exception {
        // Two addresses of one server stand for two nodes of a cluster that share their sessions.
        HotPochatoServer server = server(Duration.ofSeconds(20));
        CuttableProxy first = proxyTo(server);
        CuttableProxy second = proxyTo(server);
        EventLog log = new EventLog();
        Session alice = connect(ClientOptions.builder("alice")
                .addresses(address(first.port()), address(second.port())), log);
        RoomHandle room = Futures.await(alice.join("r"));
        RoomHandle bob = Futures.await(connect("bob", server.port(), false, null).join("r"));
        Futures.await(room.say("one"));
        assertEquals(address(first.port()), alice.serverAddress());

        first.cut(); // and never restored
        log.awaitEvent("reconnecting");
        Futures.await(bob.say("while away"));

        List<String> seen = log.until("said r bob: while away");
        assertTrue(seen.contains("reconnected"), seen.toString());
        assertEquals(address(second.port()), alice.serverAddress());
        assertEquals(List.of("one", "while away"), room.history().stream().map(Message::text).toList());
    }

    @Test
    void withSeveralIndependentServersAResumeElsewhereFailsAndAutoRejoinMovesThere() throws Exception {
        HotPochatoServer a = server(Duration.ofSeconds(20));
        HotPochatoServer b = server(Duration.ofSeconds(20));
        CuttableProxy toA = proxyTo(a);
        EventLog log = new EventLog();
        Session alice = connect(ClientOptions.builder("alice").autoRejoin(true)
                .addresses(address(toA.port()), address(b.port())), log);
        Futures.await(alice.join("r"));

        toA.cut();
        log.awaitEvent("reconnecting");
        log.expect("error RESUME_FAILED", "new-session RESUME_FAILED", "rejoined r");
        assertEquals(address(b.port()), alice.serverAddress());
    }
}
