package dev.hotpochato.server.net;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The sessions that can be resumed, by resume token (a session just resumed has two for a moment;
 * see {@link ServerSession#resume}). Touched when a session starts, resumes or
 * ends, from any connection's thread, so it is a concurrent map; the turn path never sees it.
 */
final class Sessions {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final ConcurrentMap<String, ServerSession> byToken = new ConcurrentHashMap<>();

    /** A fresh unguessable token: 128 random bits. */
    static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    void add(String token, ServerSession session) {
        byToken.put(token, session);
    }

    ServerSession find(String token) {
        return token.isEmpty() ? null : byToken.get(token);
    }

    void remove(String token, ServerSession session) {
        if (token != null) {
            byToken.remove(token, session);
        }
    }

    int size() {
        return byToken.size();
    }
}
