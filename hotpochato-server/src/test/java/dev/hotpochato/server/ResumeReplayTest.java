package dev.hotpochato.server;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.protocol.v1.TurnGranted;
import dev.hotpochato.protocol.v1.TurnTimeLeft;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a resumed member is sent, over real sockets: nothing from before it joined, and the right countdown. */
class ResumeReplayTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Reads a resumed client's frames for one room up to and including its MemberBack. */
    private static List<ServerFrame> untilBack(TestClient back) throws InterruptedException {
        List<ServerFrame> frames = new ArrayList<>();
        ServerFrame f;
        do {
            f = back.next();
            frames.add(f);
        } while (f.getBodyCase() != BodyCase.MEMBER_BACK);
        return frames;
    }

    @Test
    void aRoomLeftOutOfLastSeqIsReplayedFromTheMembersJoinNeverFromSeqOne() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        List<TestClient> m = fixture.room("tea", "alice", "bob");
        TestClient alice = m.get(0);
        TestClient bob = m.get(1);
        alice.say("tea", "said before carol came");
        bob.await(ServerFrame::hasTurnGranted);
        TestClient carol = fixture.client("carol");
        carol.join("tea");
        long carolJoinedAt = carol.expect(BodyCase.JOINED).getJoined().getRoom().getLastSeq();
        bob.await(ServerFrame::hasMemberJoined);
        bob.say("tea", "said after carol came");
        carol.await(ServerFrame::hasSaid);

        carol.close();
        alice.await(ServerFrame::hasMemberAway);
        TestClient back = fixture.track(TestClient.resume(fixture.address, carol, Map.of())); // "tea" left out
        List<ServerFrame> got = untilBack(back);

        ServerFrame first = got.get(0);
        assertEquals(carolJoinedAt + 1, RoomEvents.seq(first), () -> "replay starts after carol's own join: " + got);
        for (ServerFrame f : got) {
            long seq = RoomEvents.seq(f);
            assertTrue(seq == 0 || seq > carolJoinedAt, () -> "an event from before carol joined: " + f);
            assertFalse(f.hasMemberJoined() && f.getMemberJoined().getName().equals("carol"), "not even its own MemberJoined");
        }
        assertEquals("said after carol came", first.getSaid().getText());
        assertFalse(got.stream().anyMatch(f -> f.hasSaid() && f.getSaid().getText().equals("said before carol came")));
    }

    @Test
    void aResumedMemberGetsTheTimeLeftInTheRunningTurnBeforeItsMemberBack() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        List<TestClient> m = fixture.room("tea", RoomOptions.newBuilder().setTurnTimeoutMs(120_000).build(),
                "alice", "bob", "carol");
        TestClient alice = m.get(0);
        TestClient carol = m.get(2);
        long carolSaw = carol.lastSeq("tea");
        carol.close();
        alice.await(ServerFrame::hasMemberAway);
        alice.say("tea", "bob's turn now");
        TurnGranted granted = alice.await(ServerFrame::hasTurnGranted).getTurnGranted();

        long beforeResume = System.currentTimeMillis();
        TestClient back = fixture.track(TestClient.resume(fixture.address, carol, Map.of("tea", carolSaw)));
        List<ServerFrame> got = untilBack(back);
        long afterReplay = System.currentTimeMillis();

        ServerFrame replayedGrant = got.get(got.size() - 3);
        assertEquals(granted, replayedGrant.getTurnGranted(), "the replayed grant is the one sent live, full duration and all");
        TurnTimeLeft left = got.get(got.size() - 2).getTurnTimeLeft();
        assertEquals(BodyCase.TURN_TIME_LEFT, got.get(got.size() - 2).getBodyCase(), got::toString);
        assertEquals("tea", left.getRoom());
        assertEquals("bob", left.getHolder());
        assertEquals(granted.getTurn(), left.getTurn());
        assertEquals(granted.getDeadlineMs(), left.getDeadlineMs());
        // The server and this test share a clock: the server measured "now" between the two readings.
        assertTrue(left.getRemainingMs() <= granted.getDeadlineMs() - beforeResume, left::toString);
        assertTrue(left.getRemainingMs() >= granted.getDeadlineMs() - afterReplay, left::toString);
    }
}
