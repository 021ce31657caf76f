package dev.hotpochato.server.cli;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node (a child JVM) stopped with SIGSTOP past the node timeout while its client holds the turn,
 * then continued with SIGCONT: the other node declares it dead and passes the turn on within
 * seconds; once it runs again it is fenced: the Say its client sent while it was stopped is
 * committed nowhere, it heartbeats no more, and its clients, a silent one included (its idle
 * timeout is shorter than the pause), are closed with SERVER_SHUTTING_DOWN, not IDLE_TIMEOUT; they
 * resume on the other node with every seq once, in order.
 */
class ClusterNodePauseTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer();

    private static final Pattern GENERATION = Pattern.compile("node generation (\\d+)");
    /** The paused node's idle timeout: shorter than the pause, so that it runs out while the node is stopped. */
    private static final long IDLE_MILLIS = 3_000;
    private static final String STALE = "said while my node was stopped";

    @Test
    void aPausedNodeIsFencedWritesNothingAndItsClientsResumeElsewhere() throws Exception {
        String[] liveness = {"--cluster-heartbeat", "100ms", "--cluster-node-timeout", "1500ms"};
        try (ChildServer paused = ChildServer.launch(args(liveness, "--idle-timeout", IDLE_MILLIS + "ms"));
             ChildServer other = ChildServer.launch(args(liveness))) {
            try {
                run(paused, other);
            } catch (Throwable t) {
                // The other node's side of the story (the paused node's output is in the failure).
                System.out.println("the other node's output:\n" + other.output() + "\nthe paused node's:\n" + paused.output());
                throw t;
            }
        }
    }

    private void run(ChildServer paused, ChildServer other) throws Exception {
        long pausedGeneration = Long.parseLong(paused.await(GENERATION).group(1));
        InetSocketAddress pausedAddress = new InetSocketAddress("127.0.0.1", paused.port());
        InetSocketAddress otherAddress = new InetSocketAddress("127.0.0.1", other.port());
        List<TestClient> all = new ArrayList<>();
        try {
            TestClient alice = track(all, TestClient.hello(pausedAddress, "alice"));
            TestClient bob = track(all, TestClient.hello(otherAddress, "bob"));
            TestClient dave = track(all, TestClient.hello(pausedAddress, "dave"));
            Transcript heard = null;
            for (TestClient c : List.of(alice, bob, dave)) {
                c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea")
                        .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(120_000))));
                ServerFrame joined = c.expect(BodyCase.JOINED);
                if (c == bob) {
                    heard = new Transcript(bob, joined.getJoined().getRoom().getLastSeq());
                }
            }
            alice.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("alice"));
            heard.until(f -> f.hasMemberJoined() && f.getMemberJoined().getName().equals("dave"));
            dave.drain("tea");
            // alice holds the turn (two minutes). Both clients of the node to pause have just been
            // heard from, so only the pause can make them look idle.
            for (TestClient c : List.of(alice, dave)) {
                c.send(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(7)));
                c.await(ServerFrame::hasPong);
            }
            long quiet = System.nanoTime();
            // Started side by side and running for many heartbeats, neither node was taken for dead.
            assertEquals("*0", REDIS.command("SMEMBERS hp:nodes:dead"));

            ChildServer.kill("STOP", paused.process.pid());
            long stopped = System.nanoTime();
            ServerFrame away = heard.until(f -> f.hasMemberAway() || f.hasTurnGranted());
            assertEquals("alice", away.getMemberAway().getName(), away::toString);
            assertEquals("bob", heard.until(ServerFrame::hasTurnGranted).getTurnGranted().getHolder());
            long movedOnMillis = (System.nanoTime() - stopped) / 1_000_000;
            System.out.printf("the turn moved on %d ms after the holder's node was stopped (node timeout 1500 ms)%n",
                    movedOnMillis);
            assertTrue(movedOnMillis < 5_000, movedOnMillis + " ms");
            // alice, who still holds the turn as her stopped node knows it, speaks: the node reads it
            // when it runs again.
            alice.say("tea", STALE);
            // The pause lasts past the stopped node's idle timeout: dave looks idle to it.
            long idleOver = quiet + TimeUnit.MILLISECONDS.toNanos(IDLE_MILLIS + 1_000);
            TimeUnit.NANOSECONDS.sleep(Math.max(0, idleOver - System.nanoTime())); // the SIGSTOP interval itself
            ChildServer.kill("CONT", paused.process.pid());

            // Fenced: every client of the stopped node is sent elsewhere, none blamed for idling.
            for (TestClient c : List.of(alice, dave)) {
                ServerFrame f;
                while (!(f = c.next()).hasError() || !f.getError().getFatal()) {
                    assertFalse(f.hasSaid(), f::toString); // alice's Say is refused (UNAVAILABLE), if answered
                }
                assertEquals(Error.Code.SERVER_SHUTTING_DOWN, f.getError().getCode(), f.toString());
                c.expectClosed();
            }
            paused.await(Pattern.compile("node " + pausedGeneration + " was declared dead by the cluster"));
            // It serves nothing more, so it exits, for its supervisor to start a new node in its place.
            assertTrue(paused.process.waitFor(TestClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                    "a fenced node exits");
            assertEquals(ServerCommand.EXIT_FENCED, paused.process.exitValue());
            // It wrote nothing: no heartbeat, and alice's Say was committed nowhere (below).
            assertEquals(":1", REDIS.command("SISMEMBER hp:nodes:dead " + pausedGeneration));
            assertEquals(":0", REDIS.command("EXISTS hp:node:" + pausedGeneration));

            // Both resume on the other node with what they missed, in order, none twice.
            Map<TestClient, Transcript> resumed = new java.util.HashMap<>();
            for (TestClient lost : List.of(alice, dave)) {
                TestClient back = track(all, TestClient.resume(otherAddress, lost, Map.of("tea", lost.lastSeq("tea"))));
                assertTrue(back.welcome().getResumed());
                Transcript replay = new Transcript(back, lost.lastSeq("tea"));
                replay.until(f -> f.hasMemberBack() && f.getMemberBack().getName().equals(lost.name()));
                assertFalse(replay.said.contains(STALE));
                heard.until(f -> f.hasMemberBack() && f.getMemberBack().getName().equals(lost.name()));
                resumed.put(lost, replay);
            }
            // The room carries on, heard by everyone with no seq missing or repeated.
            long id = bob.say("tea", "welcome back");
            heard.until(f -> f.getRequestId() == id);
            for (Transcript t : resumed.values()) {
                assertEquals("welcome back", t.until(ServerFrame::hasSaid).getSaid().getText());
            }
            assertEquals(List.of("welcome back"), heard.said, "the stopped node's Say was committed nowhere");
        } finally {
            all.forEach(TestClient::close);
        }
    }

    private static String[] args(String[] liveness, String... more) {
        List<String> args = new ArrayList<>(List.of("--bind", "127.0.0.1", "--port", "0", "--no-console", "--threads", "1",
                "--resume-grace", "60s", "--cluster", REDIS.uri()));
        args.addAll(List.of(liveness));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    private static TestClient track(List<TestClient> all, TestClient c) {
        all.add(c);
        return c;
    }

    /** What one client reads of a room: every numbered event checked to follow the last, the Says kept. */
    private static final class Transcript {
        private final TestClient client;
        private long lastSeq;
        final List<String> said = new ArrayList<>();

        Transcript(TestClient client, long after) {
            this.client = client;
            this.lastSeq = after;
        }

        ServerFrame until(Predicate<ServerFrame> match) throws InterruptedException {
            while (true) {
                ServerFrame f = client.next();
                long seq = RoomEvents.seq(f);
                if (seq > 0) {
                    assertEquals(lastSeq + 1, seq, () -> client.name() + ": a gap or a repeat before " + f);
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
