package dev.hotpochato.client;

import dev.hotpochato.client.internal.Connector;

import java.util.concurrent.CompletableFuture;

/**
 * The entry point of the client library: connects to a HotPochato server and hands back a
 * {@link Session}.
 *
 * <pre>{@code
 * Session session = HotPochatoClient.connect("localhost", 7447, "alice").join();
 * RoomHandle room = session.join("lobby").join();
 * room.onMyTurn(turn -> turn.say("hello"));
 * }</pre>
 *
 * <p>A session runs on the threads of a {@link ClientResources}: its own, made for it and stopped
 * when it ends ({@link #connect(ClientOptions)}), or ones the application shares between sessions
 * and shuts down itself ({@link #connect(ClientResources, ClientOptions)}). Futures, listeners and
 * turn handlers run on the session's callback executor, never on a network thread (see
 * {@link Session}).
 */
public final class HotPochatoClient {

    private HotPochatoClient() {
    }

    /**
     * Connects as {@code options} say, on threads of its own, and completes the handshake. The
     * future completes with the session once a server welcomed it. It fails with
     * {@link ConnectFailedException} if no server of {@link ClientOptions#addresses()} could be
     * talked to (its {@link ConnectFailedException#reason() reason} says why: refused, TLS expected
     * or not spoken, an untrusted certificate, not a HotPochato server...; with several addresses,
     * the first one's failure, the others' attached as suppressed), or with
     * {@link ServerErrorException} if the server refused the name ({@link ErrorCode#INVALID_NAME})
     * or the client (e.g. {@link ErrorCode#UNAUTHENTICATED} for a wrong {@link ClientOptions#authToken()}).
     */
    public static CompletableFuture<Session> connect(ClientOptions options) {
        return Connector.connect(null, options);
    }

    /**
     * As {@link #connect(ClientOptions)}, on the threads of {@code resources}, which the session
     * shares and does not shut down.
     */
    public static CompletableFuture<Session> connect(ClientResources resources, ClientOptions options) {
        if (resources == null) {
            throw new NullPointerException("resources");
        }
        return Connector.connect(resources, options);
    }

    /** Connects to {@code host:port} as {@code displayName} with default options. */
    public static CompletableFuture<Session> connect(String host, int port, String displayName) {
        return connect(ClientOptions.builder(displayName).host(host).port(port).build());
    }
}
