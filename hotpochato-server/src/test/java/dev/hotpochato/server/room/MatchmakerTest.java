package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.room.RoomFixture.Member;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MatchmakerTest {

    private final RoomFixture f = new RoomFixture();

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
        Room room = f.shard.findVisible(a.inbox.get(0).getPaired().getRoom(), a);
        for (int i = 0; i < 4; i++) {
            Member speaker = i % 2 == 0 ? a : b;
            Member other = i % 2 == 0 ? b : a;
            assertEquals(speaker.name, room.holder().name());
            room.say(other, 9, "not me");
            assertEquals(Error.Code.NOT_YOUR_TURN, other.last(BodyCase.ERROR).getError().getCode());
            room.say(speaker, 10, "turn " + i);
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
        assertNull(f.shard.findVisible(room, stranger));
        assertTrue(f.shard.publicSummaries().isEmpty(), "private rooms are not listed");
        f.shard.findVisible(room, a).join(stranger, 5, "");
        assertEquals(Error.Code.UNKNOWN_ROOM, stranger.last(BodyCase.ERROR).getError().getCode());
    }

    @Test
    void whenOnePartnerLeavesTheOtherIsToldAndTheRoomCloses() {
        Member a = f.member("a");
        Member b = f.member("b");
        f.matchmaker.match(a, 1);
        f.matchmaker.match(b, 2);
        String name = a.inbox.get(0).getPaired().getRoom();
        Room room = f.shard.findVisible(name, a);
        b.drain();
        room.leave(a, 0, MemberLeft.Reason.DISCONNECTED);
        List<ServerFrame> got = b.drain();
        assertEquals(List.of(BodyCase.MEMBER_LEFT, BodyCase.ROOM_CLOSED), got.stream().map(ServerFrame::getBodyCase).toList());
        assertTrue(room.isClosed());
        assertEquals(0, f.shard.roomCount());
        assertTrue(b.joinedRooms.isEmpty());
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
}
