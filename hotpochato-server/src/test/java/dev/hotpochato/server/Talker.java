package dev.hotpochato.server;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.testing.TestClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * A well-behaved member of some rooms, on a thread of its own: it speaks whenever the turn is its
 * own, and records every numbered event of each room, checking as they come that none is missing
 * or repeated. Its state is its thread's; read it after the thread has ended.
 */
final class Talker implements Runnable {

    final String name;
    private final TestClient client;
    private final List<String> rooms;
    private final RoomOptions options;
    private final CountDownLatch ready;
    private final CountDownLatch quiet;

    /** Per room: the seq of the room's last event before this member joined. */
    final Map<String, Long> joinedAfter = new HashMap<>();
    /** Per room: every numbered event since joining, in order, request ids cleared. */
    final Map<String, List<ServerFrame>> events = new HashMap<>();
    /** This member's Says the rooms accepted: the receipts. */
    final List<ServerFrame> accepted = new ArrayList<>();
    /** Says that came too late: the turn had expired on the way. */
    int refused;
    Throwable failure;

    private final Map<Long, String> pending = new HashMap<>();
    private volatile boolean stopSpeaking;

    /**
     * @param ready counted down once this member is in every room
     * @param quiet counted down once this member stopped speaking and every Say of it was answered;
     *              shared, so that the final barrier comes after the last Say of every member
     */
    Talker(TestClient client, List<String> rooms, RoomOptions options, CountDownLatch ready, CountDownLatch quiet) {
        this.client = client;
        this.name = client.name();
        this.rooms = rooms;
        this.options = options;
        this.ready = ready;
        this.quiet = quiet;
    }

    /** Asks the member to stop speaking, read what is on its way, and end. */
    void stop() {
        stopSpeaking = true;
    }

    @Override
    public void run() {
        try {
            client.keepAlive(Duration.ofMillis(100)); // the Pongs also wake the loop below
            for (String room : rooms) {
                client.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room).setOptions(options)));
            }
            while (!stopSpeaking || !pending.isEmpty()) {
                handle(client.next());
            }
            quiet.countDown();
            quiet.await();
            for (String room : rooms) {
                for (ServerFrame f : client.drain(room)) {
                    handle(f);
                }
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void handle(ServerFrame f) {
        if (f.hasJoined()) {
            String room = f.getJoined().getRoom().getName();
            joinedAfter.put(room, f.getJoined().getRoom().getLastSeq());
            events.put(room, new ArrayList<>());
            if (events.size() == rooms.size()) {
                ready.countDown();
            }
            return;
        }
        long seq = RoomEvents.seq(f);
        if (seq > 0) {
            String room = RoomEvents.room(f);
            List<ServerFrame> seen = events.get(room);
            assertNotNull(seen, () -> name + ": an event of " + room + " before Joined: " + f);
            assertEquals(joinedAfter.get(room) + seen.size() + 1, seq, () -> name + ": gap or repeat in " + room);
            seen.add(f.toBuilder().setRequestId(0).build());
            if (pending.remove(f.getRequestId()) != null) {
                accepted.add(f);
            }
            if (f.hasTurnGranted() && f.getTurnGranted().getHolder().equals(name) && !stopSpeaking) {
                pending.put(client.say(room, name + " says " + seq), room);
            }
            return;
        }
        if (f.hasError()) {
            assertNotNull(pending.remove(f.getRequestId()), () -> name + ": an error it did not ask for: " + f);
            assertEquals(Error.Code.NOT_YOUR_TURN, f.getError().getCode(), () -> name + ": " + f);
            refused++;
        }
    }
}
