package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.TurnPolicy;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded soak: hundreds of members in many rooms talk, pass, leave and come back, and drop
 * their connections (often mid-turn) and resume, while every member checks each event it gets
 * (see {@link SoakClient}): at most one holder, the same events in the same order for everyone,
 * no seq gaps across resumes. The rooms take every turn policy in the same run (a third each:
 * round robin; queue, where members raise hands; moderated, where a chair member grants the floor
 * to the head of the queue and now and then revokes it). Afterwards every member has every Said of
 * its rooms, every policy had its turns, the server keeps exactly one session per member, and its
 * heap has not grown beyond a generous bound. Leaks are checked by {@code LeakDetection} at
 * paranoid level.
 *
 * <p>Runs about five seconds of soak (about 15 s in all with the start and the wind-down, on a
 * quiet 2-core machine); {@code -Dsoak.seconds=N} for longer, {@code -Dsoak.clients=N},
 * {@code -Dsoak.rooms=N}, {@code -Dsoak.seed=N}, {@code -Dsoak.eagerResume=false}. Loopback only.
 */
class SoakTest {

    private static final int SECONDS = Integer.getInteger("soak.seconds", 5);
    private static final int CLIENTS = Integer.getInteger("soak.clients", 300);
    private static final int ROOMS = Integer.getInteger("soak.rooms", 30);
    private static final int ROOMS_PER_CLIENT = 2;
    private static final long SEED = Long.getLong("soak.seed", System.nanoTime());
    /**
     * Members that drop resume as soon as they like (the default, and the harder case: the server
     * may not even have noticed the lost connection yet); false makes them wait until the others
     * have seen them away.
     */
    private static final boolean EAGER_RESUME = Boolean.parseBoolean(System.getProperty("soak.eagerResume", "true"));
    private static final int HISTORY = 1000;
    /** Room histories, sessions and buffers are bounded; a leak of one object per event would pass this in seconds. */
    private static final long HEAP_GROWTH_BOUND = 64L * 1024 * 1024;

