package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis loses the nodes' function library while they run ({@code FUNCTION FLUSH}, as after a restart
 * without its data): the nodes load it again at the first call that finds it missing, so the next
 * {@code Say} is committed as usual and a turn timer's expiry still happens.
 */
class ClusterFunctionFlushTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private final NodePerClient nodes = new NodePerClient(REDIS);

    @AfterEach
    void stop() {
        nodes.close();
    }

    @Test
    void aSayAndATurnExpiryAreCommittedAfterRedisLostTheFunctionLibrary() throws Exception {
        TestClient alice = nodes.client("alice");
        TestClient bob = nodes.client("bob");
        RoomOptions quick = RoomOptions.newBuilder().setTurnTimeoutMs(2_000).build();
        NodePerClient.joinAll("tea", quick, alice, bob);

        assertEquals("OK", REDIS.command("FUNCTION FLUSH").substring(1));
        long id = alice.say("tea", "after the flush");
        ServerFrame answer = alice.await(f -> f.getRequestId() == id);
        assertEquals(BodyCase.SAID, answer.getBodyCase(), answer::toString);
        assertEquals("after the flush", bob.expect(BodyCase.SAID).getSaid().getText());
        ServerFrame grant = bob.await(ServerFrame::hasTurnGranted);
        assertEquals("bob", grant.getTurnGranted().getHolder());

        // Lost again while bob holds the turn: only a turn timer's commit can move it on.
        assertEquals("OK", REDIS.command("FUNCTION FLUSH").substring(1));
        ServerFrame expired = alice.await(ServerFrame::hasTurnExpired);
        assertEquals("bob", expired.getTurnExpired().getName());
        assertEquals("alice", alice.await(ServerFrame::hasTurnGranted).getTurnGranted().getHolder());
    }
}
