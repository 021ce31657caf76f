package dev.hotpochato.server;

import dev.hotpochato.protocol.ErrorRules;
import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.HostileFrames.Attack;
import dev.hotpochato.server.HostileFrames.Handshake;
import dev.hotpochato.testing.TestClient;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many hostile connections at once send seeded random and mutated frames while well-behaved
 * members talk in the same rooms. Each attack must end in a typed error (and a close when the error
 * is fatal) or, for bytes that happen to mean something, a valid answer; nothing may escape to the
 * event loop; the members must see every event of their rooms, in order, the same for all. Leaks
 * are checked by {@code LeakDetection} at paranoid level.
 *
 * <p>Replay a run with {@code -Dfuzz.seed=N}; {@code -Dfuzz.attacks=N} for a longer one.
 */
class FuzzTest {

    private static final long SEED = Long.getLong("fuzz.seed", System.nanoTime());
    private static final int ATTACKS = Integer.getInteger("fuzz.attacks", 600);
    private static final int HOSTILE_AT_ONCE = 50;
    private static final List<String> ROOMS = List.of("fuzz-a", "fuzz-b");
    private static final int TALKERS = 4;


    private final Map<Error.Code, AtomicInteger> closedWith = new EnumMap<>(Error.Code.class);
    private final Map<Error.Code, AtomicInteger> nonFatal = new EnumMap<>(Error.Code.class);
    private final AtomicInteger stillOpen = new AtomicInteger();
    private final AtomicInteger abandoned = new AtomicInteger();
    private final AtomicInteger repliesAfterFatal = new AtomicInteger();
    private final AtomicInteger framesReceived = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

    {
        for (Error.Code code : Error.Code.values()) {
            if (code != Error.Code.UNRECOGNIZED) {
                closedWith.put(code, new AtomicInteger());
                nonFatal.put(code, new AtomicInteger());
            }
        }
    }

    @Test
    void hostileFramesAreContainedWhileMembersTalkUndisturbed() throws Exception {
        System.out.println("FuzzTest seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
        ServerOptions.Builder options = ServerOptions.builder().resumeGrace(Duration.ofMillis(300));
        try (WarningLog warnings = new WarningLog();
             ServerFixture f = new ServerFixture(options)) {
            HostileFrames hostile = new HostileFrames(f.server.options().maxFrameBytes(), ROOMS);

            // Short turns, so that a hostile member holding one does not hold up the talk for long.
            RoomOptions turns = RoomOptions.newBuilder().setTurnTimeoutMs(500).build();
            CountDownLatch ready = new CountDownLatch(TALKERS);
            CountDownLatch quiet = new CountDownLatch(TALKERS);
            List<Talker> talkers = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < TALKERS; i++) {
                Talker t = new Talker(f.client("talker-" + i), ROOMS, turns, ready, quiet);
                talkers.add(t);
                Thread thread = new Thread(t, t.name);
                thread.setDaemon(true);
                threads.add(thread);
                thread.start();
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS), "the talkers joined their rooms");

            ExecutorService pool = Executors.newFixedThreadPool(HOSTILE_AT_ONCE);
            AtomicInteger next = new AtomicInteger();
            for (int i = 0; i < HOSTILE_AT_ONCE; i++) {
                pool.execute(() -> {
                    int index;
                    while ((index = next.getAndIncrement()) < ATTACKS) {
                        Attack attack = null;
                        try {
                            attack = hostile.attack(SEED, index);
                            run(f, hostile, attack);
                        } catch (Throwable e) {
                            problems.add((attack == null ? "attack #" + index : attack) + ": " + e);
                        }
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(120, TimeUnit.SECONDS), "the attacks ended");

            talkers.forEach(Talker::stop);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            for (Talker t : talkers) {
                if (t.failure != null) {
                    throw new AssertionError(t.name + " failed (seed " + SEED + ")", t.failure);
                }
            }
            // Kicked sessions end at once, others after the resume grace; only the talkers remain.
            Thread.sleep(3 * options.build().resumeGrace().toMillis());
            int sessionsLeft = f.server.sessionCount() - TALKERS;

            int accepted = talkers.stream().mapToInt(t -> t.accepted.size()).sum();
            int refused = talkers.stream().mapToInt(t -> t.refused).sum();
            int events = talkers.stream().flatMap(t -> t.events.values().stream()).mapToInt(List::size).sum();
            System.out.printf("FuzzTest summary: seed %d, %d hostile connections (%d at once), %d frames back to"
                            + " them; closed with a fatal error %s; non-fatal errors %s; answered and left open %d;"
                            + " hung up by the attacker %d; replies after a fatal error %d; sessions left behind %d;"
                            + " %d talkers in %d rooms: %d Says accepted, %d refused (turn expired), %d events"
                            + " seen and compared; %d warnings logged%n",
                    SEED, ATTACKS, HOSTILE_AT_ONCE, framesReceived.get(), nonZero(closedWith), nonZero(nonFatal),
                    stillOpen.get(), abandoned.get(), repliesAfterFatal.get(), sessionsLeft, TALKERS,
                    ROOMS.size(), accepted, refused, events, warnings.warnings().size());

            checkEveryoneSawTheSame(talkers);
            assertTrue(problems.isEmpty(), () -> problems.size() + " attacks were not contained (seed " + SEED
                    + "):\n" + String.join("\n", problems.stream().limit(20).toList()));
            assertEquals(List.of(), warnings.warnings(), "nothing escaped to the event loop or was logged as unexpected");
            assertTrue(accepted > 0, "the talkers got a word in");
            assertEquals(0, repliesAfterFatal.get(), "nothing sent behind a fatal frame is acted on");
            assertEquals(0, sessionsLeft, "no session outlives its connection past the grace period");
        }
    }

    /** Runs one attack on its own connection and checks how the server answered it. */
    private void run(ServerFixture f, HostileFrames hostile, Attack attack) throws InterruptedException {
        try (TestClient c = TestClient.connect(f.address)) {
            if (attack.handshake() != Handshake.NONE) {
                c.hello("hostile-" + attack.index(), "");
                if (attack.handshake() == Handshake.HELLO_AND_JOIN) {
                    c.join(ROOMS.get(attack.index() % ROOMS.size()));
                    c.await(ServerFrame::hasJoined);
                }
            }
            if (attack.abandon()) {
                c.channel().writeAndFlush(Unpooled.wrappedBuffer(attack.bytes()));
                abandoned.incrementAndGet();
                return; // the close
            }
            // Whatever the attack leaves half-read, a Ping right after it tells whether the connection lives.
            long nonce = 0x5EED_0000_0000_0000L | attack.index();
            c.channel().writeAndFlush(Unpooled.wrappedBuffer(hostile.completed(attack.bytes()),
                    HostileFrames.frame(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)).build())));
            Error fatal = null;
            ServerFrame frame;
            while ((frame = c.nextOrClosed()) != null) {
                framesReceived.incrementAndGet();
                if (frame.hasError()) {
                    Error e = frame.getError();
                    if (e.getCode() == Error.Code.INTERNAL || e.getCode() == Error.Code.CODE_UNSPECIFIED
                            || e.getCode() == Error.Code.UNRECOGNIZED) {
                        problems.add(attack + ": an untyped error " + e);
                    }
                    if (!e.getFatal() && ErrorRules.isFatal(e.getCode())) {
                        problems.add(attack + ": " + e.getCode() + " not marked fatal");
                    }
                    if (fatal != null) {
                        repliesAfterFatal.incrementAndGet();
                    } else if (e.getFatal()) {
                        fatal = e;
                    } else {
                        nonFatal.get(e.getCode()).incrementAndGet();
                    }
                } else if (fatal != null) {
                    // Room events may still be on their way; an answer to a request should not be.
                    if (frame.getRequestId() != 0 || RoomEvents.seq(frame) == 0) {
                        repliesAfterFatal.incrementAndGet();
                    }
                } else if (frame.hasPong() && frame.getPong().getNonce() == nonce) {
                    break;
                }
            }
            if (frame != null) {
                stillOpen.incrementAndGet();
                if (attack.expected() != null) {
                    problems.add(attack + ": the connection survived it");
                }
                return;
            }
            if (fatal == null) {
                problems.add(attack + ": closed without a fatal error");
                return;
            }
            closedWith.get(fatal.getCode()).incrementAndGet();
            if (attack.expected() != null && !attack.expected().contains(fatal.getCode())) {
                problems.add(attack + ": closed with " + fatal.getCode() + " (" + fatal.getMessage()
                        + "), expected one of " + attack.expected());
            }
        }
    }

