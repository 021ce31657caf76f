package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Cluster nodes in this JVM, one for each client, sharing one test Redis: the tests of what Redis
 * going wrong does to a conversation between two nodes. Closes its clients, then its nodes.
 */
final class NodePerClient implements AutoCloseable {

    private final RedisServer redis;
    private final UnaryOperator<ServerOptions.Builder> options;
    private final List<HotPochatoServer> nodes = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();

    /** Nodes with one worker loop and no resume grace, each with {@code options} on top. */
    NodePerClient(RedisServer redis, UnaryOperator<ServerOptions.Builder> options) {
        this.redis = redis;
        this.options = options;
    }

    NodePerClient(RedisServer redis) {
        this(redis, UnaryOperator.identity());
    }

    /** A new node, and {@code name} connected to it. */
    TestClient client(String name) throws InterruptedException {
        HotPochatoServer node = HotPochatoServer.start(options.apply(ServerOptions.builder()
                .bindAddress("127.0.0.1").port(0).resumeGrace(Duration.ZERO).workerThreads(1)
                .cluster(redis.uri())).build());
        nodes.add(node);
        TestClient c = TestClient.hello(new InetSocketAddress("127.0.0.1", node.port()), name);
        clients.add(c);
        return c;
    }

    /** {@code members} join {@code room} in order, with what the joins brought read. */
    static void joinAll(String room, TestClient... members) throws InterruptedException {
        joinAll(room, null, members);
    }

    /** As {@link #joinAll(String, TestClient...)}, the first creating the room with {@code options}. */
    static void joinAll(String room, RoomOptions options, TestClient... members) throws InterruptedException {
        for (TestClient m : members) {
            Join.Builder join = Join.newBuilder().setRoom(room);
            if (options != null) {
                join.setOptions(options);
            }
            m.send(ClientFrame.newBuilder().setJoin(join));
            m.expect(BodyCase.JOINED);
        }
        for (TestClient m : members) {
            m.drain(room);
        }
    }

    @Override
    public void close() {
        clients.forEach(TestClient::close);
        nodes.forEach(HotPochatoServer::close);
    }
}