    @Test
    void membersComingAndGoingLoseNothingAndTheServerStaysBounded() throws Exception {
        System.out.println("SoakTest seed " + SEED + ", " + SECONDS + " s (replay the choices with -Dsoak.seed=" + SEED + ")");
        ServerOptions.Builder options = ServerOptions.builder()
                .maxFramesPerSecond(100_000).frameBurst(100_000)
                .turnTimeout(Duration.ofSeconds(1))
                // This soak checks what members see, not deadlines: on a machine loaded enough for
                // a resume to take seconds, it must not become a handshake timeout.
                .handshakeTimeout(Duration.ofMinutes(1))
                .historySize(HISTORY);
        EventLoopGroup clientLoops = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("soak-client", true),
                NioIoHandler.newFactory());
        try (WarningLog warnings = new WarningLog();
             ServerFixture f = new ServerFixture(options)) {
            SoakClient.Shared shared = new SoakClient.Shared(f.address, new RoomLedger(2 * HISTORY), SEED,
                    EAGER_RESUME);
            List<SoakClient> clients = new ArrayList<>();
            List<CompletableFuture<Void>> joined = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                // Member i anchors room i % ROOMS and joins one more; the first ROOMS members keep every room alive.
                String anchor = "room-" + (i % ROOMS);
                String other = "room-" + ((i % ROOMS + 1 + i / ROOMS) % ROOMS);
                SoakClient c = new SoakClient(i, List.of(anchor, other), i < ROOMS ? anchor : null,
                        clientLoops.next(), shared);
                clients.add(c);
                joined.add(c.start());
            }
            CompletableFuture.allOf(joined.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            long heapBefore = usedHeapAfterGc();

            Thread.sleep(TimeUnit.SECONDS.toMillis(SECONDS));
            shared.running = false;

            // Wind down: every member back, in its rooms, its requests answered; then a barrier per room.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            for (SoakClient c : clients) {
                while (!c.loop.submit(c::settled).get()) {
                    assertTrue(System.nanoTime() < deadline, () -> c.name + " did not settle; problems: " + shared.problems);
                    Thread.sleep(10);
                }
            }
            List<CompletableFuture<Void>> barriers = new ArrayList<>();
            for (SoakClient c : clients) {
                barriers.add(c.loop.submit(c::barrier).get());
            }
            try {
                CompletableFuture.allOf(barriers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                List<String> waiting = new ArrayList<>();
                for (int i = 0; i < clients.size(); i++) {
                    if (!barriers.get(i).isDone()) {
                        waiting.add(clients.get(i).name);
                    }
                }
                throw new AssertionError("no answer to the barrier of " + waiting + "; problems: " + shared.problems, e);
            }
            for (SoakClient c : clients) {
                c.loop.submit(c::checkHasEverySaid).get();
            }
            int sessions = f.server.sessionCount();
            int connections = f.server.connectionCount();
            long heapAfter = usedHeapAfterGc();

            System.out.printf("SoakTest summary: seed %d, %d s, %d members in %d rooms; %d connections made (%d resumes, %d before"
                            + " the others saw them away,"
                            + " %d drops mid-turn, %d at other times), %d leaves and rejoins; %d frames sent, %d received;"
                            + " %d events checked; %d Says accepted (by policy %s), %d refused (turn expired), %d passes;"
                            + " %d hands raised, %d grants, %d revokes, %d floor requests overtaken; history lost %d;"
                            + " errors %s; server heap after GC %d MiB before, %d MiB after; %d warnings logged%n",
                    SEED, SECONDS, CLIENTS, ROOMS, shared.connections.sum(), shared.resumes.sum(), shared.resumesUnseen.sum(),
                    shared.dropsMidTurn.sum(), shared.dropsOtherwise.sum(), shared.leaves.sum(), shared.framesOut.sum(),
                    shared.framesIn.sum(), shared.eventsChecked.sum(), shared.saysAccepted.sum(), saysByPolicy(shared),
                    shared.saysRefused.sum(), shared.passes.sum(), shared.handsRaised.sum(), shared.grants.sum(),
                    shared.revokes.sum(), shared.floorRaces.sum(), shared.historyLost.sum(), errors(shared),
                    heapBefore >> 20, heapAfter >> 20, warnings.warnings().size());

            assertTrue(shared.problems.isEmpty(), () -> shared.problems.size() + " problems (seed " + SEED + "):\n"
                    + String.join("\n", shared.problems.stream().limit(20).toList()));
            assertEquals(List.of(), warnings.warnings(), "nothing was logged as unexpected");
            assertEquals(CLIENTS, sessions, "one session per member, none left behind");
            assertEquals(CLIENTS, connections, "one connection per member");
            assertTrue(shared.saysAccepted.sum() > 0 && shared.resumes.sum() > 0 && shared.leaves.sum() > 0,
                    "the members talked, resumed and left");
            shared.saysByPolicy.forEach((policy, says) -> assertTrue(says.sum() > 0, "members talked in " + policy
                    + " rooms too: " + saysByPolicy(shared)));
            assertTrue(shared.handsRaised.sum() > 0 && shared.grants.sum() > 0 && shared.revokes.sum() > 0,
                    "hands were raised, and chairs granted and revoked the floor");
            assertTrue(heapAfter - heapBefore < HEAP_GROWTH_BOUND,
                    () -> "heap grew from " + (heapBefore >> 20) + " to " + (heapAfter >> 20) + " MiB");
            clients.forEach(SoakClient::close);
        } finally {
            clientLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static Map<TurnPolicy, Long> saysByPolicy(SoakClient.Shared shared) {
        Map<TurnPolicy, Long> m = new TreeMap<>();
        shared.saysByPolicy.forEach((policy, says) -> m.put(policy, says.sum()));
        return m;
    }

    private static Map<Error.Code, Long> errors(SoakClient.Shared shared) {
        Map<Error.Code, Long> m = new TreeMap<>();
        shared.errors.forEach((code, n) -> {
            if (n.sum() > 0) {
                m.put(code, n.sum());
            }
        });
        return m;
    }
}
