package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.server.room.Lobby;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.Room;
import dev.hotpochato.server.room.Rooms;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client after its {@code Hello}: its name, its connection and the rooms it is in. The room map
 * belongs to the channel's event loop; rooms report changes through {@link #joined} and
 * {@link #left}, which hop there.
 */
final class Session implements Participant {

    static final AttributeKey<Session> KEY = AttributeKey.valueOf(Session.class, "session");

    private final long id;
    private final String name;
    private final Channel channel;
    private final Rooms rooms;
    private final Lobby lobby;
    private final int maxRooms;
    private final Map<String, Room> memberOf = new HashMap<>();
    /** Rooms joined or being joined; read and written by room threads, hence atomic. */
    private final AtomicInteger roomSlots = new AtomicInteger();
    private boolean ended;

    Session(long id, String name, Channel channel, Rooms rooms, Lobby lobby, int maxRooms) {
        this.id = id;
        this.name = name;
        this.channel = channel;
        this.rooms = rooms;
        this.lobby = lobby;
        this.maxRooms = maxRooms;
    }

    @Override
    public long sessionId() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public boolean tryTakeRoomSlot() {
        while (true) {
            int taken = roomSlots.get();
            if (taken >= maxRooms) {
                return false;
            }
            if (roomSlots.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    @Override
    public void joined(Room room) {
        channel.eventLoop().execute(() -> {
            if (ended) {
                // The connection closed while the join was on its way; undo it.
                leave(room, MemberLeft.Reason.DISCONNECTED);
            } else {
                memberOf.put(room.name(), room);
            }
        });
    }

    @Override
    public void left(Room room) {
        roomSlots.decrementAndGet();
        channel.eventLoop().execute(() -> memberOf.remove(room.name(), room));
    }

    /** The connection is gone: leave every room with {@code reason} and stop waiting for a partner. */
    void end(MemberLeft.Reason reason) {
        if (ended) {
            return;
        }
        ended = true;
        lobby.cancel(this, 0);
        for (Room room : memberOf.values()) {
            leave(room, reason);
        }
        memberOf.clear();
    }

    private void leave(Room room, MemberLeft.Reason reason) {
        rooms.shardFor(room.name()).execute(() -> room.leave(this, 0, reason));
    }

    @Override
    public String toString() {
        return name + "#" + Long.toHexString(id);
    }
}
