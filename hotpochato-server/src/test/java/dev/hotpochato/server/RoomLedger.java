package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ServerFrame;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * What each room's numbered events were, as the first member to see each one reported it; every
 * later report of the same seq must match. So all members see the same events in the same order.
 * Shared by the clients of a soak, which report from their own threads, hence atomic.
 *
 * <p>Bounded: a room keeps the fingerprints of its latest {@code window} events only, which must
 * exceed what the server replays to a resuming member (its history size).
 */
final class RoomLedger {

    private record Entry(long seq, int fingerprint) {
    }

    private final int window;
    private final Map<String, AtomicReferenceArray<Entry>> rooms = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> lastSaid = new ConcurrentHashMap<>();
    private final Map<String, Long> away = new ConcurrentHashMap<>();

    RoomLedger(int window) {
        this.window = window;
    }

    /** Records {@code event} (request id cleared) as seq {@code seq} of {@code room}; reports a mismatch to {@code problem}. */
    void record(String room, long seq, ServerFrame event, Consumer<String> problem) {
        Entry mine = new Entry(seq, event.hashCode());
        AtomicReferenceArray<Entry> ring = rooms.computeIfAbsent(room, r -> new AtomicReferenceArray<>(window));
        int slot = (int) (seq % window);
        while (true) {
            Entry there = ring.get(slot);
            if (there != null && there.seq() == seq) {
                if (there.fingerprint() != mine.fingerprint()) {
                    problem.accept("members disagree on event " + seq + " of " + room + ": " + event);
                }
                break;
            }
            if (there != null && there.seq() > seq) {
                problem.accept("event " + seq + " of " + room + " came more than " + window + " events late");
                break;
            }
            if (ring.compareAndSet(slot, there, mine)) {
                break;
            }
        }
        if (event.hasMemberAway()) {
            away.merge(room + '\n' + event.getMemberAway().getName(), seq, Math::max);
        }
        if (event.hasSaid()) {
            lastSaid.computeIfAbsent(room, r -> new AtomicLong()).accumulateAndGet(seq, Math::max);
        }
    }

    /** The seq of the latest MemberAway of {@code name} in {@code room} any member saw; 0 if none. */
    long lastAway(String room, String name) {
        return away.getOrDefault(room + '\n' + name, 0L);
    }

    /** The seq of the latest Said of {@code room} any member saw; 0 if none. */
    long lastSaid(String room) {
        AtomicLong seq = lastSaid.get(room);
        return seq == null ? 0 : seq.get();
    }
}
