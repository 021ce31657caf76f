package dev.hotpochato.server;

import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The turn policies end to end in cluster mode: every scenario of {@link PolicyEndToEndTest}, with
 * its clients spread over two nodes that share one real redis-server (the first client on one node,
 * the second on the other, and so on), and the same frames expected as from one server.
 */
class ClusterPolicyEndToEndTest extends PolicyEndToEndTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private HotPochatoServer a;
    private HotPochatoServer b;

    @BeforeEach
    @Override
    void start() throws Exception {
        assertEquals("+OK", REDIS.command("FLUSHALL"));
        a = node();
        b = node();
    }

    private static HotPochatoServer node() throws InterruptedException {
        return HotPochatoServer.start(ServerOptions.builder()
                .bindAddress("127.0.0.1").port(0).maxFrameBytes(4096).maxTextBytes(1024)
                .resumeGrace(Duration.ZERO).workerThreads(2).cluster(REDIS.uri()).build());
    }

    @AfterEach
    @Override
    void stop() {
        clients.forEach(TestClient::close);
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    @Override
    InetSocketAddress address(int i) {
        return new InetSocketAddress("127.0.0.1", (i % 2 == 0 ? a : b).port());
    }

    /** Not a test here: it resumes on one in-memory server; resuming across nodes is cluster mode's resume path. */
    @Override
    void aMemberResumingAQueueRoomGetsTheFloorEventsItMissedWithoutGaps() {
    }

    /** Not a test here, for the same reason. */
    @Override
    void inAModeratedRoomEveryoneSeesOneHolderAtATimeInTheSameOrderAndAResumeFillsTheGapExactly() {
    }
}
