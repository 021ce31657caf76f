package dev.hotpochato.server.cluster;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MatchCancelled;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.metrics.ServerMetrics;
import dev.hotpochato.server.room.Frames;
import dev.hotpochato.server.room.Lobby;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.rules.RoomCommand;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Pairs strangers across the nodes of a cluster, as {@code Matchmaker} does on one server: the
 * lobby is a list in Redis, oldest waiter first, changed only by the function {@code hp_match}
 * (see {@code hotpochato.lua}), which in one atomic step either takes out the longest waiter the
 * caller can be paired with (another session, another name, a live node) or appends the caller.
 *
 * <p>The node that takes a waiter out makes the pair's room ({@code AdmitPair}, the waiter first).
 * A waiter of another node is told by the same function: a claim in Redis and a message on its
 * node's lobby channel; its node then finds the room and admits it there ({@link ClusterRoomStore#adopt}),
 * answering its {@code Match} exactly as one server would ({@code Paired}, {@code Joined}, the
 * room's events). If no room appears in time (the other node failed before committing it), the
 * waiter waits again. A node renews a lease on its waiters while it has any; the waiters of a node
 * whose lease ran out (it crashed) are dropped from the lobby by the next match.
 *
 * <p>Owned by one event loop ({@code home}); every method hops there first, and Redis answers hop
 * back. A session waits here from its {@code Match} until it is paired, cancels or is dropped.
 */
public final class ClusterMatchmaker implements Lobby {

    private static final Logger log = LoggerFactory.getLogger(ClusterMatchmaker.class);

    /** How long a node's waiters count without a renewal; renewed every third of it while it has any. */
    static final long LEASE_MILLIS = 15_000;

    private enum Stage {
        /** Its {@code hp_match} is on its way. */
        OFFERING,
        /** In the lobby. */
        WAITING,
        /** Another node paired it: its room is being looked for. */
        CLAIMED
    }

    private static final class Waiter {
        final Participant p;
        final long requestId;
        /** Its lobby entry: {@code <generation>:<session>:<request>:<name>}. */
        final String entry;
        Stage stage = Stage.OFFERING;
        /** Its connection is gone: it is given up as soon as what is on its way allows. */
        boolean dropped;

        Waiter(Participant p, long requestId, long generation) {
            this.p = p;
            this.requestId = requestId;
            this.entry = generation + ":" + p.sessionId() + ":" + requestId + ":" + p.name();
        }
    }

    /** A lobby entry as {@code hp_match} returns it. */
    private record Entry(long generation, long sessionId, long requestId, String name) {
        static Entry parse(String entry) {
            String[] parts = entry.split(":", 4);
            return new Entry(Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]), parts[3]);
        }
    }

    private final RedisEngine redis;
    private final ClusterRoomStore rooms;
    private final EventExecutor home;
    private final Supplier<String> pairNames;
    private final ServerMetrics metrics;
    private final Map<Long, Waiter> waiting = new HashMap<>();
    private ScheduledFuture<?> renewal;

    /**
     * @param home      the event loop that owns the waiters
     * @param pairNames new pair room names, unique across the cluster
     * @param metrics   where the errors it sends are counted
     */
    public ClusterMatchmaker(RedisEngine redis, ClusterRoomStore rooms, EventExecutor home,
                             Supplier<String> pairNames, ServerMetrics metrics) {
        this.redis = redis;
        this.rooms = rooms;
        this.home = home;
        this.pairNames = pairNames;
        this.metrics = metrics;
    }

    /**
     * Listens for this node's waiters that other nodes pair (subscribed before it returns, so that no
     * claim is missed), and while any wait, renews their lease and looks for claims whose message was
     * lost (pub/sub is at most once). Called once at start, off the event loops.
     *
     * @throws IllegalStateException if Redis does not confirm the subscription within {@code timeout}
     */
    public void start(java.time.Duration timeout) {
        try {
            redis.listenLobby((sessionId, room) -> execute(() -> claimed(sessionId, room)),
                    () -> execute(this::recheckClaims)).toCompletableFuture()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("--cluster: interrupted while subscribing to the lobby", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("--cluster: cannot subscribe to the lobby: " + e.getMessage(), e);
        }
        renewal = home.scheduleAtFixedRate(() -> {
            if (!waiting.isEmpty()) {
                redis.lease(LEASE_MILLIS).whenComplete((ok, failure) -> {
                    if (failure != null) {
                        log.warn("lobby lease not renewed: {}", failure.getMessage());
                    }
                });
                recheckClaims();
            }
        }, LEASE_MILLIS / 3, LEASE_MILLIS / 3, TimeUnit.MILLISECONDS);
    }

    /** The node stops: its waiters no longer count, so no other node pairs with them. */
    public void stop() {
        if (renewal != null) {
            renewal.cancel(false);
        }
        try {
            redis.endLease().toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("lobby lease not ended: {}", e.getMessage()); // it runs out by itself
        }
    }

    @Override
    public void match(Participant p, long requestId) {
        execute(() -> {
            if (waiting.containsKey(p.sessionId())) {
                send(p, Frames.error(requestId, Error.Code.ALREADY_MATCHING, "already waiting for a partner", ""));
                return;
            }
            if (!p.tryTakeRoomSlot()) {
                send(p, Frames.error(requestId, Error.Code.TOO_MANY_ROOMS, "already in as many rooms as allowed", ""));
                return;
            }
            Waiter w = new Waiter(p, requestId, redis.generation());
            waiting.put(p.sessionId(), w);
            offer(w);
        });
    }

    @Override
    public void cancel(Participant p, long requestId) {
        execute(() -> {
            Waiter w = waiting.get(p.sessionId());
            if (w == null || w.stage == Stage.CLAIMED) {
                send(p, notMatching(requestId));
                return;
            }
            // After a match on its way (one connection, in order): 0 if that match paired it.
            then(redis.unmatch(w.entry), (removed, failure) -> {
                if (failure != null) {
                    send(p, Frames.error(requestId, Error.Code.UNAVAILABLE,
                            "the cluster's store did not answer; you are still waiting, try again", ""));
                } else if (removed == 1 && waiting.get(p.sessionId()) == w) {
                    waiting.remove(p.sessionId());
                    p.releaseRoomSlot();
                    send(p, ServerFrame.newBuilder().setRequestId(requestId)
                            .setMatchCancelled(MatchCancelled.getDefaultInstance()).build());
                } else {
                    send(p, notMatching(requestId)); // paired already: its Paired is on its way
                }
            });
        });
    }

    @Override
    public void drop(Participant p) {
        execute(() -> {
            Waiter w = waiting.get(p.sessionId());
            if (w == null || w.dropped) {
                return;
            }
            w.dropped = true;
            if (w.stage == Stage.CLAIMED) {
                return; // admitted or not, its adoption settles it (an admitted member that is gone leaves)
            }
            then(redis.unmatch(w.entry), (removed, failure) -> {
                if (waiting.get(p.sessionId()) != w) {
                    return; // settled by its match's answer
                }
                if (failure != null || removed == 1) {
                    waiting.remove(p.sessionId());
                    p.releaseRoomSlot();
                }
                // 0: another node took it; its claim comes, and the room it joins sees it leave.
            });
        });
    }

    // ------------------------------------------------------------------ on the home loop

    private void offer(Waiter w) {
        w.stage = Stage.OFFERING;
        String room = pairNames.get();
        long sid = w.p.sessionId();
        then(redis.match(w.entry, sid, w.p.name(), LEASE_MILLIS, room), (found, failure) -> {
            if (waiting.get(sid) != w) {
                return;
            }
            if (failure != null) {
                log.warn("match not made: {}", failure.getMessage());
                waiting.remove(sid);
                w.p.releaseRoomSlot();
                redis.unmatch(w.entry); // in case it was appended after all
                send(w.p, Frames.error(w.requestId, Error.Code.UNAVAILABLE,
                        "the cluster's store did not answer; nothing changed, try again", ""));
                return;
            }
            if (found == null) {
                if (w.stage == Stage.OFFERING) {
                    // (Another node's claim may come first, on the other connection: it stays CLAIMED,
                    // or a recheck of the claims would adopt it a second time.)
                    w.stage = Stage.WAITING;
                }
                return;
            }
            Entry partner = Entry.parse(found);
            boolean local = partner.generation() == redis.generation();
            if (w.dropped) {
                waiting.remove(sid);
                w.p.releaseRoomSlot();
                Waiter other = local ? waiting.get(partner.sessionId()) : null;
                if (other != null && !other.dropped) {
                    offer(other); // taken out for a session that is gone: it waits again
                }
                // (A waiter of another node finds no room and waits again, after ClusterRoomStore.ADOPT_MILLIS.)
                return;
            }
            waiting.remove(sid);
            if (!local) {
                rooms.pairWithRemote(room, new RoomCommand.Pairing(partner.sessionId(), partner.name(),
                        partner.requestId()), w.p, w.requestId);
                return;
            }
            Waiter other = waiting.remove(partner.sessionId());
            if (other == null || other.dropped) {
                if (other != null) {
                    other.p.releaseRoomSlot();
                }
                waiting.put(sid, w);
                offer(w); // its partner left meanwhile: look again
                return;
            }
            rooms.pair(room, other.p, other.requestId, w.p, w.requestId);
        });
    }

    /** Another node paired {@code sessionId}, a waiter of this node, into {@code room}. */
    private void claimed(long sessionId, String room) {
        Waiter w = waiting.get(sessionId);
        if (w == null) {
            redis.forgetClaim(sessionId); // stale: a waiter this node no longer has
            return;
        }
        if (w.stage == Stage.CLAIMED) {
            return; // heard twice (the channel, then a recheck)
        }
        w.stage = Stage.CLAIMED;
        rooms.adopt(room, w.p, w.requestId).whenComplete((adopted, failure) -> execute(() -> {
            redis.forgetClaim(sessionId);
            if (waiting.get(sessionId) == w) {
                waiting.remove(sessionId);
            }
            if (Boolean.TRUE.equals(adopted)) {
                return; // a member now: the room took over its slot
            }
            if (w.dropped) {
                w.p.releaseRoomSlot();
                return;
            }
            log.info("pair room {} for session {} was not made in time; it waits again", room, sessionId);
            waiting.put(sessionId, w);
            offer(w);
        }));
    }

    /** After a (re)subscription to the lobby channel: claims published while it was not heard. */
    private void recheckClaims() {
        List<Long> sessions = new ArrayList<>();
        for (Waiter w : waiting.values()) {
            if (w.stage != Stage.CLAIMED) {
                sessions.add(w.p.sessionId());
            }
        }
        if (sessions.isEmpty()) {
            return;
        }
        then(redis.claims(sessions), (found, failure) -> {
            if (failure != null) {
                log.warn("lobby claims not read: {}", failure.getMessage());
                return;
            }
            for (int i = 0; i < sessions.size(); i++) {
                if (found.get(i) != null) {
                    claimed(sessions.get(i), found.get(i));
                }
            }
        });
    }

    /** Runs {@code task} on the home loop; dropped once the node is stopping (nothing is left to pair). */
    private void execute(Runnable task) {
        try {
            home.execute(task);
        } catch (RejectedExecutionException stopping) {
            if (!home.isShuttingDown()) {
                throw stopping;
            }
            log.debug("lobby task dropped: the server is stopping");
        }
    }

    private <T> void then(CompletionStage<T> stage, BiConsumer<T, Throwable> task) {
        stage.whenComplete((value, failure) -> execute(() -> task.accept(value, failure)));
    }

    private static ServerFrame notMatching(long requestId) {
        return Frames.error(requestId, Error.Code.NOT_MATCHING, "not waiting for a partner", "");
    }

    private void send(Participant p, ServerFrame frame) {
        if (frame.hasError()) {
            metrics.errorSent(frame.getError().getCode());
        }
        Channel channel = p.channel();
        if (channel != null) {
            channel.writeAndFlush(frame);
        }
    }
}
