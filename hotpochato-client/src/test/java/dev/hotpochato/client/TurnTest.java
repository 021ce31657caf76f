package dev.hotpochato.client;

import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TurnTest extends ServerFixture {

    @Test
    void joinCompletesWithTheRoomAsTheServerSeesIt() throws Exception {
        Session alice = connect("alice");
        RoomHandle room = Futures.await(alice.join("join-snapshot"));
        assertEquals("join-snapshot", room.name());
        assertEquals(List.of("alice"), room.members());
        assertTrue(room.turn().isEmpty(), "a room with one member waits");
        assertTrue(room.isOpen());
        assertFalse(room.isPrivate());
        assertEquals(Optional.of(room), alice.room("join-snapshot"));
    }

    @Test
    void theFirstJoinerGetsTheFirstTurnWhenASecondJoins() throws Exception {
        EventLog aliceLog = new EventLog();
        Session alice = connect("alice", aliceLog);
        RoomHandle room = Futures.await(alice.join("first-turn"));
        aliceLog.expect("joined first-turn");
        EventLog bobLog = new EventLog();
        RoomHandle bobRoom = Futures.await(connect("bob", bobLog).join("first-turn"));

        aliceLog.expect("member-joined first-turn bob", "turn first-turn 1 alice mine");
        assertTrue(room.isMyTurn());
        assertEquals(List.of("alice", "bob"), room.members());
        assertTrue(room.timeLeft().orElseThrow().compareTo(Duration.ofSeconds(30)) <= 0);
        bobLog.expect("joined first-turn", "turn first-turn 1 alice"); // Joined comes before the first grant
        assertEquals(Optional.of("alice"), bobRoom.holder());
        assertFalse(bobRoom.isMyTurn());
    }

    @Test
    void listenersHearTheExchangeInTheServersOrder() throws Exception {
        EventLog aliceLog = new EventLog();
        EventLog bobLog = new EventLog();
        RoomHandle alice = Futures.await(connect("alice", aliceLog).join("in-order"));
        RoomHandle bob = Futures.await(connect("bob", bobLog).join("in-order"));
        aliceLog.awaitEvent("turn in-order 1 alice mine");

        Futures.await(alice.say("hi bob"));
        bobLog.awaitEvent("turn in-order 2 bob mine");
        Futures.await(bob.pass());
        Futures.await(alice.say("still there?"));

        aliceLog.expect("said in-order alice: hi bob", "turn in-order 2 bob", "passed in-order bob",
                "turn in-order 3 alice mine", "said in-order alice: still there?", "turn in-order 4 bob");
        bobLog.awaitEvent("said in-order alice: still there?");
        assertEquals("still there?", bob.lastSaid().orElseThrow().text());
        assertEquals(List.of("hi bob", "still there?"), bob.history().stream().map(Message::text).toList());
    }

    @Test
    void sayOutOfTurnFailsWithNotYourTurn() throws Exception {
        Session alice = connect("alice");
        Futures.await(alice.join("out-of-turn"));
        RoomHandle bob = Futures.await(connect("bob").join("out-of-turn"));

        NotYourTurnException e = assertInstanceOf(NotYourTurnException.class, Futures.failure(bob.say("me first")));
        assertEquals(ErrorCode.NOT_YOUR_TURN, e.code());
        assertEquals("out-of-turn", e.room());
        assertInstanceOf(NotYourTurnException.class, Futures.failure(bob.pass()));
    }

    @Test
    void joiningUnderATakenNameFailsWithNameTaken() throws Exception {
        Futures.await(connect("alice").join("taken"));
        Session otherAlice = connect("alice");
        assertInstanceOf(NameTakenException.class, Futures.failure(otherAlice.join("taken")));
        assertTrue(otherAlice.room("taken").isEmpty());
    }

    @Test
    void leavingARoomThatDoesNotExistFailsWithUnknownRoom() throws Exception {
        Session alice = connect("alice");
        RoomHandle room = Futures.await(alice.join("short-lived"));
        Futures.await(room.leave());
        assertFalse(room.isOpen());
        assertInstanceOf(UnknownRoomException.class, Futures.failure(room.leave()));
    }

    @Test
    void otherServerRefusalsCarryTheirCode() throws Exception {
        Session alice = connect("alice");
        ServerErrorException e = assertInstanceOf(ServerErrorException.class,
                Futures.failure(alice.join("~private")));
        assertEquals(ErrorCode.INVALID_ROOM_NAME, e.code());
        assertFalse(e.fatal());
        assertTrue(alice.isOpen());
    }

    @Test
    void aTurnTimeoutAboveTheServersCapIsRefusedWithInvalidOption() throws Exception {
        Session alice = connect("alice");
        for (Duration asked : List.of(Duration.ofHours(1), Duration.ZERO)) { // the server caps turns at 10 minutes
            ServerErrorException e = assertInstanceOf(ServerErrorException.class,
                    Futures.failure(alice.join("too-slow", JoinOptions.builder().turnTimeout(asked).build())));
            assertEquals(ErrorCode.INVALID_OPTION, e.code(), asked::toString);
            assertEquals("too-slow", e.room());
            assertFalse(e.fatal());
        }
        assertTrue(alice.room("too-slow").isEmpty());
        assertTrue(alice.isConnected());
        RoomHandle room = Futures.await(alice.join("too-slow",
                JoinOptions.builder().turnTimeout(Duration.ofMinutes(10)).build()));
        assertEquals(Optional.of(Duration.ofMinutes(10)), room.turnTimeout());
    }

    @Test
    void theTurnHandlerIsCalledOnEachOfMyTurns() throws Exception {
        EventLog aliceLog = new EventLog();
        RoomHandle alice = Futures.await(connect("alice", aliceLog).join("handler"));
        CountDownLatch threeTurns = new CountDownLatch(3);
        alice.onMyTurn(turn -> {
            assertTrue(turn.timeLeft().isPresent());
            turn.say("turn " + turn.turn().number());
            threeTurns.countDown();
        });
        RoomHandle bob = Futures.await(connect("bob").join("handler"));
        bob.onMyTurn(turn -> turn.say("echo " + turn.lastHeard().map(Message::text).orElse("?")));

        assertTrue(threeTurns.await(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        aliceLog.awaitEvent("said handler alice: turn 1");
        aliceLog.expect("turn handler 2 bob", "said handler bob: echo turn 1", "turn handler 3 alice mine",
                "said handler alice: turn 3");
        alice.onMyTurn(null);
        bob.onMyTurn(null);
    }

    @Test
    void aTurnHandlerThatThrowsPassesTheTurn() throws Exception {
        EventLog bobLog = new EventLog();
        RoomHandle alice = Futures.await(connect("alice").join("throwing"));
        alice.onMyTurn(turn -> {
            throw new IllegalStateException("no idea what to say");
        });
        connect("bob", bobLog).join("throwing");
        bobLog.awaitEvent("passed throwing alice");
        bobLog.expect("turn throwing 2 bob mine");
    }

    @Test
    void aTurnThatRunsOutIsReportedAsExpired() throws Exception {
        EventLog bobLog = new EventLog();
        JoinOptions quick = JoinOptions.builder().turnTimeout(Duration.ofMillis(100)).build();
        RoomHandle alice = Futures.await(connect("alice").join("expiry", quick));
        assertEquals(Optional.of(Duration.ofMillis(100)), alice.turnTimeout());
        Futures.await(connect("bob", bobLog).join("expiry"));
        bobLog.expect("joined expiry", "turn expiry 1 alice", "expired expiry alice", "turn expiry 2 bob mine");
    }

    @Test
    void othersSeeAClosedSessionLeaveWithReasonLeft() throws Exception {
        EventLog aliceLog = new EventLog();
        Futures.await(connect("alice", aliceLog).join("polite"));
        Session bob = connect("bob");
        Futures.await(bob.join("polite"));
        aliceLog.awaitEvent("member-joined polite bob");
        bob.close();
        aliceLog.awaitEvent("member-left polite bob LEFT");
    }

    @Test
    void othersSeeALostConnectionAsDisconnected() throws Exception {
        EventLog aliceLog = new EventLog();
        Futures.await(connect("alice", aliceLog).join("rude"));
        try (TestClient bob = TestClient.hello(server.localAddress(), "bob")) {
            bob.join("rude");
            aliceLog.awaitEvent("member-joined rude bob");
        } // closes the connection without a Leave
        aliceLog.awaitEvent("member-left rude bob DISCONNECTED");
    }

    @Test
    void listenersNeverRunOnTheNetworkThreads() throws Exception {
        EventLog aliceLog = new EventLog();
        RoomHandle alice = Futures.await(connect("alice", aliceLog).join("threads"));
        Futures.await(connect("bob").join("threads"));
        aliceLog.awaitEvent("turn threads 1 alice mine");
        CompletableFuture<Void> said = new CompletableFuture<>();
        // Registered before the request is sent, so the dependent runs where the future is completed.
        CompletableFuture<String> completedOn = said.thenApply(v -> Thread.currentThread().getName());
        alice.say("x").whenComplete((v, e) -> said.complete(null));
        String thread = Futures.await(completedOn);
        assertTrue(thread.startsWith("hotpochato-callback"), thread);
        assertFalse(aliceLog.threads.isEmpty());
        aliceLog.threads.forEach(t -> assertTrue(t.startsWith("hotpochato-callback"), t));
    }

    @Test
    void aTurnHearsOnlyWhatWasSaidSinceThisClientsLastTurnSoAnEchoBotNeverRepeatsItself() throws Exception {
        JoinOptions quick = JoinOptions.builder().turnTimeout(Duration.ofMillis(300)).build();
        RoomHandle bot = Futures.await(connect("echo").join("echo-room", quick));
        java.util.concurrent.BlockingQueue<List<String>> heardEachTurn = new java.util.concurrent.LinkedBlockingQueue<>();
        bot.onMyTurn(turn -> {
            heardEachTurn.add(turn.heard().stream().map(m -> m.speaker() + ": " + m.text()).toList());
            turn.say(turn.lastHeard().map(m -> m.speaker() + " said: " + m.text()).orElse("anyone there?"));
        });
        EventLog bobLog = new EventLog();
        RoomHandle bob = Futures.await(connect("bob", bobLog).join("echo-room"));

        assertEquals(List.of(), next(heardEachTurn)); // its first turn: nothing said yet
        bobLog.awaitEvent("turn echo-room 2 bob mine");
        Futures.await(bob.say("hi"));
        assertEquals(List.of("bob: hi"), next(heardEachTurn));
        bobLog.awaitEvent("said echo-room echo: bob said: hi");
        bobLog.awaitEvent("turn echo-room 4 bob mine");
        Futures.await(bob.pass());
        assertEquals(List.of(), next(heardEachTurn), "after a pass nothing new was said: not 'hi' again");
        bobLog.awaitEvent("said echo-room echo: anyone there?");
        bobLog.awaitEvent("expired echo-room bob"); // bob lets turn 6 run out
        assertEquals(List.of(), next(heardEachTurn), "after an expiry neither");
        assertEquals(List.of("anyone there?", "hi", "bob said: hi", "anyone there?"),
                bot.history().stream().limit(4).map(Message::text).toList(), "the history still has everything");
        bot.onMyTurn(null);
    }

    @Test
    void sayCompletesWithTheMessageAsTheServerBroadcastIt() throws Exception {
        EventLog aliceLog = new EventLog();
        RoomHandle alice = Futures.await(connect("alice", aliceLog).join("say-result"));
        Futures.await(connect("bob").join("say-result"));
        aliceLog.awaitEvent("turn say-result 1 alice mine");
        Message said = Futures.await(alice.say("hello"));
        assertEquals(new Message("say-result", "alice", "hello", said.time(), 1), said);
        assertEquals(said, alice.lastSaid().orElseThrow());
    }

    private static List<String> next(java.util.concurrent.BlockingQueue<List<String>> queue) throws InterruptedException {
        List<String> e = queue.poll(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no turn within " + EventLog.TIMEOUT_SECONDS + " s");
        }
        return e;
    }
}
