package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis loses the nodes' function library while they run ({@code FUNCTION FLUSH}, as after a restart
 * without its data): the nodes load it again at the first call that finds it missing, so the next
 * {@code Say} is committed as usual and a turn timer's expiry still happens.
 */
class ClusterFunctionFlushTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private final List<HotPochatoServer> nodes = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        nodes.forEach(HotPochatoServer::close);
    }

    private TestClient client(String name) throws InterruptedException {
        HotPochatoServer node = HotPochatoServer.start(ServerOptions.builder()
                .bindAddress("127.0.0.1").port(0).resumeGrace(Duration.ZERO).workerThreads(1)
                .cluster(REDIS.uri()).build());
        nodes.add(node);
        TestClient c = TestClient.hello(new InetSocketAddress("127.0.0.1", node.port()), name);
        clients.add(c);
        return c;
    }

    @Test
    void aSayAndATurnExpiryAreCommittedAfterRedisLostTheFunctionLibrary() throws Exception {
        TestClient alice = client("alice");
        TestClient bob = client("bob");
        RoomOptions quick = RoomOptions.newBuilder().setTurnTimeoutMs(2_000).build();
        alice.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea").setOptions(quick)));
        alice.expect(BodyCase.JOINED);
        bob.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea").setOptions(quick)));
        bob.expect(BodyCase.JOINED);
        bob.drain("tea");
        alice.drain("tea");

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
