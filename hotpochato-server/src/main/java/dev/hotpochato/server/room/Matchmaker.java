package dev.hotpochato.server.room;

import dev.hotpochato.protocol.ProtocolLimits;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MatchCancelled;
import dev.hotpochato.protocol.v1.ServerFrame;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Pairs strangers: clients that sent {@code Match} wait here in arrival order, and as soon as two
 * can be paired they get a private room of their own, the longer waiter speaking first. Waiting
 * takes one of the client's room slots, so that the pair's room can always admit both.
 *
 * <p>The queue belongs to one shard's thread; every public method hops there first.
 */
public final class Matchmaker {

    /** Names starting with this cannot be joined by name: they belong to pairs. */
    public static final String PRIVATE_PREFIX = ProtocolLimits.PRIVATE_ROOM_PREFIX;

    private final Rooms rooms;
    private final RoomShard home;
    private final RoomOutput output;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private long pairsMade;

    private record Waiter(Participant participant, long requestId) {
    }

    public Matchmaker(Rooms rooms) {
        this.rooms = rooms;
        this.home = rooms.shards().get(0);
        this.output = home.output(); // the matchmaker lives on its home shard's thread, so it shares its output
    }

    /** Handles {@code Match}. */
    public void match(Participant p, long requestId) {
        home.execute(() -> {
            if (find(p) != null) {
                output.send(p, Frames.error(requestId, Error.Code.ALREADY_MATCHING,
                        "already waiting for a partner", ""));
                return;
            }
            if (!p.tryTakeRoomSlot()) {
                output.send(p, Frames.error(requestId, Error.Code.TOO_MANY_ROOMS,
                        "already in as many rooms as allowed", ""));
                return;
            }
            Waiter partner = firstWithOtherName(p.name());
            if (partner == null) {
                waiting.add(new Waiter(p, requestId));
                return;
            }
            waiting.remove(partner);
            pair(partner, new Waiter(p, requestId));
        });
    }

    /** Handles {@code CancelMatch}. */
    public void cancel(Participant p, long requestId) {
        home.execute(() -> {
            Waiter w = remove(p);
            output.send(p, w == null
                    ? Frames.error(requestId, Error.Code.NOT_MATCHING, "not waiting for a partner", "")
                    : ServerFrame.newBuilder().setRequestId(requestId)
                            .setMatchCancelled(MatchCancelled.getDefaultInstance()).build());
        });
    }

    /** Stops {@code p} waiting, if it was, without a reply: its connection is gone. */
    public void drop(Participant p) {
        home.execute(() -> remove(p));
    }

    private Waiter remove(Participant p) {
        Waiter w = find(p);
        if (w != null) {
            waiting.remove(w);
            p.releaseRoomSlot();
        }
        return w;
    }

    private void pair(Waiter first, Waiter second) {
        String name = PRIVATE_PREFIX + "pair-" + (++pairsMade);
        RoomSettings settings = rooms.defaults().forPair();
        RoomShard shard = rooms.shardFor(name);
        shard.execute(() -> {
            shard.createPrivate(name, settings).admitPair(first.participant(), first.requestId(),
                    second.participant(), second.requestId());
        });
    }

    private Waiter find(Participant p) {
        for (Waiter w : waiting) {
            if (w.participant().sessionId() == p.sessionId()) {
                return w;
            }
        }
        return null;
    }

    /** Two members of a room may not share a name, so such a pair waits for someone else. */
    private Waiter firstWithOtherName(String name) {
        for (Iterator<Waiter> it = waiting.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (!w.participant().name().equals(name)) {
                return w;
            }
        }
        return null;
    }
}
