package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.room.RoomFixture.Member;
import dev.hotpochato.server.room.rules.LeaveReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ParameterizedClass
@EnumSource(RoomFixture.Store.class)
class MatchmakerTest {

    private final RoomFixture f;

    MatchmakerTest(RoomFixture.Store store) {
        f = new RoomFixture(store);
    }

    @Test
    void firstTwoWaitingAreParedAndTheLongerWaiterSpeaksFirst() {
        Member a = f.member("a");
        Member b = f.member("b");
        f.matchmaker.match(a, 11);
        a.assertNothing();
        f.matchmaker.match(b, 22);
        ServerFrame pairedA = a.inbox.get(0);
        ServerFrame pairedB = b.inbox.get(0);
        assertEquals(11, pairedA.getRequestId(), "Paired answers the Match");
        assertEquals(22, pairedB.getRequestId());
        assertEquals("b", pairedA.getPaired().getPartner());
        assertEquals("a", pairedB.getPaired().getPartner());
        assertTrue(pairedA.getPaired().getFirst());
        assertFalse(pairedB.getPaired().getFirst());
        String room = pairedA.getPaired().getRoom();
        assertEquals(room, pairedB.getPaired().getRoom());
        assertTrue(room.startsWith(Matchmaker.PRIVATE_PREFIX));
        assertEquals("a", a.last(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        assertTrue(b.last(BodyCase.JOINED).getJoined().getRoom().getPrivate());
    }

    @Test
    void pairsAlternateStrictly() {
        Member a = f.member("a");
        Member b = f.member("b");
        f.matchmaker.match(a, 1);
        f.matchmaker.match(b, 2);
        String room = a.inbox.get(0).getPaired().getRoom();
        for (int i = 0; i < 4; i++) {
            Member speaker = i % 2 == 0 ? a : b;
            Member other = i % 2 == 0 ? b : a;
            assertEquals(speaker.name, f.holder(room));
            f.say(other, room, 9, "not me");
            assertEquals(Error.Code.NOT_YOUR_TURN, other.last(BodyCase.ERROR).getError().getCode());
            f.say(speaker, room, 10, "turn " + i);
        }
    }

    @Test
    void thirdClientWaitsForAFourth() {
        Member a = f.member("a");
        Member b = f.member("b");
        Member c = f.member("c");
        Member d = f.member("d");
        f.matchmaker.match(a, 1);
        f.matchmaker.match(b, 1);
        f.matchmaker.match(c, 1);
        c.assertNothing();
        f.matchmaker.match(d, 1);
        assertEquals("d", c.inbox.get(0).getPaired().getPartner());
        assertFalse(a.inbox.get(0).getPaired().getRoom().equals(c.inbox.get(0).getPaired().getRoom()));
    }

    @Test
    void privateRoomIsInvisibleToOthersAndCannotBeJoined() {
        Member a = f.member("a");
        Member b = f.member("b");
        f.matchmaker.match(a, 1);
        f.matchmaker.match(b, 2);
        String room = a.inbox.get(0).getPaired().getRoom();
        Member stranger = f.member("stranger");
        assertTrue(f.publicRooms().isEmpty(), "private rooms are not listed");
        f.store.join(stranger, 5, room, RoomFixture.DEFAULTS, "");
        assertEquals(Error.Code.UNKNOWN_ROOM, stranger.last(BodyCase.ERROR).getError().getCode());
        for (Runnable request : List.<Runnable>of(() -> f.say(stranger, room, 6, "hi"), () -> f.pass(stranger, room, 6),
                () -> f.leave(stranger, room, 6, LeaveReason.LEFT), () -> f.invite(stranger, room, 6, "x"))) {
            stranger.drain();
            request.run();
            assertEquals(Error.Code.UNKNOWN_ROOM, stranger.last(BodyCase.ERROR).getError().getCode(),
                    "a pair's room does not exist for anyone else");
        }
        assertEquals(0, stranger.rooms, "and takes none of its slots");
    }

    @Test
    void whenOnePartnerLeavesTheOtherIsToldAndTheRoomCloses() {
        Member a = f.member("a");
        Member b = f.member("b");
        f.matchmaker.match(a, 1);
        f.matchmaker.match(b, 2);
        String name = a.inbox.get(0).getPaired().getRoom();
        b.drain();
        f.leave(a, name, 0, LeaveReason.DISCONNECTED);
        List<ServerFrame> got = b.drain();
        assertEquals(List.of(BodyCase.MEMBER_LEFT, BodyCase.ROOM_CLOSED), got.stream().map(ServerFrame::getBodyCase).toList());
        assertNull(f.state(name));
        assertTrue(b.joinedRooms.isEmpty());
        assertEquals(0, a.rooms + b.rooms, "both slots are free again");
    }

    @Test
    void matchingTwiceIsRefusedAndCancelStopsWaiting() {
        Member a = f.member("a");
        f.matchmaker.match(a, 1);
        f.matchmaker.match(a, 2);
        assertEquals(Error.Code.ALREADY_MATCHING, a.last(BodyCase.ERROR).getError().getCode());
        f.matchmaker.cancel(a, 3);
        assertEquals(BodyCase.MATCH_CANCELLED, a.inbox.get(a.inbox.size() - 1).getBodyCase());
        f.matchmaker.cancel(a, 4);
        assertEquals(Error.Code.NOT_MATCHING, a.last(BodyCase.ERROR).getError().getCode());
        Member b = f.member("b");
        f.matchmaker.match(b, 5);
        assertFalse(b.received(ServerFrame::hasPaired), "a cancelled waiter is not paired");
    }

    @Test
    void waitingTakesARoomSlotSoAPairIsAlwaysSeatedTogether() {
        Member full = new Member(900, "full", 1);
        f.join(full, "busy");
        f.matchmaker.match(full, 1);
        assertEquals(Error.Code.TOO_MANY_ROOMS, full.last(BodyCase.ERROR).getError().getCode());
        Member a = new Member(901, "a", 1);
        Member b = f.member("b");
        f.matchmaker.match(a, 2);
        assertEquals(1, a.rooms, "the waiter holds its slot");
        f.matchmaker.cancel(a, 3);
        assertEquals(0, a.rooms, "cancelling gives it back");
        f.matchmaker.match(a, 4);
        f.matchmaker.match(b, 5);
        assertEquals(1, a.rooms, "the pair's room took the slot over");
        assertTrue(a.received(ServerFrame::hasJoined) && b.received(ServerFrame::hasJoined));
    }

    @Test
    void clientsWithTheSameNameAreNotPairedWithEachOther() {
        Member sam1 = f.member("sam");
        Member sam2 = f.member("sam");
        Member kim = f.member("kim");
        f.matchmaker.match(sam1, 1);
        f.matchmaker.match(sam2, 2);
        sam1.assertNothing();
        f.matchmaker.match(kim, 3);
        assertEquals("kim", sam1.inbox.get(0).getPaired().getPartner());
        sam2.assertNothing();
    }

    @Test
    void aPairGetsItsFramesInTheDocumentedOrder() {
        Member a = f.member("a");
        Member b = f.member("b");
        f.matchmaker.match(a, 11);
        f.matchmaker.match(b, 22);
        assertEquals(List.of(BodyCase.PAIRED, BodyCase.JOINED, BodyCase.MEMBER_JOINED, BodyCase.TURN_GRANTED),
                a.inbox.stream().map(ServerFrame::getBodyCase).toList());
        assertEquals(List.of(BodyCase.PAIRED, BodyCase.JOINED, BodyCase.TURN_GRANTED),
                b.inbox.stream().map(ServerFrame::getBodyCase).toList());
        assertEquals(0, a.inbox.get(1).getJoined().getRoom().getLastSeq());
        assertEquals(List.of("a"), a.inbox.get(1).getJoined().getRoom().getMembersList().stream().map(m -> m.getName()).toList());
        assertEquals(1, b.inbox.get(1).getJoined().getRoom().getLastSeq());
        assertEquals(0, b.inbox.get(1).getRequestId(), "the Joined of a pair answers no request");
        assertEquals(2, b.inbox.get(2).getTurnGranted().getSeq());
    }
}
