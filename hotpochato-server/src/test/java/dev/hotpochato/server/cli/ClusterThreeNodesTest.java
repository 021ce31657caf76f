package dev.hotpochato.server.cli;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Three nodes (child JVMs, the server program as operators run it) and one Redis; six clients, two
 * on each node, converse in two shared rooms, and two strangers, one on node 0 and one on node 2,
 * are matched and converse in their pair room. Mid-conversation, while a client of node 0 holds a
 * turn, node 0 is killed with SIGKILL; its clients (the pair member included) resume on the next
 * node with their tokens and carry on. A checker then merges every client's transcript, room by
 * room: no seq of a room has two payloads, each client's seqs run without a gap or a repeat from its
 * join to the end, across its resume, and every Say its speaker saw confirmed appears exactly once.
 */
class ClusterThreeNodesTest {

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(true);

    private static final List<String> ROOMS = List.of("tea", "coffee");
    /** Six speakers in the shared ROOMS, two matched into a pair room. */
    private static final int SPEAKERS = 8;

    @Test
    void clientsOfAKilledNodeResumeElsewhereAndEveryTranscriptAgrees() throws Exception {
        List<ChildServer> nodes = new ArrayList<>();
        List<Speaker> speakers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(ChildServer.launch("--bind", "127.0.0.1", "--port", "0", "--no-console", "--threads", "1",
                        "--resume-grace", "60s", "--cluster", REDIS.uri()));
            }
            List<InetSocketAddress> addresses = new ArrayList<>();
            for (ChildServer n : nodes) {
                addresses.add(new InetSocketAddress("127.0.0.1", n.port()));
            }
            AtomicReference<String> holdingOnNode0 = new AtomicReference<>();
            CountDownLatch ready = new CountDownLatch(SPEAKERS);
            String[] names = {"ann", "ben", "cat", "dan", "eve", "fay"};
            for (int i = 0; i < names.length; i++) {
                // ann and dan on node 0, ben and eve on node 1, cat and fay on node 2.
                Speaker s = new Speaker(names[i], addresses, i % 3, false, ready, holdingOnNode0);
                speakers.add(s);
            }
            // The strangers: gus on node 0 (killed), hal on node 2, so that after gus resumes on
            // node 1 the pair still spans two nodes.
            Speaker gus = new Speaker("gus", addresses, 0, true, ready, holdingOnNode0);
            Speaker hal = new Speaker("hal", addresses, 2, true, ready, holdingOnNode0);
            List<Thread> threads = new ArrayList<>();
            for (Speaker s : speakers) {
                threads.add(start(s));
                // One at a time: the join order, hence the rotation, is the same in every run.
                assertTrue(s.joined.await(60, TimeUnit.SECONDS), () -> s.name + " did not join: " + s.failure);
            }
            speakers.add(gus);
            speakers.add(hal);
            threads.add(start(gus));
            threads.add(start(hal));
            for (Speaker s : List.of(gus, hal)) {
                assertTrue(s.joined.await(60, TimeUnit.SECONDS), () -> s.name + " was not paired: " + s.failure);
            }
            assertEquals(gus.pairRoom, hal.pairRoom, "gus and hal are paired with each other");
            assertTrue(ready.await(60, TimeUnit.SECONDS), "not everyone joined");
            awaitSaid(speakers, 12);
            awaitUntil(speakers, () -> gus.confirmed.get() >= 2 && hal.confirmed.get() >= 2, "the pair did not converse");

            // The clients of node 0 stop speaking when granted a turn: one of them soon holds one.
            speakers.forEach(s -> s.holdOnNode0 = true);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (holdingOnNode0.get() == null) {
                if (System.nanoTime() > deadline) {
                    fail("no client of node 0 was granted a turn");
                }
                Thread.sleep(10); // waiting on the speakers' threads, with a deadline
            }
            ChildServer.kill("KILL", nodes.get(0).process.pid());
            nodes.get(0).process.waitFor();
            speakers.forEach(s -> s.holdOnNode0 = false);

