package dev.hotpochato.server.net;

import dev.hotpochato.server.cluster.SessionDirectory;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;

/**
 * The resume tokens of a cluster node: this node's sessions in memory, as {@link LocalResumeTokens}
 * keeps them, and every session of the cluster in Redis ({@link SessionDirectory}), so that a
 * Resume on any node takes its session back. A session belongs to one node at a time: a Resume
 * whose token this node does not know claims the session in Redis (atomically: the token must still
 * take it back), and the node that had it hears {@code moved} and lets it go ({@link #moved}).
 * When a node dies, the node that declares it dead adopts its sessions ({@link #adoptFrom}) and
 * marks their members away; they stay resumable anywhere for the rest of their grace.
 *
 * <p>Writes to Redis are asynchronous and not awaited (a failure is logged): they happen when a
 * session starts, is lost and resumes, never on the turn path. The rooms a session is in are not
 * written here: the room's own commit writes them ({@code hp_commit_live}), so they never disagree.
 */
final class ClusterResumeTokens implements ResumeTokens {

    private static final Logger log = LoggerFactory.getLogger(ClusterResumeTokens.class);

    private final SessionDirectory directory;
    /** Where sessions adopted from a dead node live. */
    private final Supplier<EventExecutor> loops;
    private final ConcurrentMap<String, ServerSession> byToken = new ConcurrentHashMap<>();
    /** This node's sessions by id, whether or not a token of theirs is known here. */
    private final ConcurrentMap<Long, ServerSession> byId = new ConcurrentHashMap<>();
    private volatile ServerContext server;

    ClusterResumeTokens(SessionDirectory directory, Supplier<EventExecutor> loops) {
        this.directory = directory;
        this.loops = loops;
    }

    /** Set once, by the context that holds these tokens (the sessions made here need it). */
    void server(ServerContext server) {
        this.server = server;
    }

    @Override
    public String newToken(long sessionId) {
        return SessionDirectory.newToken(sessionId);
    }

    @Override
    public void add(String token, ServerSession session) {
        byToken.put(token, session);
        byId.put(session.sessionId(), session);
        logFailure(directory.addToken(session.sessionId(), session.name(), token), "register a token of", session);
    }

    @Override
    public ServerSession find(String token) {
        return token.isEmpty() ? null : byToken.get(token);
    }

    @Override
    public void remove(String token, ServerSession session) {
        if (token != null && byToken.remove(token, session)) {
            logFailure(directory.removeToken(session.sessionId(), token), "void a token of", session);
        }
    }

    @Override
    public int sessions() {
        return byId.size();
    }

    @Override
    public CompletionStage<String> nameElsewhere(String token) {
        if (server.options().resumeGrace().isZero() || SessionDirectory.sessionOf(token) < 0) {
            return CompletableFuture.completedFuture(null);
        }
        return directory.peek(token);
    }

    @Override
    public CompletionStage<ServerSession> claim(String token, Channel fresh) {
        long grace = server.options().resumeGrace().toMillis();
        if (grace == 0 || SessionDirectory.sessionOf(token) < 0) {
            return CompletableFuture.completedFuture(null);
        }
        return directory.claim(token, grace).thenApply(claimed -> {
            if (claimed == null) {
                return null;
            }
            ServerSession here = byId.get(claimed.id());
            if (here != null) {
                // Adopted from a dead node: this node has it, without its token.
                here.trustToken(token);
                byToken.put(token, here);
                return here;
            }
            ServerSession s = new ServerSession(claimed.id(), claimed.name(), claimed.rooms(), claimed.closedRooms(), token,
                    fresh.eventLoop(), claimed.remainingGraceMillis(), server);
            byId.put(s.sessionId(), s);
            byToken.put(token, s);
            log.debug("session {} taken over from node {}", s, claimed.formerOwner());
            return s;
        });
    }

    /** Node {@code generation} died: this node adopts its sessions, and their members go away in their rooms. */
    void adoptFrom(long generation) {
        long grace = server.options().resumeGrace().toMillis();
        directory.adopt(generation, grace).whenComplete((adopted, failure) -> {
            if (failure != null) {
                log.warn("could not adopt the sessions of dead node {}: {}", generation, failure.toString());
                return;
            }
            for (SessionDirectory.Claimed c : adopted) {
                ServerSession s = new ServerSession(c.id(), c.name(), c.rooms(), c.closedRooms(), null, loops.get(),
                        grace == 0 ? 0 : c.remainingGraceMillis(), server);
                byId.put(s.sessionId(), s);
                s.markAway();
            }
            log.info("adopted {} sessions of dead node {}", adopted.size(), generation);
        });
    }

    /** Another node took session {@code sessionId} (a message on this node's channel). */
    void moved(long sessionId) {
        ServerSession s = byId.get(sessionId);
        if (s != null) {
            s.moved();
        }
    }

    @Override
    public void away(ServerSession session, Duration grace) {
        logFailure(directory.away(session.sessionId(), grace.toMillis()), "mark away", session);
    }

    @Override
    public void back(ServerSession session) {
        logFailure(directory.away(session.sessionId(), 0), "mark back", session);
    }

    @Override
    public CompletionStage<Boolean> release(ServerSession session) {
        byId.remove(session.sessionId(), session);
        return directory.end(session.sessionId());
    }

    @Override
    public void forget(ServerSession session, String token, String unconfirmedToken) {
        byId.remove(session.sessionId(), session);
        if (token != null) {
            byToken.remove(token, session);
        }
        if (unconfirmedToken != null) {
            byToken.remove(unconfirmedToken, session);
        }
    }

    private static void logFailure(CompletionStage<?> stage, String what, ServerSession session) {
        stage.whenComplete((ok, failure) -> {
            if (failure != null) {
                log.warn("could not {} session {} in the cluster's store: {}", what, session, failure.toString());
            }
        });
    }
}
