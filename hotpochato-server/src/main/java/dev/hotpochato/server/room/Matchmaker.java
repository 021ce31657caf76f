package dev.hotpochato.server.room;

import dev.hotpochato.protocol.ProtocolLimits;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MatchCancelled;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.rules.MatchQueue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Pairs strangers: clients that sent {@code Match} wait in a {@link MatchQueue}, and as soon as two
 * can be paired the store makes them a private room of their own, the longer waiter speaking first.
 * Waiting takes one of the client's room slots, so that the pair's room can always admit both.
 *
 * <p>The queue belongs to one shard's thread; every public method hops there first.
 */
public final class Matchmaker implements Lobby {

    /** Names starting with this cannot be joined by name: they belong to pairs. */
    public static final String PRIVATE_PREFIX = ProtocolLimits.PRIVATE_ROOM_PREFIX;

    private final RoomStore rooms;
    private final RoomShard home;
    private final Supplier<String> pairNames;
    private final MatchQueue queue = new MatchQueue();
    private final Map<Long, Participant> waiting = new HashMap<>();

    /** Pairs into rooms named {@code ~pair-1}, {@code ~pair-2}, ...: unique on one server. */
    public Matchmaker(RoomStore rooms, RoomShard home) {
        this(rooms, home, counter());
    }

    /**
     * @param home      the shard whose thread owns the queue and whose output carries its replies
     * @param pairNames new, unused names for pairs' rooms, each starting with {@link #PRIVATE_PREFIX}
     *                  (a store shared by several servers gives names unique across them)
     */
    public Matchmaker(RoomStore rooms, RoomShard home, Supplier<String> pairNames) {
        this.rooms = rooms;
        this.home = home;
        this.pairNames = pairNames;
    }

    private static Supplier<String> counter() {
        AtomicLong made = new AtomicLong();
        return () -> PRIVATE_PREFIX + "pair-" + made.incrementAndGet();
    }

    @Override
    public void match(Participant p, long requestId) {
        home.execute(() -> {
            if (queue.isWaiting(p.sessionId())) {
                home.send(p, Frames.error(requestId, Error.Code.ALREADY_MATCHING, "already waiting for a partner", ""));
                return;
            }
            if (!p.tryTakeRoomSlot()) {
                home.send(p, Frames.error(requestId, Error.Code.TOO_MANY_ROOMS, "already in as many rooms as allowed", ""));
                return;
            }
            MatchQueue.Waiter partner = queue.offer(new MatchQueue.Waiter(p.sessionId(), p.name(), requestId));
            if (partner == null) {
                waiting.put(p.sessionId(), p);
                return;
            }
            Participant other = waiting.remove(partner.sessionId());
            rooms.pair(pairNames.get(), other, partner.requestId(), p, requestId);
        });
    }

    @Override
    public void cancel(Participant p, long requestId) {
        home.execute(() -> home.send(p, remove(p) == null
                ? Frames.error(requestId, Error.Code.NOT_MATCHING, "not waiting for a partner", "")
                : ServerFrame.newBuilder().setRequestId(requestId)
                        .setMatchCancelled(MatchCancelled.getDefaultInstance()).build()));
    }

    @Override
    public void drop(Participant p) {
        home.execute(() -> remove(p));
    }

    private MatchQueue.Waiter remove(Participant p) {
        MatchQueue.Waiter w = queue.remove(p.sessionId());
        if (w != null) {
            waiting.remove(p.sessionId());
            p.releaseRoomSlot();
        }
        return w;
    }
}
