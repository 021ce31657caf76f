package dev.hotpochato.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Waiting inside a callback fails fast instead of deadlocking; outside callbacks, the sync facade waits for you. */
class BlockingTest extends ServerFixture {

    /** Runs {@code action} as a turn handler of a fresh two-member room and returns what it threw, if anything. */
    private CompletableFuture<Throwable> onFirstTurn(String room, TurnHandler action) throws Exception {
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        RoomHandle alice = Futures.await(connect("alice").join(room));
        alice.onMyTurn(turn -> {
            try {
                action.onMyTurn(turn);
                thrown.complete(null);
            } catch (Throwable e) {
                thrown.complete(e);
                throw e;
            }
        });
        Futures.await(connect("bob").join(room));
        return thrown;
    }

    @Test
    void joiningAFutureInsideATurnHandlerThrowsInsteadOfDeadlocking() throws Exception {
        Throwable e = Futures.await(onFirstTurn("join-in-handler", turn -> turn.say("hi").join()));
        assertInstanceOf(BlockingInCallbackException.class, e);
        assertTrue(e.getMessage().contains("would deadlock"), e.getMessage());
    }

    @Test
    void getWithATimeoutAndDerivedStagesAreGuardedToo() throws Exception {
        assertInstanceOf(BlockingInCallbackException.class, Futures.await(onFirstTurn("get-in-handler",
                turn -> turn.say("hi").get(1, TimeUnit.SECONDS))));
        assertInstanceOf(BlockingInCallbackException.class, Futures.await(onFirstTurn("derived-in-handler",
                turn -> turn.say("hi").thenApply(Message::text).join())));
    }

    @Test
    void theSyncFacadeInsideACallbackThrowsToo() throws Exception {
        assertInstanceOf(BlockingInCallbackException.class, Futures.await(onFirstTurn("sync-in-handler",
                turn -> turn.room().sync().say("hi"))));
    }

    @Test
    void aCompletedFutureMayBeJoinedAnywhere() throws Exception {
        CompletableFuture<String> result = new CompletableFuture<>();
        EventLog log = new EventLog();
        RoomHandle alice = Futures.await(connect("alice", log).join("completed"));
        Futures.await(connect("bob").join("completed"));
        log.awaitEvent("turn completed 1 alice mine");
        CompletableFuture<Message> said = alice.say("hi");
        Futures.await(said);
        alice.addListener(new RoomListener() {
            @Override
            public void onMemberJoined(RoomHandle room, String name) {
                result.complete(said.join().text()); // done already: no waiting, no deadlock
            }
        });
        connect("carol").join("completed");
        assertEquals("hi", Futures.await(result));
    }

    @Test
    void aSimpleProgramTakesTurnsWithTheSyncFacade() throws Exception {
        SyncRoom alice = connect("alice").sync().join("sync-room");
        SyncRoom bob = connect("bob").sync().join("sync-room");

        MyTurn first = alice.awaitMyTurn();
        assertEquals(1, first.turn().number());
        assertEquals(List.of(), first.heard());
        Message said = alice.say("hello bob");
        assertEquals("hello bob", said.text());

        MyTurn bobs = bob.awaitMyTurn();
        assertEquals(List.of("hello bob"), bobs.heard().stream().map(Message::text).toList());
        bob.pass();

        MyTurn again = alice.awaitMyTurn();
        assertEquals(3, again.turn().number());
        assertEquals(List.of(), again.heard());
        assertEquals(Optional.empty(), bob.awaitMyTurn(Duration.ofMillis(100)), "alice holds the turn");
        NotYourTurnException e = assertThrows(NotYourTurnException.class, () -> bob.say("me!"));
        assertEquals(ErrorCode.NOT_YOUR_TURN, e.code());
        assertEquals(2, alice.async().session().sync().listRooms().stream()
                .filter(r -> r.name().equals("sync-room")).findFirst().orElseThrow().members());
    }

    @Test
    void waitingForATurnInARoomThatClosesThrowsRoomClosed() throws Exception {
        Session alice = connect("alice");
        CompletableFuture<RoomHandle> aliceMatch = alice.match();
        // Refused as ALREADY_MATCHING: alice waits before bob asks, so she speaks first.
        assertInstanceOf(ServerErrorException.class, Futures.failure(alice.match()));
        SyncRoom bob = connect("bob").sync().match();
        SyncRoom pair = Futures.await(aliceMatch).sync();
        CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                bob.awaitMyTurn(); // alice speaks first: this waits
                return null;
            } catch (Throwable e) {
                return e;
            }
        });
        Futures.assertPending(waiting);
        pair.leave();
        RoomClosedException e = assertInstanceOf(RoomClosedException.class, Futures.await(waiting));
        assertEquals(bob.async().name(), e.room());
    }
}
