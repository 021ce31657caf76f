package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.RoomClosed;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.wire.RoomFrames;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * One client after its {@code Hello}: its name, the rooms it is in, and its current connection.
 * A session outlives a lost connection for the resume grace period: its member is away in each
 * room, and a {@code Resume} on a new connection takes it back.
 *
 * <p>Its state belongs to one thread, {@link #executor} (the event loop of its first connection);
 * rooms and new connections reach it by hopping there.
 */
final class ServerSession implements Participant {

    static final AttributeKey<ServerSession> KEY = AttributeKey.valueOf(ServerSession.class, "session");

    private final long id;
    private final String name;
    /** Renewed by every successful {@code Resume}, so that a token taken back once cannot be used again. */
    private String resumeToken;
    /**
     * The token the latest Resume presented, still accepted until the client shows it has the new
     * one (its first frame on the resumed connection); null otherwise. See {@link #resume}.
     */
    private String unconfirmedToken;
    private final ServerContext server;
    private final EventExecutor executor;
    /** The connection in use, null while away. Written on {@link #executor}, read by room threads. */
    private volatile Channel channel;
    /** The rooms it is in. Made on the first join: most idle connections are in no room, and an empty set costs each of them. */
    private Set<String> memberOf = Set.of();
    /** Rooms joined or being joined; claimed and given back by room threads, hence atomic. */
    private final AtomicInteger roomSlots = new AtomicInteger();
    /** Rooms that closed while the session was away; made when first needed, like {@link #memberOf}. */
    private Set<String> closedWhileAway = Set.of();
    private ScheduledFuture<?> graceTimer;
    /**
     * Counts Resumes, so that of two racing ones only the latest takes the session. (A safeguard: each
     * Resume renews the token, so the next one can only come once the client has the new one.)
     */
    private long resumes;
    private boolean ended;

    ServerSession(long id, String name, Channel channel, ServerContext server) {
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
    public void joined(String room) {
        executor.execute(() -> {
            if (ended) {
                // The session ended while the join was on its way; undo it.
                leave(room, MemberLeft.Reason.DISCONNECTED);
            } else {
                if (memberOf.isEmpty()) {
                    memberOf = new HashSet<>();
                }
                memberOf.add(room);
                if (channel == null) {
                    away(room); // the connection was lost while the join was on its way
                }
            }
        });
    }

    @Override
    public void left(String room) {
        roomSlots.decrementAndGet();
        executor.execute(() -> {
            if (!memberOf.isEmpty() && memberOf.remove(room) && channel == null && !ended) {
                if (closedWhileAway.isEmpty()) {
                    closedWhileAway = new HashSet<>();
                }
                closedWhileAway.add(room); // told on resume, since it cannot be replayed
            }
        });
    }

    /**
     * {@code lost} closed for {@code reason}. A kicked client is simply gone; otherwise the session
     * can be resumed until the grace period ends, and meanwhile its member is away in every room.
     * (Even a session in no room is kept, so that a client that reconnects can always resume.)
     */
    void connectionLost(Channel lost, MemberLeft.Reason reason) {
        executor.execute(() -> {
            if (ended || lost != channel) {
                return; // already over, or a connection the session has since replaced
            }
            channel = null;
            server.matchmaker().drop(this);
            Duration grace = server.options().resumeGrace();
            if (reason == MemberLeft.Reason.KICKED || grace.isZero()) {
                end(reason);
                return;
            }
            memberOf.forEach(this::away);
            graceTimer = executor.schedule(() -> end(reason), grace.toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    /**
     * Takes the session over on {@code fresh} for a client presenting {@code token}: sends the
     * {@code welcome} made with a new token there, then each room replays what was missed after the
     * seq the client last saw. Completes with false if the session ended in the meantime, or if
     * {@code token} is no longer its token (another Resume took it first).
     *
     * <p>The token is renewed as soon as the Resume is accepted, before anything is sent. The one
     * presented stays valid only until the client sends its first frame on the new connection
     * ({@link #tokenConfirmed}): a client whose connection breaks before it has read the new token
     * can still resume with the one it has, rather than be locked out of its own seats for the
     * grace period, while a copied token stops working as soon as its owner is back.
     *
     * <p>No room may send the new connection a live event before its replay, or the client would
     * see events twice and out of order. So the session first goes quiet (no connection) and waits
     * until every room has it away; only then does it take the new connection, and each room's
     * {@code back} replays and makes it present again, in one step on the room's thread.
     */
    CompletableFuture<Boolean> resume(String token, Channel fresh, Map<String, Long> lastSeq,
                                      Function<String, ServerFrame> welcome) {
        CompletableFuture<Boolean> done = new CompletableFuture<>();
        executor.execute(() -> {
            // Checked here, on the session's thread, since another Resume may have renewed it after
            // this one found the session by it.
            if (ended || !(token.equals(resumeToken) || token.equals(unconfirmedToken))) {
                done.complete(false);
                return;
            }
            // Of the two, only the token this client holds stays valid; the other one (given to a
            // connection that broke before the client read it) nobody has.
            forgetTokens();
            unconfirmedToken = token;
            resumeToken = Sessions.newToken();
            server.sessions().add(unconfirmedToken, this);
            server.sessions().add(resumeToken, this);
            String renewed = resumeToken;
            if (graceTimer != null) {
                graceTimer.cancel(false);
                graceTimer = null;
            }
            // The latest Resume wins; an earlier one still on its way gives up below.
            long generation = ++resumes;
            Channel old = channel;
            channel = null;
            if (old != null) {
                // A half-open connection the client has given up on: replaced, and closed like any
                // connection that broke the rules, so that nothing more it sends is acted on.
                old.eventLoop().execute(() -> {
                    if (old.isActive()) { // checked on its own loop, so it cannot close in between
                        old.pipeline().fireExceptionCaught(new ProtocolException(Error.Code.PROTOCOL_VIOLATION,
                                "session resumed on another connection", 0));
                    }
                });
            }
            List<CompletableFuture<Void>> quiet = new ArrayList<>();
            for (String room : memberOf) {
                quiet.add(server.rooms().away(this, room));
            }
            CompletableFuture.allOf(quiet.toArray(CompletableFuture[]::new)).thenRunAsync(() -> {
                if (ended || generation != resumes) {
                    done.complete(false);
                    return;
                }
                channel = fresh;
                fresh.write(welcome.apply(renewed));
                // Rooms the client still counts itself in but that closed while it was away.
                for (String name : lastSeq.keySet()) {
                    if (closedWhileAway.contains(name) || !memberOf.contains(name)) {
                        fresh.write(ServerFrame.newBuilder().setRoomClosed(RoomClosed.newBuilder()
                                .setRoom(name).setReason("the room closed while you were away")).build());
                    }
                }
                closedWhileAway = Set.of();
                fresh.flush();
                if (!fresh.isActive()) {
                    // Lost again already, before its close could be noticed against this session.
                    done.complete(true);
                    connectionLost(fresh, MemberLeft.Reason.DISCONNECTED);
                    return;
                }
                for (String room : memberOf) {
                    server.rooms().back(this, room, lastSeq.getOrDefault(room, 0L));
                }
                done.complete(true);
            }, executor);
        });
        return done;
    }

    /** Handles {@code Match} on the session's thread, in order with the matchmaker drop of a lost connection. */
    void match(long requestId) {
        executor.execute(() -> {
            if (!ended && channel != null) {
                server.matchmaker().match(this, requestId);
            }
        });
    }

    /** Handles {@code CancelMatch}, ordered like {@link #match}. */
    void cancelMatch(long requestId) {
        executor.execute(() -> server.matchmaker().cancel(this, requestId));
    }

    /**
     * The client sent a frame on {@code from} after resuming there, so it has the token that Resume
     * gave it: the one it resumed with stops working.
     */
    void tokenConfirmed(Channel from) {
        executor.execute(() -> {
            if (from == channel && unconfirmedToken != null) {
                server.sessions().remove(unconfirmedToken, this);
                unconfirmedToken = null;
            }
        });
    }

    /** No token finds this session any more. */
    private void forgetTokens() {
        server.sessions().remove(resumeToken, this);
        server.sessions().remove(unconfirmedToken, this);
    }

    /** The session is over: it leaves every room with {@code reason} and can no longer be resumed. */
    private void end(MemberLeft.Reason reason) {
        if (ended) {
            return;
        }
        ended = true;
        forgetTokens();
        server.matchmaker().drop(this);
        for (String room : memberOf) {
            leave(room, reason);
        }
        memberOf = Set.of();
    }

    private void away(String room) {
        server.rooms().away(this, room);
    }

    private void leave(String room, MemberLeft.Reason reason) {
        server.rooms().leave(this, 0, room, RoomFrames.reason(reason));
    }

    @Override
    public String toString() {
        return name + "#" + Long.toHexString(id);
    }
}
