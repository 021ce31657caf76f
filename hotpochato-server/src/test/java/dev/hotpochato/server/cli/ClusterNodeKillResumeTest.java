package dev.hotpochato.server.cli;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Match;
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
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node (a child JVM) killed with SIGKILL while its client holds the turn, with the default node
 * liveness settings: the other node declares it dead and marks its member away, so the turn moves on
 * at once rather than when it would expire (two minutes here); the killed node's client resumes on
 * the other node with its token and gets exactly what it missed; the room carries on. Strangers
 * matched across the two nodes go through the same kill in their pair room beside it.
 */
class ClusterNodeKillResumeTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(true);

    @Test
    void theKilledNodesClientResumesOnAnotherNodeAndTheTurnMovesOnAtOnce() throws Exception {
        try (ChildServer child = ChildServer.launch("--bind", "127.0.0.1", "--port", "0", "--no-console",
                "--resume-grace", "60s", "--cluster", REDIS.uri());
             HotPochatoServer node = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                     .resumeGrace(Duration.ofSeconds(60)).workerThreads(1).cluster(REDIS.uri()).build())) {
            InetSocketAddress childAddress = new InetSocketAddress("127.0.0.1", child.port());
            InetSocketAddress nodeAddress = new InetSocketAddress("127.0.0.1", node.port());
            RoomOptions slow = RoomOptions.newBuilder().setTurnTimeoutMs(120_000).build();
            List<TestClient> all = new ArrayList<>();
            try (TestClient alice = TestClient.hello(childAddress, "alice");
                 TestClient bob = TestClient.hello(nodeAddress, "bob");
                 TestClient carol = TestClient.hello(nodeAddress, "carol")) {
                all.addAll(List.of(alice, bob, carol));
                Transcript heard = null;
                for (TestClient c : all) {
                    c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea").setOptions(slow)));
                    ServerFrame joined = c.expect(BodyCase.JOINED);
                    if (c == bob) {
                        heard = new Transcript(bob, joined.getJoined().getRoom().getLastSeq());
                    }
                }
                // One round, acknowledged Says all; then alice, on the child node, holds the turn.
                List<String> acknowledged = new ArrayList<>();
                for (TestClient speaker : all) {
                    if (speaker == bob) {
                        heard.until(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("bob"));
                        long id = bob.say("tea", "bob one");
                        acknowledged.add(heard.until(f -> f.getRequestId() == id).getSaid().getText());
                        continue;
                    }
                    speaker.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals(speaker.name()));
                    long id = speaker.say("tea", speaker.name() + " one");
                    acknowledged.add(speaker.await(f -> f.getRequestId() == id).getSaid().getText());
                }
                alice.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("alice"));
                long aliceSaw = alice.lastSeq("tea");
                heard.until(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("alice"));
                carol.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("alice"));

                // Strangers matched across the two nodes: xena, on the child node, waits longer and
                // speaks first; one exchange, then she holds the pair's turn too.
                TestClient xena = TestClient.hello(childAddress, "xena");
                TestClient yuri = TestClient.hello(nodeAddress, "yuri");
                all.addAll(List.of(xena, yuri));
                xena.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
                awaitLobby(1);
                yuri.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
                String pair = xena.expect(BodyCase.PAIRED).getPaired().getRoom();
                assertEquals(pair, yuri.expect(BodyCase.PAIRED).getPaired().getRoom());
                Transcript talk = new Transcript(yuri, yuri.expect(BodyCase.JOINED).getJoined().getRoom().getLastSeq());
                xena.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("xena"));
                long x1 = xena.say(pair, "x1");
                xena.await(f -> f.getRequestId() == x1);
                talk.until(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("yuri"));
                long y1 = yuri.say(pair, "y1");
                talk.until(f -> f.getRequestId() == y1);
                talk.until(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("xena"));
                xena.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("xena"));
                long xenaSaw = xena.lastSeq(pair);

                ChildServer.kill("KILL", child.process.pid());
                long killed = System.nanoTime();
                child.process.waitFor();

                List<ServerFrame> missed = new ArrayList<>();
                ServerFrame away = heard.next();
                long movedOnMillis = (System.nanoTime() - killed) / 1_000_000;
                assertEquals(BodyCase.MEMBER_AWAY, away.getBodyCase(), away::toString);
                assertEquals("alice", away.getMemberAway().getName());
                missed.add(away);
                ServerFrame granted = heard.next();
                assertEquals("bob", granted.getTurnGranted().getHolder());
                missed.add(granted);
                System.out.printf("the turn moved on %d ms after the holder's node was killed "
                        + "(heartbeat 1 s, node timeout 3 s)%n", movedOnMillis);
                assertTrue(movedOnMillis < 60_000, "moved on by liveness, not by the two-minute turn timeout");

                long id = bob.say("tea", "bob two");
                ServerFrame said = heard.next();
                assertEquals(id, said.getRequestId());
                acknowledged.add(said.getSaid().getText());
                missed.add(said.toBuilder().setRequestId(0).build());
                missed.add(heard.next());
                carol.await(f -> f.hasTurnGranted() && f.getTurnGranted().getHolder().equals("carol"));
                long cid = carol.say("tea", "carol two");
                acknowledged.add(carol.await(f -> f.getRequestId() == cid).getSaid().getText());
                missed.add(heard.next());
                missed.add(heard.next());
                missed.add(heard.next());
                assertEquals(List.of(BodyCase.MEMBER_AWAY, BodyCase.TURN_GRANTED, BodyCase.SAID, BodyCase.TURN_GRANTED,
                        BodyCase.SAID, BodyCase.TURN_SKIPPED, BodyCase.TURN_GRANTED),
                        missed.stream().map(ServerFrame::getBodyCase).toList());

                TestClient back = TestClient.resume(nodeAddress, alice, Map.of("tea", aliceSaw));
                all.add(back);
                assertTrue(back.welcome().getResumed());
                List<ServerFrame> replay = new ArrayList<>();
                ServerFrame f;
                while ((f = back.next()).getBodyCase() != BodyCase.MEMBER_BACK) {
                    if (!f.hasTurnTimeLeft()) {
                        replay.add(f.toBuilder().setRequestId(0).build());
                    }
                }
                assertEquals(heard.lastSeq(), replay.get(replay.size() - 1).getTurnGranted().getSeq());
                assertEquals(missed, replay, "exactly what alice missed, in order, none twice");
                assertEquals("alice", heard.next().getMemberBack().getName());

                // The room carries on with alice in it.
                long last = bob.say("tea", "bob three");
                acknowledged.add(heard.until(f2 -> f2.getRequestId() == last).getSaid().getText());
                assertEquals("bob three", back.expect(BodyCase.SAID).getSaid().getText());
                List<String> replayed = new ArrayList<>();
                for (ServerFrame e : replay) {
                    if (e.hasSaid()) {
                        replayed.add(e.getSaid().getText());
                    }
                }
                assertEquals(List.of("bob two", "carol two"), replayed);
                // bob's seqs ran without a gap or a repeat throughout, and every Say its speaker had
                // confirmed reached him exactly once, alice's from before her node died included.
                for (String s : acknowledged) {
                    assertEquals(1, heard.said.stream().filter(s::equals).count(), s);
                }
                assertEquals(acknowledged, heard.said);

                // The pair: yuri is told xena is away and gets the turn she held; what he says is
                // kept for her; she resumes on his node, gets exactly what she missed, and they go on.
                List<ServerFrame> pairMissed = new ArrayList<>();
                ServerFrame pairAway = talk.next();
                assertEquals("xena", pairAway.getMemberAway().getName(), pairAway::toString);
                pairMissed.add(pairAway);
                ServerFrame moved = talk.next();
                assertEquals("yuri", moved.getTurnGranted().getHolder(), moved::toString);
                pairMissed.add(moved);
                long y2 = yuri.say(pair, "y2");
                ServerFrame y2Said = talk.next();
                assertEquals(y2, y2Said.getRequestId());
                pairMissed.add(y2Said.toBuilder().setRequestId(0).build());
                pairMissed.add(talk.next()); // her turn, skipped: she is away
                pairMissed.add(talk.next()); // his again
                assertEquals(List.of(BodyCase.MEMBER_AWAY, BodyCase.TURN_GRANTED, BodyCase.SAID,
                        BodyCase.TURN_SKIPPED, BodyCase.TURN_GRANTED),
                        pairMissed.stream().map(ServerFrame::getBodyCase).toList());
                TestClient xenaBack = TestClient.resume(nodeAddress, xena, Map.of(pair, xenaSaw));
                all.add(xenaBack);
                assertTrue(xenaBack.welcome().getResumed());
                List<ServerFrame> pairReplay = new ArrayList<>();
                while ((f = xenaBack.next()).getBodyCase() != BodyCase.MEMBER_BACK) {
                    if (!f.hasTurnTimeLeft()) {
                        pairReplay.add(f.toBuilder().setRequestId(0).build());
                    }
                }
                assertEquals(pairMissed, pairReplay, "exactly what xena missed, in order, none twice");
                assertEquals("xena", talk.next().getMemberBack().getName());
                long y3 = yuri.say(pair, "y3");
                talk.until(f2 -> f2.getRequestId() == y3);
                assertEquals("y3", xenaBack.expect(BodyCase.SAID).getSaid().getText());
                assertEquals("xena", xenaBack.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
                xenaBack.say(pair, "x3");
                talk.until(f2 -> f2.hasTurnGranted() && f2.getTurnGranted().getHolder().equals("yuri"));
                assertEquals(List.of("x1", "y1", "y2", "y3", "x3"), talk.said, "yuri's seqs ran without a gap or a repeat");
            } finally {
                all.forEach(TestClient::close);
            }
        }
    }

    /** Waits, up to a bounded deadline, until Redis's lobby holds {@code n} waiters. */
    private static void awaitLobby(int n) throws Exception {
        long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
        String seen;
        while (!(seen = REDIS.command("LLEN hp:lobby")).equals(":" + n)) {
            assertTrue(System.nanoTime() < deadline, "the lobby holds " + seen + " waiters, not " + n);
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

        long lastSeq() {
            return lastSeq;
        }

        ServerFrame next() throws InterruptedException {
            ServerFrame f = client.next();
            long seq = RoomEvents.seq(f);
            if (seq > 0) {
                assertEquals(lastSeq + 1, seq, () -> "a gap or a repeat before " + f);
                lastSeq = seq;
                if (f.hasSaid()) {
                    said.add(f.getSaid().getText());
                }
            }
            return f;
        }

        ServerFrame until(java.util.function.Predicate<ServerFrame> match) throws InterruptedException {
            while (true) {
                ServerFrame f = next();
                if (match.test(f)) {
                    return f;
                }
            }
        }
    }
}