    /**
     * Every two talkers saw the same events where their views overlap, every Said came from the
     * holder of the turn it was said in, and every accepted Said reached every talker.
     */
    private static void checkEveryoneSawTheSame(List<Talker> talkers) {
        for (String room : ROOMS) {
            Talker first = talkers.get(0);
            for (Talker t : talkers) {
                checkSaidByHolder(t, room);
                long from = Math.max(first.joinedAfter.get(room), t.joinedAfter.get(room)) + 1;
                long to = Math.min(lastSeq(first, room), lastSeq(t, room));
                for (long seq = from; seq <= to; seq++) {
                    assertEquals(event(first, room, seq), event(t, room, seq),
                            "event " + seq + " of " + room + " for " + first.name + " and " + t.name);
                }
                for (Talker other : talkers) {
                    for (ServerFrame said : other.accepted) {
                        if (said.getSaid().getRoom().equals(room) && said.getSaid().getSeq() > t.joinedAfter.get(room)) {
                            assertEquals(said.toBuilder().setRequestId(0).build(),
                                    event(t, room, said.getSaid().getSeq()), t.name + " got what " + other.name + " said");
                        }
                    }
                }
            }
        }
    }

    private static void checkSaidByHolder(Talker t, String room) {
        ServerFrame granted = null;
        for (ServerFrame e : t.events.get(room)) {
            if (e.hasTurnGranted()) {
                granted = e;
            } else if (e.hasSaid() && granted != null) {
                assertEquals(granted.getTurnGranted().getHolder(), e.getSaid().getSpeaker(), e::toString);
                assertEquals(granted.getTurnGranted().getTurn(), e.getSaid().getTurn(), e::toString);
            }
        }
    }

    private static long lastSeq(Talker t, String room) {
        return t.joinedAfter.get(room) + t.events.get(room).size();
    }

    private static ServerFrame event(Talker t, String room, long seq) {
        return t.events.get(room).get((int) (seq - t.joinedAfter.get(room) - 1));
    }

    private static Map<Error.Code, Integer> nonZero(Map<Error.Code, AtomicInteger> counts) {
        Map<Error.Code, Integer> m = new TreeMap<>();
        counts.forEach((code, n) -> {
            if (n.get() > 0) {
                m.put(code, n.get());
            }
        });
        return m;
    }
}
