package dev.hotpochato.server.net;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Finds the session a resume token takes back. A session registers its current token (and, for a
 * moment after a Resume, the one that Resume presented: see {@link ServerSession}) and removes them
 * when they stop working. The registry only finds; the session decides, on its own thread, whether
 * a token still resumes it. Any thread.
 *
 * <p>One server keeps them in memory ({@link LocalResumeTokens}); servers sharing sessions would keep
 * them where all can see them.
 */
interface ResumeTokens {

    /** A fresh unguessable token: 128 random bits, 22 characters. */
    static String newToken() {
        byte[] bytes = new byte[16];
        Random.SECURE.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    void add(String token, ServerSession session);

    /** The session {@code token} was given to, or null. */
    ServerSession find(String token);

    /** Forgets {@code token} if it still names {@code session}; null is ignored. */
    void remove(String token, ServerSession session);

    /** Sessions that some token finds. */
    int sessions();

    /** Holder of the generator, so that the interface exposes no field. */
    final class Random {
        static final SecureRandom SECURE = new SecureRandom();

        private Random() {
        }
    }
}
