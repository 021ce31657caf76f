package dev.hotpochato.server.cli;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A node (a child JVM) killed with SIGKILL while its client holds the turn: the turn timer the other
 * node armed too moves the turn on, and every Say the dead node's client was told was committed
 * reached the other node's client exactly once, with no seq missing or repeated.
 */
class ClusterNodeCrashTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(true);

    @Test
    void theTurnMovesOnWhenTheHoldersNodeIsKilled() throws Exception {
        try (ChildServer childNode = ChildServer.launch("--bind", "127.0.0.1", "--port", "0", "--no-console",
                "--resume-grace", "0s", "--cluster", REDIS.uri())) {
            run(childNode, new InetSocketAddress("127.0.0.1", childNode.port()));
        }
    }

    private void run(ChildServer childNode, InetSocketAddress childAddress) throws Exception {
        try (HotPochatoServer node = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                     .resumeGrace(Duration.ZERO).workerThreads(1).cluster(REDIS.uri()).build());
             TestClient alice = TestClient.hello(childAddress, "alice");
             TestClient bob = TestClient.hello(new InetSocketAddress("127.0.0.1", node.port()), "bob");
             TestClient carol = TestClient.hello(childAddress, "carol")) {
            RoomOptions quick = RoomOptions.newBuilder().setTurnTimeoutMs(1_000).build();
            alice.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea").setOptions(quick)));
            alice.expect(BodyCase.JOINED);
            bob.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea").setOptions(quick)));
            Transcript heard = new Transcript(bob, bob.expect(BodyCase.JOINED).getJoined().getRoom().getLastSeq());
            carol.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea").setOptions(quick)));
            carol.expect(BodyCase.JOINED);
            // alice, bob and carol speak in turn; each Say of alice's that her own copy confirms is
            // committed. carol's Say is committed by the child node, which so grants alice her turns.
            // A one-second turn can run out under a loaded machine before its holder's Say arrives:
            // then NOT_YOUR_TURN, and the holder speaks again on its next turn (never a timing failure).
            List<String> acknowledged = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                ServerFrame mine = sayOnTurn(alice, alice::await, "alice " + round);
                assertEquals("alice " + round, mine.getSaid().getText(), mine::toString);
                acknowledged.add(mine.getSaid().getText());
                sayOnTurn(bob, heard::until, "bob " + round);
                sayOnTurn(carol, carol::await, "carol " + round);
            }
            // alice holds the turn now, granted by her own node, which dies without a word.
            alice.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("alice"));
            ChildServer.kill("KILL", childNode.process.pid());
            childNode.process.waitFor();

            // bob's node expires alice's turn: it armed the timer as well, and the one-second turn runs
            // out before the node timeout declares the child dead (ClusterNodeKillResumeTest covers that).
            ServerFrame expired = heard.until(ServerFrame::hasTurnExpired);
            assertEquals("alice", expired.getTurnExpired().getName());
            assertEquals("bob", heard.until(ServerFrame::hasTurnGranted).getTurnGranted().getHolder());
            long id = bob.say("tea", "still here");
            assertEquals("still here", heard.until(f -> f.getRequestId() == id).getSaid().getText());
            for (String said : acknowledged) {
                assertEquals(1, heard.said.stream().filter(said::equals).count(), said);
            }
        }
    }

    /** How a test reads one client's frames up to the first that matches. */
    private interface Reader {
        ServerFrame until(Predicate<ServerFrame> match) throws InterruptedException;
    }

    /**
     * Waits for {@code c}'s turn and says {@code text}; a one-second turn can run out under a loaded
     * machine before the Say arrives (NOT_YOUR_TURN): then again on its next turn. Returns the reply.
     */
    private static ServerFrame sayOnTurn(TestClient c, Reader reader, String text) throws InterruptedException {
        while (true) {
            reader.until(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals(c.name()));
            long id = c.say("tea", text);
            ServerFrame reply = reader.until(f -> f.getRequestId() == id);
            if (!reply.hasError() || reply.getError().getCode() != Error.Code.NOT_YOUR_TURN) {
                return reply;
            }
        }
    }

    /** What one client reads of a room: every numbered event checked to follow the last, the Says kept. */
    private static final class Transcript {
        private final TestClient client;
        private long lastSeq;
        final List<String> said = new ArrayList<>();

        Transcript(TestClient client, long joinedAfter) {
            this.client = client;
            this.lastSeq = joinedAfter;
        }

        ServerFrame until(Predicate<ServerFrame> match) throws InterruptedException {
            while (true) {
                ServerFrame f = client.next();
                long seq = RoomEvents.seq(f);
                if (seq > 0) {
                    assertEquals(lastSeq + 1, seq, () -> "a gap or a repeat before " + f);
                    lastSeq = seq;
                    if (f.hasSaid()) {
                        said.add(f.getSaid().getText());
                    }
                }
                if (match.test(f)) {
                    return f;
                }
            }
        }
    }
}
