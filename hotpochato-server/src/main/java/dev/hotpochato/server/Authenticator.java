package dev.hotpochato.server;

import java.net.SocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * Decides whether a client may in, from the token in its {@code Hello} (or {@code Resume}).
 * Called on a connection's event loop: return at once and do slow checks asynchronously.
 * A refused client gets {@code Error(UNAUTHENTICATED)} and is disconnected, learning nothing else.
 */
@FunctionalInterface
public interface Authenticator {

    /**
     * @param displayName the name the client asks for
     * @param token       {@code Hello.auth_token}, empty if none was given
     * @param remote      the client's address
     * @return completes with true to let the client in
     */
    CompletionStage<Boolean> authenticate(String displayName, String token, SocketAddress remote);
}
