package dev.hotpochato.client;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatchTest extends ServerFixture {

    @Test
    void matchCompletesWithAPrivateRoomForThePair() throws Exception {
        EventLog aliceLog = new EventLog();
        Session alice = connect("alice", aliceLog);
        var aliceMatch = alice.match();
        // The lobby refusing a second Match shows that alice is waiting before bob asks.
        assertInstanceOf(ServerErrorException.class, Futures.failure(alice.match()));
        Futures.assertPending(aliceMatch);
        RoomHandle bobRoom = Futures.await(connect("bob").match());
        RoomHandle aliceRoom = Futures.await(aliceMatch);

        assertTrue(aliceRoom.isPrivate());
        assertEquals(aliceRoom.name(), bobRoom.name());
        assertTrue(aliceRoom.name().startsWith("~pair-"));
        String room = aliceRoom.name();
        aliceLog.expect("joined " + room, "paired " + room + " bob first", "member-joined " + room + " bob",
                "turn " + room + " 1 alice mine");
        assertEquals(List.of("alice", "bob"), bobRoom.members());
    }

    @Test
    void cancelMatchFailsTheWaitingMatchWithCancellation() throws Exception {
        Session alice = connect("alice");
        var waiting = alice.match();
        Futures.assertPending(waiting);
        Futures.await(alice.cancelMatch());
        assertThrows(CancellationException.class, () -> waiting.get(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS));
        assertTrue(waiting.isCancelled());
        ServerErrorException e = assertInstanceOf(ServerErrorException.class, Futures.failure(alice.cancelMatch()));
        assertEquals(ErrorCode.NOT_MATCHING, e.code());
    }

    @Test
    void aSecondMatchWhileWaitingFailsWithAlreadyMatching() throws Exception {
        Session alice = connect("alice");
        alice.match();
        ServerErrorException e = assertInstanceOf(ServerErrorException.class, Futures.failure(alice.match()));
        assertEquals(ErrorCode.ALREADY_MATCHING, e.code());
        Futures.await(alice.cancelMatch());
    }

    @Test
    void aPrivateRoomClosesWhenThePartnerLeaves() throws Exception {
        EventLog aliceLog = new EventLog();
        var aliceMatch = connect("alice", aliceLog).match();
        RoomHandle bobRoom = Futures.await(connect("bob").match());
        RoomHandle aliceRoom = Futures.await(aliceMatch);
        Futures.await(bobRoom.leave());

        aliceLog.awaitEvent("member-left " + aliceRoom.name() + " bob LEFT");
        aliceLog.expect("closed " + aliceRoom.name() + " your partner left");
        assertFalse(aliceRoom.isOpen());
        assertTrue(aliceRoom.session().room(aliceRoom.name()).isEmpty());
    }

    @Test
    void listRoomsShowsPublicRoomsOnly() throws Exception {
        Session alice = connect("alice");
        Futures.await(alice.join("listed"));
        var aliceMatch = alice.match();
        Futures.await(connect("bob").match());
        Futures.await(aliceMatch);

        List<RoomInfo> rooms = Futures.await(alice.listRooms());
        assertTrue(rooms.stream().anyMatch(r -> r.name().equals("listed") && r.members() == 1
                && r.holder().isEmpty()), rooms::toString);
        assertTrue(rooms.stream().noneMatch(r -> r.name().startsWith("~")), rooms::toString);
    }

    @Test
    void listRoomsSaysHowEachRoomSharesItsFloor() throws Exception {
        Session alice = connect("alice");
        Futures.await(alice.join("listed-queue", JoinOptions.builder().policy(TurnPolicy.QUEUE).build()));
        Futures.await(alice.join("listed-rr"));
        List<RoomInfo> rooms = Futures.await(alice.listRooms());
        assertTrue(rooms.contains(new RoomInfo("listed-queue", 1, java.util.Optional.empty(), false, false,
                TurnPolicy.QUEUE)), rooms::toString);
        assertTrue(rooms.stream().anyMatch(r -> r.name().equals("listed-rr") && r.policy() == TurnPolicy.ROUND_ROBIN),
                rooms::toString);
    }
}
