package dev.hotpochato.server.net;

import java.util.HashSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** The resume tokens of one server, in memory. Touched when sessions start, resume and end, never on the turn path. */
final class LocalResumeTokens implements ResumeTokens {

    private final ConcurrentMap<String, ServerSession> byToken = new ConcurrentHashMap<>();

    @Override
    public void add(String token, ServerSession session) {
        byToken.put(token, session);
    }

    @Override
    public ServerSession find(String token) {
        return token.isEmpty() ? null : byToken.get(token);
    }

    @Override
    public void remove(String token, ServerSession session) {
        if (token != null) {
            byToken.remove(token, session);
        }
    }

    @Override
    public int sessions() {
        return new HashSet<>(byToken.values()).size();
    }
}
