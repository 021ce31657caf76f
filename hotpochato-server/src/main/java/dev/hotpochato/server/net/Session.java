package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.Frames;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.Room;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client after its {@code Hello}: its name, the rooms it is in, and its current connection.
 * A session outlives a lost connection for the resume grace period: its member is away in each
 * room, and a {@code Resume} on a new connection takes it back.
 *
 * <p>Its state belongs to one thread, {@link #executor} (the event loop of its first connection);
 * rooms and new connections reach it by hopping there.
 */
final class Session implements Connected {

    static final AttributeKey<Session> KEY = AttributeKey.valueOf(Session.class, "session");

    private final long id;
    private final String name;
    private final String resumeToken;
    private final ServerContext server;
    private final EventExecutor executor;
    /** The connection in use, null while away. Written on {@link #executor}, read by room threads. */
    private volatile Channel channel;
    /** Made on the first join: most idle connections are in no room, and an empty map costs each of them. */
    private Map<String, Room> memberOf = Map.of();
    /** Rooms joined or being joined; claimed and given back by room threads, hence atomic. */
    private final AtomicInteger roomSlots = new AtomicInteger();
    private ScheduledFuture<?> graceTimer;
    private boolean ended;

    Session(long id, String name, Channel channel, ServerContext server) {
        this.id = id;
        this.name = name;
        this.resumeToken = Sessions.newToken();
        this.server = server;
        this.channel = channel;
        this.executor = channel.eventLoop();
    }

    @Override
    public long sessionId() {
        return id;
    }

    @Override
    public String name() {
        return name;
    }

    String resumeToken() {
        return resumeToken;
    }

    @Override
    public Channel channel() {
        return channel;
    }

    /** Writes {@code frame} (a ServerFrame or an encoded ByteBuf) to the current connection; dropped while away. */
    void send(Object frame) {
        Channel ch = channel;
        if (ch != null) {
            ch.writeAndFlush(frame, ch.voidPromise());
        } else {
            ReferenceCountUtil.release(frame);
        }
    }

    @Override
    public boolean tryTakeRoomSlot() {
        while (true) {
            int taken = roomSlots.get();
            if (taken >= server.options().maxRoomsPerClient()) {
                return false;
            }
            if (roomSlots.compareAndSet(taken, taken + 1)) {
                return true;
            }
        }
    }

    @Override
    public void releaseRoomSlot() {
        roomSlots.decrementAndGet();
    }

    @Override
    public void joined(Room room) {
        executor.execute(() -> {
            if (ended) {
                // The session ended while the join was on its way; undo it.
                leave(room, MemberLeft.Reason.DISCONNECTED);
            } else {
                if (memberOf.isEmpty()) {
                    memberOf = new HashMap<>();
                }
                memberOf.put(room.name(), room);
                if (channel == null) {
                    away(room); // the connection was lost while the join was on its way
                }
            }
        });
    }

    @Override
    public void left(Room room) {
        roomSlots.decrementAndGet();
        executor.execute(() -> {
            if (!memberOf.isEmpty()) {
                memberOf.remove(room.name(), room);
            }
        });
    }

    /**
     * {@code lost} closed for {@code reason}. A kicked client, or one in no room, is simply gone;
     * otherwise its member is away everywhere until it resumes or the grace period ends.
     */
    void connectionLost(Channel lost, MemberLeft.Reason reason) {
        executor.execute(() -> {
            if (ended || lost != channel) {
                return; // already over, or a connection the session has since replaced
            }
            channel = null;
            server.lobby().drop(this);
            Duration grace = server.options().resumeGrace();
            if (reason == MemberLeft.Reason.KICKED || memberOf.isEmpty() || grace.isZero()) {
                end(reason);
                return;
            }
            memberOf.values().forEach(this::away);
            graceTimer = executor.schedule(() -> end(reason), grace.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Takes the session over on {@code fresh}: sends {@code welcome} there, then each room replays
     * what was missed after the seq the client last saw. Completes with false if the session ended
     * in the meantime.
     */
    CompletableFuture<Boolean> resume(Channel fresh, Map<String, Long> lastSeq, ServerFrame welcome) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        executor.execute(() -> {
            if (ended) {
                done.complete(false);
                return;
            }
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            Channel old = channel;
            channel = fresh;
            if (old != null) {
                // A half-open connection the client has given up on: replaced, not lost.
                old.writeAndFlush(Frames.fatal(0, Error.Code.PROTOCOL_VIOLATION, "session resumed elsewhere"))
                        .addListener(ChannelFutureListener.CLOSE);
            }
            fresh.writeAndFlush(welcome);
            for (Room room : memberOf.values()) {
                long seen = lastSeq.getOrDefault(room.name(), 0L);
                server.rooms().shardFor(room.name()).execute(() -> room.back(this, seen));
            }
            done.complete(true);
        });
        return done;
    }

    /** The session is over: it leaves every room with {@code reason} and can no longer be resumed. */
    private void end(MemberLeft.Reason reason) {
        if (ended) {
            return;
        }
        ended = true;
        server.sessions().remove(this);
        server.lobby().drop(this);
        for (Room room : memberOf.values()) {
            leave(room, reason);
        }
        memberOf = Map.of();
    }

    private void away(Room room) {
        server.rooms().shardFor(room.name()).execute(() -> room.away(this));
    }

    private void leave(Room room, MemberLeft.Reason reason) {
        server.rooms().shardFor(room.name()).execute(() -> room.leave(this, 0, reason));
    }

    @Override
    public String toString() {
        return name + "#" + Long.toHexString(id);
    }
}
