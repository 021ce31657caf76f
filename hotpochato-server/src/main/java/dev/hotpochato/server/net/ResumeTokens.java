package dev.hotpochato.server.net;

import io.netty.channel.Channel;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletionStage;

/**
 * Finds the session a resume token takes back. A session registers its current token (and, for a
 * moment after a Resume, the one that Resume presented: see {@link ServerSession}) and removes them
 * when they stop working. The registry only finds; the session decides, on its own thread, whether
 * a token still resumes it. Any thread.
 *
 * <p>One server keeps them in memory ({@link LocalResumeTokens}); the nodes of a cluster also keep
 * them, with the sessions, where all can see them ({@link ClusterResumeTokens}), so that a session
 * can be taken back on any node. The methods with a default body are for those: one server needs
 * nothing of them.
 */
interface ResumeTokens {

    /** A fresh unguessable token: 128 random bits, 22 characters. */
    static String newToken() {
        byte[] bytes = new byte[16];
        Random.SECURE.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A fresh token for session {@code sessionId}. */
    default String newToken(long sessionId) {
        return newToken();
    }

    void add(String token, ServerSession session);

    /** The session {@code token} was given to, or null. */
    ServerSession find(String token);

    /** Forgets {@code token} if it still names {@code session}; null is ignored. */
    void remove(String token, ServerSession session);

    /** Sessions that some token finds. */
    int sessions();

    /**
     * The display name of the session that {@code token} (not found here) takes back elsewhere, to
     * authenticate the Resume before {@link #claim}; the stage completes with null if the token
     * takes nothing back. Null (no stage) if sessions are not shared.
     */
    default CompletionStage<String> nameElsewhere(String token) {
        return null;
    }

    /**
     * A Resume with {@code token} that {@link #find} did not find here: the session it takes back
     * from another node (or adopted from a dead one), now this server's, to be resumed on
     * {@code fresh}; the stage completes with null if the token takes nothing back. Null (no stage)
     * if sessions are not shared.
     */
    default CompletionStage<ServerSession> claim(String token, Channel fresh) {
        return null;
    }

    /** {@code session} lost its connection and may be resumed for {@code grace}. */
    default void away(ServerSession session, Duration grace) {
    }

    /** {@code session} is connected again. */
    default void back(ServerSession session) {
    }

    /**
     * {@code session} ends here: the stage says whether it may leave its rooms (false: another
     * node took it meanwhile, and it is that node's now). Null when nothing can have taken it: it
     * leaves them at once.
     */
    default CompletionStage<Boolean> release(ServerSession session) {
        return null;
    }

    /** Another node took {@code session}: forget it here, tokens included, without touching what is shared. */
    default void forget(ServerSession session, String token, String unconfirmedToken) {
    }

    /** Holder of the generator, so that the interface exposes no field. */
    final class Random {
        static final SecureRandom SECURE = new SecureRandom();

        private Random() {
        }
    }
}
