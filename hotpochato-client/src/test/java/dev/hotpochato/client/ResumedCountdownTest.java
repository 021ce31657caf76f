package dev.hotpochato.client;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Joined;
import dev.hotpochato.protocol.v1.Member;
import dev.hotpochato.protocol.v1.MemberBack;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.RoomSnapshot;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.TurnGranted;
import dev.hotpochato.protocol.v1.TurnTimeLeft;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After a resume the countdown is the turn's time left, not the full length of a replayed grant:
 * a scripted server replays a grant of 30 s and then says 2 s are left.
 */
class ResumedCountdownTest {

    @Test
    void aResumedRoomCountsDownFromTheTimeLeftNotFromAReplayedGrantsFullLength() throws Exception {
        try (FakeServer server = new FakeServer(false)) {
            FakeServer.Welcomed welcomed = server.welcomeResumable();
            Session session = welcomed.session();
            Channel first = welcomed.connection();
            EventLog log = new EventLog();
            session.addListener(log);

            CompletableFuture<RoomHandle> joining = session.join("r");
            ClientFrame join = server.nextFrame();
            long now = System.currentTimeMillis();
            first.writeAndFlush(ServerFrame.newBuilder().setRequestId(join.getRequestId()).setJoined(Joined.newBuilder()
                    .setRoom(RoomSnapshot.newBuilder().setName("r").setLastSeq(3).setTurn(1).setHolder("bob")
                            .setDeadlineMs(now + 30_000).setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(30_000))
                            .addMembers(Member.newBuilder().setName("bob"))
                            .addMembers(Member.newBuilder().setName("me")))).build());
            RoomHandle room = Futures.await(joining);

            first.close();
            ClientFrame resume = server.nextFrame();
            assertTrue(resume.hasResume(), resume::toString);
            assertEquals(3, resume.getResume().getLastSeqOrThrow("r"));
            Channel second = server.connections.poll(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            second.write(FakeServer.welcome(resume.getRequestId(), true, "token-2"));
            // Turn 2 was granted 28 s ago, for 30 s; the replay carries the grant as it was sent.
            second.write(ServerFrame.newBuilder().setTurnGranted(TurnGranted.newBuilder().setRoom("r").setSeq(4)
                    .setHolder("bob").setTurn(2).setDeadlineMs(now + 2_000).setDurationMs(30_000)).build());
            second.write(ServerFrame.newBuilder().setTurnTimeLeft(TurnTimeLeft.newBuilder().setRoom("r").setTurn(2)
                    .setHolder("bob").setRemainingMs(2_000).setDeadlineMs(now + 2_000)).build());
            second.writeAndFlush(ServerFrame.newBuilder().setMemberBack(MemberBack.newBuilder().setRoom("r").setSeq(5)
                    .setName("me")).build());
            log.awaitEvent("member-back r me");

            Turn turn = room.turn().orElseThrow();
            assertEquals(2, turn.number());
            assertEquals("bob", turn.holder());
            assertEquals(Duration.ofSeconds(30), turn.length().orElseThrow(), "the turn's length stays what it was");
            assertTrue(turn.timeLeft().orElseThrow().compareTo(Duration.ofSeconds(2)) <= 0, turn::toString);
        }
    }
}