            int before = totalSaid(speakers);
            int gusBefore = gus.confirmed.get();
            int halBefore = hal.confirmed.get();
            awaitSaid(speakers, before + 12); // the conversation carries on, the resumed included
            // ...and so does the pair, gus speaking from node 1 now.
            awaitUntil(speakers, () -> gus.confirmed.get() >= gusBefore + 2 && hal.confirmed.get() >= halBefore + 2,
                    "the pair did not carry on after the kill");
            speakers.forEach(Speaker::stop);
            for (Thread t : threads) {
                t.join(TimeUnit.SECONDS.toMillis(60));
            }
            for (Speaker s : speakers) {
                assertNull(s.failure, () -> s.name + " failed: " + s.failure);
            }
            check(speakers);
        } catch (AssertionError e) {
            StringBuilder outputs = new StringBuilder(e.getMessage());
            for (int i = 0; i < nodes.size(); i++) {
                outputs.append("\n--- node ").append(i).append(" ---\n").append(nodes.get(i).output());
            }
            throw new AssertionError(outputs.toString(), e);
        } finally {
            speakers.forEach(Speaker::close);
            nodes.forEach(ChildServer::close);
        }
    }

    private static Thread start(Speaker s) {
        Thread t = new Thread(s, "speaker-" + s.name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static int totalSaid(List<Speaker> speakers) {
        return speakers.stream().mapToInt(s -> s.confirmed.get()).sum();
    }

    private static void awaitSaid(List<Speaker> speakers, int total) throws InterruptedException {
        awaitUntil(speakers, () -> totalSaid(speakers) >= total, "the conversation stalled");
    }

    private static void awaitUntil(List<Speaker> speakers, BooleanSupplier done, String stalled)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!done.getAsBoolean()) {
            for (Speaker s : speakers) {
                assertNull(s.failure, () -> s.name + " failed: " + s.failure);
            }
            if (System.nanoTime() > deadline) {
                fail(stalled + " at " + totalSaid(speakers) + " Says");
            }
            Thread.sleep(10); // waiting on the speakers' threads, with a deadline
        }
    }

    /** The transcript checker. */
    private static void check(List<Speaker> speakers) {
        int resumed = 0;
        Set<String> rooms = new TreeSet<>();
        speakers.forEach(s -> rooms.addAll(s.rooms));
        assertEquals(ROOMS.size() + 1, rooms.size(), () -> "the shared rooms and one pair room: " + rooms);
        for (String room : rooms) {
            Map<Long, ServerFrame> bySeq = new HashMap<>();
            for (Speaker s : speakers) {
                for (ServerFrame f : s.events.getOrDefault(room, List.of())) {
                    ServerFrame earlier = bySeq.putIfAbsent(RoomEvents.seq(f), f);
                    assertTrue(earlier == null || earlier.equals(f),
                            () -> room + ": seq " + RoomEvents.seq(f) + " has two payloads: " + earlier + " and " + f);
                }
            }
            for (Speaker s : speakers) {
                for (String said : s.acknowledged.getOrDefault(room, List.of())) {
                    List<ServerFrame> found = bySeq.values().stream()
                            .filter(f -> f.hasSaid() && f.getSaid().getText().equals(said)).toList();
                    assertEquals(1, found.size(), () -> room + ": \"" + said + "\" appears " + found.size() + " times");
                    long seq = found.get(0).getSaid().getSeq();
                    // ...and once in the transcript of every member that was in the room by then (each
                    // transcript runs from its member's join to the end, across its resume).
                    for (Speaker other : speakers) {
                        Long joinedAfter = other.joinedAfter.get(room);
                        if (joinedAfter == null || joinedAfter >= seq) {
                            continue;
                        }
                        long seen = other.events.get(room).stream()
                                .filter(f -> f.hasSaid() && f.getSaid().getText().equals(said)).count();
                        assertEquals(1, seen, () -> other.name + " saw \"" + said + "\" " + seen + " times");
                    }
                }
            }
        }
        for (Speaker s : speakers) {
            resumed += s.resumes;
        }
        assertEquals(3, resumed, "ann, dan and gus, of the killed node, resumed once each");
        Speaker hal = speakers.get(SPEAKERS - 1);
        System.out.printf("transcripts agree: %d Says confirmed, %d events in tea, %d in coffee, %d in %s%n",
                totalSaid(speakers), speakers.get(1).events.get("tea").size(), speakers.get(1).events.get("coffee").size(),
                hal.events.get(hal.pairRoom).size(), hal.pairRoom);
    }

    /**
     * One client on its own thread: joins both shared rooms, or sends Match and is admitted to its
     * pair room; speaks whenever granted a turn, records every numbered event (checked to follow the
     * last), and when its connection is lost resumes on the next node with its token and the last seq
     * it saw of each room.
     */
    private static final class Speaker implements Runnable, AutoCloseable {
        /** Counted down by each speaker once it stopped speaking and its Says were answered. */
        static final CountDownLatch QUIET = new CountDownLatch(SPEAKERS);
        final String name;
        private final boolean matches;
        /** Its rooms: ROOMS, or its pair room once Paired named it. */
        volatile List<String> rooms;
        volatile String pairRoom;
        private long matchRequest;
        private final List<InetSocketAddress> nodes;
        private int node;
        private final CountDownLatch ready;
        private final AtomicReference<String> holdingOnNode0;
        final CountDownLatch joined = new CountDownLatch(1);
        final Map<String, List<ServerFrame>> events = new ConcurrentHashMap<>();
        /** Says its speaker saw confirmed, per room. */
        final Map<String, List<String>> acknowledged = new ConcurrentHashMap<>();
        /** How many Says it saw confirmed, for the test's thread. */
        final java.util.concurrent.atomic.AtomicInteger confirmed = new java.util.concurrent.atomic.AtomicInteger();
        private final Map<String, Long> lastSeq = new HashMap<>();
        private final Map<Long, String> pending = new HashMap<>();
        /** Joins not answered yet, by request id: UNAVAILABLE means nothing changed, and a client sends it again. */
        private final Map<Long, String> joining = new HashMap<>();
        private int joinRetries;
        final Map<String, Long> joinedAfter = new ConcurrentHashMap<>();
        private volatile TestClient client;
        volatile boolean holdOnNode0;
        private volatile boolean stop;
        int resumes;
        private int said;
        volatile Throwable failure;

        Speaker(String name, List<InetSocketAddress> nodes, int node, boolean matches, CountDownLatch ready,
                AtomicReference<String> holdingOnNode0) {
            this.name = name;
            this.matches = matches;
            this.rooms = matches ? List.of() : ROOMS;
            this.nodes = nodes;
            this.node = node;
            this.ready = ready;
            this.holdingOnNode0 = holdingOnNode0;
        }

        void stop() {
            stop = true;
        }

        @Override
        public void close() {
            TestClient c = client;
            if (c != null) {
                c.close();
            }
        }

        @Override
        public void run() {
            try {
                client = TestClient.hello(nodes.get(node), name);
                client.keepAlive(Duration.ofMillis(100));
                if (matches) {
                    matchRequest = client.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
                }
                for (String room : rooms) {
                    join(room);
                }
                while (!stop || !pending.isEmpty()) {
                    ServerFrame f = client.nextOrClosed();
                    if (f == null) {
                        resume();
                        continue;
                    }
                    handle(f);
                }
                // Nobody speaks any more: what is left of each room is read up to a barrier.
                QUIET.countDown();
                assertTrue(QUIET.await(60, TimeUnit.SECONDS), "the others did not fall quiet");
                for (String room : rooms) {
                    for (ServerFrame f : client.drain(room)) {
                        handle(f);
                    }
                }
            } catch (Throwable t) {
                failure = t;
            }
        }

        private void join(String room) {
            RoomOptions slow = RoomOptions.newBuilder().setTurnTimeoutMs(120_000).build();
            joining.put(client.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room).setOptions(slow))), room);
        }

        /** The node is gone: the same session, on the next node, from the last seq seen of each room. */
        private void resume() throws InterruptedException {
            TestClient lost = client;
            node = (node + 1) % nodes.size();
            pending.clear(); // their answers went down with the node: not confirmed
            client = TestClient.resume(nodes.get(node), lost, new HashMap<>(lastSeq));
            client.keepAlive(Duration.ofMillis(100));
            resumes++;
            lost.close();
        }

        private void handle(ServerFrame f) {
            if (f.hasPaired()) {
                assertTrue(matches, () -> name + ": paired without a Match: " + f);
                assertEquals(matchRequest, f.getRequestId(), () -> name + ": " + f);
                assertNull(pairRoom, () -> name + " paired twice: " + f);
                pairRoom = f.getPaired().getRoom();
                rooms = List.of(pairRoom);
                return;
            }
            if (f.hasJoined()) {
                joining.remove(f.getRequestId());
                String room = f.getJoined().getRoom().getName();
                assertNull(joinedAfter.put(room, f.getJoined().getRoom().getLastSeq()), name + " joined twice");
                lastSeq.put(room, f.getJoined().getRoom().getLastSeq());
                events.put(room, new ArrayList<>());
                if (events.size() == rooms.size()) {
                    joined.countDown();
                    ready.countDown();
                }
                return;
            }
            long seq = RoomEvents.seq(f);
            if (seq > 0) {
                String room = RoomEvents.room(f);
                List<ServerFrame> seen = events.get(room);
                assertNotNull(seen, () -> name + ": an event of " + room + " before Joined: " + f);
                assertEquals(lastSeq.get(room) + 1, seq, () -> name + ": gap or repeat in " + room + " at " + f);
                lastSeq.put(room, seq);
                seen.add(f.toBuilder().setRequestId(0).build());
                String text = pending.remove(f.getRequestId());
                if (text != null) {
                    acknowledged.computeIfAbsent(room, r -> new ArrayList<>()).add(text);
                    confirmed.incrementAndGet();
                }
                if (f.hasTurnGranted() && f.getTurnGranted().getHolder().equals(name)) {
                    grantedTurn(room);
                }
                return;
            }
            if (f.hasError() && joining.containsKey(f.getRequestId())) {
                String room = joining.remove(f.getRequestId());
                assertEquals(Error.Code.UNAVAILABLE, f.getError().getCode(), () -> name + ": " + f);
                assertTrue(++joinRetries <= 10, () -> name + ": Join refused " + joinRetries + " times: " + f);
                join(room);
                return;
            }
            if (f.hasError()) {
                assertNotNull(pending.remove(f.getRequestId()), () -> name + ": an error it did not ask for: " + f);
                Error.Code code = f.getError().getCode();
                assertTrue(code == Error.Code.NOT_YOUR_TURN || code == Error.Code.UNAVAILABLE,
                        () -> name + ": " + f);
            }
        }

        private void grantedTurn(String room) {
            if (stop) {
                return;
            }
            if (holdOnNode0 && node == 0) {
                holdingOnNode0.compareAndSet(null, name);
                return; // holds the turn until its node dies
            }
            String text = name + " " + room + " " + (++said);
            pending.put(client.say(room, text), text);
        }
    }
}
