package dev.hotpochato.server;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis crashes (SIGKILL) in the middle of a conversation across two nodes and comes back from its
 * append-only file ({@code appendfsync always}): while it is down a request is answered
 * {@code UNAVAILABLE} and changes nothing; once it is back the room carries on where it was, and no
 * committed event is lost or repeated.
 */
class ClusterRedisRestartTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(true);

    private final NodePerClient nodes = new NodePerClient(REDIS);

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aRoomCarriesOnAfterRedisIsKilledAndRestartsFromItsAppendOnlyFile() throws Exception {
        TestClient alice = nodes.client("alice");
        TestClient bob = nodes.client("bob");
        NodePerClient.joinAll("tea", alice, bob);
        alice.say("tea", "before the crash");
        assertEquals("before the crash", bob.expect(BodyCase.SAID).getSaid().getText());
        ServerFrame grant = bob.expect(BodyCase.TURN_GRANTED);
        assertEquals("bob", grant.getTurnGranted().getHolder());
        long seq = RoomEvents.seq(grant);
        assertEquals("before the crash", alice.expect(BodyCase.SAID).getSaid().getText());
        assertEquals(seq, RoomEvents.seq(alice.expect(BodyCase.TURN_GRANTED)));

        REDIS.kill();
        long refused = bob.say("tea", "while Redis is down");
        Error error = bob.expectError(Error.Code.UNAVAILABLE);
        assertEquals("tea", error.getRoom());
        assertTrue(refused > 0);

        REDIS.restart();
        // Lettuce reconnects within about 2 s: until then the same UNAVAILABLE; nothing else.
        ServerFrame said = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (said == null && System.nanoTime() < deadline) {
            long id = bob.say("tea", "after the restart");
            ServerFrame answer = bob.await(f -> f.getRequestId() == id);
            if (answer.hasSaid()) {
                said = answer;
            } else {
                assertEquals(Error.Code.UNAVAILABLE, answer.getError().getCode(), answer::toString);
                Thread.sleep(100); // polling for Redis to be back: a bounded wait, not a timing assumption
            }
        }
        assertTrue(said != null, "bob could speak again once Redis was back");
        assertEquals(seq + 1, RoomEvents.seq(said), "the room kept every committed event, and only those");
        ServerFrame heard = alice.expect(BodyCase.SAID);
        assertEquals("after the restart", heard.getSaid().getText(), "alice heard nothing in between");
        assertEquals(seq + 1, RoomEvents.seq(heard));
        assertEquals("alice", alice.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
    }
    @Test
    void aTurnWhoseDeadlinePassedWhileRedisWasDownExpiresOnceItIsBack() throws Exception {
        TestClient alice = nodes.client("alice");
        TestClient bob = nodes.client("bob");
        RoomOptions quick = RoomOptions.newBuilder().setTurnTimeoutMs(2_000).build();
        alice.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("clock").setOptions(quick)));
        alice.expect(BodyCase.JOINED);
        bob.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("clock").setOptions(quick)));
        bob.expect(BodyCase.JOINED);
        ServerFrame grant = bob.await(f -> f.hasTurnGranted());
        long deadline = grant.getTurnGranted().getDeadlineMs();

        REDIS.kill();
        // The deadline passes while Redis is away: both nodes' timers fire and their commits fail.
        while (System.currentTimeMillis() < deadline + 1_000) {
            Thread.sleep(50); // waiting for the wall clock the turn's deadline is set in, within a bound
        }
        REDIS.restart();
        // Nobody speaks: only a retried timer can move the turn on.
        ServerFrame expired = bob.await(f -> f.hasTurnExpired());
        assertEquals(grant.getTurnGranted().getHolder(), expired.getTurnExpired().getName());
        assertTrue(bob.await(f -> f.hasTurnGranted()).getTurnGranted().getTurn() > grant.getTurnGranted().getTurn());
    }
}
