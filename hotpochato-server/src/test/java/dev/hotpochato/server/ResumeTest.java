package dev.hotpochato.server;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A lost connection loses nothing: the member is away, then resumes and gets every missed event once. */
class ResumeTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private ServerFixture start(ServerOptions.Builder options) throws InterruptedException {
        fixture = new ServerFixture(options);
        return fixture;
    }

    @Test
    void resumedMemberGetsEveryMissedEventOnceInOrderAndItsPlaceBack() throws Exception {
        ServerFixture f = start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(30)));
        List<TestClient> m = f.room("tea", "alice", "bob", "carol");
        TestClient alice = m.get(0);
        TestClient bob = m.get(1);
        TestClient carol = m.get(2);
        long carolSaw = carol.lastSeq("tea");

        carol.close();
        assertEquals("carol", alice.expect(BodyCase.MEMBER_AWAY).getMemberAway().getName());
        bob.expect(BodyCase.MEMBER_AWAY);

        alice.say("tea", "one");     // bob's turn next
        bob.say("tea", "two");       // carol's turn: skipped, back to alice
        for (TestClient c : List.of(alice, bob)) {
            c.expect(BodyCase.SAID);
            c.expect(BodyCase.TURN_GRANTED);
            c.expect(BodyCase.SAID);
            assertEquals("carol", c.expect(BodyCase.TURN_SKIPPED).getTurnSkipped().getName());
            assertEquals("alice", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        }

        TestClient back = f.track(TestClient.resume(f.address, carol, Map.of("tea", carolSaw)));
        assertTrue(back.welcome().getResumed());
        List<ServerFrame> replay = new ArrayList<>();
        ServerFrame f1;
        while ((f1 = back.next()).getBodyCase() != BodyCase.MEMBER_BACK) {
            replay.add(f1);
        }
        assertEquals(List.of(BodyCase.MEMBER_AWAY, BodyCase.SAID, BodyCase.TURN_GRANTED, BodyCase.SAID,
                BodyCase.TURN_SKIPPED, BodyCase.TURN_GRANTED, BodyCase.TURN_TIME_LEFT),
                replay.stream().map(ServerFrame::getBodyCase).toList());
        replay.remove(replay.size() - 1); // not numbered: how long alice's turn has left
        long seq = carolSaw;
        for (ServerFrame frame : replay) {
            assertEquals(++seq, RoomEvents.seq(frame), "no gap, no duplicate");
        }
        assertEquals(seq + 1, f1.getMemberBack().getSeq());
        alice.expect(BodyCase.MEMBER_BACK);
        bob.expect(BodyCase.MEMBER_BACK);

        // carol has her place in the rotation again: after alice and bob comes carol.
        alice.say("tea", "three");
        bob.expect(BodyCase.SAID);
        bob.expect(BodyCase.TURN_GRANTED);
        bob.say("tea", "four");
        back.expect(BodyCase.SAID);
        back.expect(BodyCase.TURN_GRANTED);
        back.expect(BodyCase.SAID);
        assertEquals("carol", back.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        back.say("tea", "I'm back");
        ServerFrame said = alice.await(fr -> fr.hasSaid() && fr.getSaid().getSpeaker().equals("carol"));
        assertEquals("I'm back", said.getSaid().getText());
    }

    @Test
    void memberNotBackInTimeLeavesWithReasonDisconnected() throws Exception {
        ServerFixture f = start(ServerOptions.builder().resumeGrace(Duration.ofMillis(200)));
        List<TestClient> m = f.room("tea", "alice", "bob");
        m.get(1).close();
        m.get(0).expect(BodyCase.MEMBER_AWAY);
        ServerFrame left = m.get(0).await(ServerFrame::hasMemberLeft);
        assertEquals(MemberLeft.Reason.DISCONNECTED, left.getMemberLeft().getReason());

        TestClient late = f.track(TestClient.connect(f.address));
        late.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                .setResumeToken(m.get(1).welcome().getResumeToken())));
        late.expectError(Error.Code.RESUME_FAILED);
        late.expectClosed();
    }

    @Test
    void sessionInNoRoomCanBeResumedToo() throws Exception {
        ServerFixture f = start(ServerOptions.builder());
        TestClient idle = f.client("idle");
        idle.close();
        TestClient back = f.track(TestClient.resume(f.address, idle, Map.of()));
        assertTrue(back.welcome().getResumed());
        assertEquals("idle", back.welcome().getDisplayName());
        back.join("now");
        back.expect(BodyCase.JOINED);
    }

    @Test
    void kickedClientCannotResumeEvenBeforeItsSocketCloses() throws Exception {
        ServerFixture f = start(ServerOptions.builder().maxFramesPerSecond(5).frameBurst(10));
        List<TestClient> m = f.room("k", "alice", "xavier");
        TestClient xavier = m.get(1);
        for (int i = 0; i < 30; i++) {
            xavier.sendAndForget(ClientFrame.newBuilder().setPing(dev.hotpochato.protocol.v1.Ping.getDefaultInstance()));
        }
        xavier.await(ServerFrame::hasError); // RATE_LIMITED; the socket is still open for a moment
        TestClient again = f.track(TestClient.connect(f.address));
        again.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                .setResumeToken(xavier.welcome().getResumeToken())));
        again.expectError(Error.Code.RESUME_FAILED);
        ServerFrame left = m.get(0).await(ServerFrame::hasMemberLeft);
        assertEquals(MemberLeft.Reason.KICKED, left.getMemberLeft().getReason());
    }

    @Test
    void pairThatClosedWhileAwayIsReportedOnResume() throws Exception {
        ServerFixture f = start(ServerOptions.builder());
        TestClient pam = f.client("pam");
        TestClient quinn = f.client("quinn");
        pam.send(ClientFrame.newBuilder().setMatch(dev.hotpochato.protocol.v1.Match.getDefaultInstance()));
        pam.send(ClientFrame.newBuilder().setMatch(dev.hotpochato.protocol.v1.Match.getDefaultInstance()));
        pam.expectError(Error.Code.ALREADY_MATCHING); // the lobby has pam waiting before quinn asks
        quinn.send(ClientFrame.newBuilder().setMatch(dev.hotpochato.protocol.v1.Match.getDefaultInstance()));
        String room = pam.expect(BodyCase.PAIRED).getPaired().getRoom();
        pam.drain(room);
        quinn.drain(room);
        pam.close();
        quinn.expect(BodyCase.MEMBER_AWAY);
        quinn.send(ClientFrame.newBuilder().setLeave(dev.hotpochato.protocol.v1.Leave.newBuilder().setRoom(room)));
        quinn.await(ServerFrame::hasLeft);
        TestClient back = f.track(TestClient.resume(f.address, pam, Map.of(room, pam.lastSeq(room))));
        ServerFrame closed = back.expect(BodyCase.ROOM_CLOSED);
        assertEquals(room, closed.getRoomClosed().getRoom());
        assertEquals(0, closed.getRoomClosed().getSeq(), "not a numbered event: it happened while away");
    }

    @Test
    void everyResumeIssuesANewTokenAndTheOldOneStopsWorkingOnceTheClientSpeaks() throws Exception {
        ServerFixture f = start(ServerOptions.builder());
        List<TestClient> m = f.room("tea", "alice", "bob");
        TestClient alice = m.get(0);
        TestClient bob = m.get(1);
        String t1 = bob.welcome().getResumeToken();
        bob.close();
        alice.expect(BodyCase.MEMBER_AWAY);

        TestClient second = f.track(TestClient.resume(f.address, bob, Map.of("tea", bob.lastSeq("tea"))));
        String t2 = second.welcome().getResumeToken();
        assertTrue(second.welcome().getResumed());
        assertNotEquals(t1, t2);
        assertEquals(t1.length(), t2.length(), "as unguessable as the first");
        second.await(ServerFrame::hasMemberBack);
        alice.expect(BodyCase.MEMBER_BACK);
        // A frame on the resumed connection shows the client has the new token.
        second.send(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(7)));
        second.await(ServerFrame::hasPong);

        // Refused while the session is connected: the old token cannot take it over...
        TestClient replayed = f.track(TestClient.connect(f.address));
        long id = replayed.send(resumeFrame(t1));
        ServerFrame refused = replayed.expect(BodyCase.ERROR);
        assertEquals(Error.Code.RESUME_FAILED, refused.getError().getCode());
        assertTrue(refused.getError().getFatal());
        assertEquals(id, refused.getRequestId());
        replayed.expectClosed();
        second.expectNothingMore();
        alice.expectNothingMore("tea");

        // ...nor while it is away.
        second.close();
        alice.expect(BodyCase.MEMBER_AWAY);
        TestClient again = f.track(TestClient.connect(f.address));
        again.send(resumeFrame(t1));
        again.expectError(Error.Code.RESUME_FAILED);
        again.expectClosed();

        TestClient third = f.track(TestClient.resume(f.address, second, Map.of("tea", second.lastSeq("tea"))));
        assertTrue(third.welcome().getResumed());
        assertNotEquals(t2, third.welcome().getResumeToken());
        assertNotEquals(t1, third.welcome().getResumeToken());
        third.await(ServerFrame::hasMemberBack);
        assertEquals("bob", alice.expect(BodyCase.MEMBER_BACK).getMemberBack().getName());
    }

    @Test
    void resumeRefusedForItsCredentialsDoesNotUseUpTheToken() throws Exception {
        ServerFixture f = start(ServerOptions.builder().authenticator((name, token, remote) ->
                CompletableFuture.completedFuture("s3cret".equals(token))));
        TestClient dora = f.track(TestClient.connect(f.address));
        String token = dora.hello("dora", "s3cret").getResumeToken();
        dora.close();

        TestClient impostor = f.track(TestClient.connect(f.address));
        impostor.send(resumeFrame(token));
        impostor.expectError(Error.Code.UNAUTHENTICATED);
        impostor.expectClosed();

        TestClient back = f.track(TestClient.connect(f.address));
        back.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                .setResumeToken(token).setAuthToken("s3cret")));
        assertTrue(back.expect(BodyCase.WELCOME).getWelcome().getResumed());
    }

    /**
     * The Welcome answering a Resume is lost with its connection, so the client never learns the
     * new token. It resumes again with the one it has, and gets its seat back with nothing missed,
     * instead of being locked out of its rooms (its name and seat kept by a session it can no
     * longer reach) until the grace period ends.
     */
    @Test
    void clientThatLostTheWelcomeOfItsResumeResumesWithTheTokenItHas() throws Exception {
        ServerFixture f = start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(30)));
        List<TestClient> m = f.room("tea", "alice", "bob");
        TestClient alice = m.get(0);
        TestClient bob = m.get(1);
        String token = bob.welcome().getResumeToken();
        long seen = bob.lastSeq("tea");
        bob.close();
        alice.expect(BodyCase.MEMBER_AWAY);

        // The Resume is accepted, but the connection is cut before the client reads its Welcome.
        TestClient cut = f.track(TestClient.connect(f.address));
        cut.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setResumeToken(token).putLastSeq("tea", seen)));
        alice.expect(BodyCase.MEMBER_BACK);
        cut.close();
        alice.expect(BodyCase.MEMBER_AWAY);

        TestClient retry = f.track(TestClient.connect(f.address));
        retry.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setResumeToken(token).putLastSeq("tea", seen)));
        ServerFrame welcome = retry.expect(BodyCase.WELCOME);
        assertTrue(welcome.getWelcome().getResumed());
        assertNotEquals(token, welcome.getWelcome().getResumeToken());
        retry.await(ServerFrame::hasMemberBack);
        assertEquals("bob", alice.expect(BodyCase.MEMBER_BACK).getMemberBack().getName());

        // Once the client speaks on the resumed connection, the token it resumed with is spent.
        retry.send(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(1)));
        retry.await(ServerFrame::hasPong);
        TestClient thief = f.track(TestClient.connect(f.address));
        thief.send(resumeFrame(token));
        thief.expectError(Error.Code.RESUME_FAILED);
        thief.expectClosed();
    }

    private static ClientFrame.Builder resumeFrame(String token) {
        return ClientFrame.newBuilder().setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setResumeToken(token));
    }

    @Test
    void unknownResumeTokenIsRefused() throws Exception {
        ServerFixture f = start(ServerOptions.builder());
        TestClient c = f.track(TestClient.connect(f.address));
        c.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setResumeToken("forged")));
        assertTrue(c.expectError(Error.Code.RESUME_FAILED).getFatal());
        c.expectClosed();
    }

    @Test
    void silentConnectionIsClosedAndItsMemberTimesOut() throws Exception {
        ServerFixture f = start(ServerOptions.builder().idleTimeout(Duration.ofMillis(600))
                .resumeGrace(Duration.ofMillis(100)));
        List<TestClient> m = f.room("tea", "bob", "sleepy");
        TestClient bob = m.get(0);
        TestClient sleepy = m.get(1);
        assertEquals(200, bob.welcome().getHeartbeatIntervalMs(), "clients are asked to ping at a third of the limit");
        bob.keepAlive(Duration.ofMillis(150)); // sleepy says nothing at all
        sleepy.expectError(Error.Code.IDLE_TIMEOUT);
        sleepy.expectClosed();
        ServerFrame away = bob.await(ServerFrame::hasMemberAway);
        assertEquals("sleepy", away.getMemberAway().getName());
        ServerFrame left = bob.await(ServerFrame::hasMemberLeft);
        assertEquals(MemberLeft.Reason.TIMED_OUT, left.getMemberLeft().getReason());
    }

    @Test
    void memberTooFarBehindIsToldHistoryWasLost() throws Exception {
        ServerFixture f = start(ServerOptions.builder().historySize(4));
        List<TestClient> m = f.room("tea", "alice", "bob", "carol");
        long seen = m.get(2).lastSeq("tea");
        m.get(2).close();
        m.get(0).expect(BodyCase.MEMBER_AWAY);
        for (int i = 0; i < 3; i++) {
            TestClient holder = i % 2 == 0 ? m.get(0) : m.get(1);
            holder.pass("tea");
            holder.await(ServerFrame::hasTurnGranted);
        }
        TestClient back = f.track(TestClient.resume(f.address, m.get(2), Map.of("tea", seen)));
        ServerFrame lost = back.expect(BodyCase.HISTORY_LOST);
        assertEquals(seen, lost.getHistoryLost().getLastSeenSeq());
        assertEquals(BodyCase.JOINED, back.expect(BodyCase.JOINED).getBodyCase());
        back.expect(BodyCase.TURN_TIME_LEFT);
        back.expect(BodyCase.MEMBER_BACK);
    }

    /** §15: names in last_seq of rooms the session is not in are ignored, however many there are. */
    @Test
    void resumeIgnoresRoomsTheSessionIsNotIn() throws Exception {
        ServerFixture f = start(ServerOptions.builder());
        List<TestClient> m = f.room("tea", "alice", "bob");
        TestClient bob = m.get(1);
        bob.close();
        m.get(0).expect(BodyCase.MEMBER_AWAY);
        Map<String, Long> lastSeq = new HashMap<>();
        for (int i = 0; i < 3000; i++) {
            lastSeq.put("made-up-" + i, 5L);
        }
        lastSeq.put("tea", bob.lastSeq("tea"));
        TestClient back = f.track(TestClient.resume(f.address, bob, lastSeq));
        List<ServerFrame> replay = new ArrayList<>();
        ServerFrame frame;
        while (!(frame = back.next()).hasMemberBack()) {
            replay.add(frame);
        }
        assertEquals(List.of(BodyCase.MEMBER_AWAY, BodyCase.TURN_TIME_LEFT),
                replay.stream().map(ServerFrame::getBodyCase).toList());
        back.expectNothingMore();
    }
}
