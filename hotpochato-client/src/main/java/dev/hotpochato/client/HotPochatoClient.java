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
 * <p>Network I/O runs on a small event-loop group shared by every session of the JVM, started with
 * the first session and stopped when the last one closes; nothing needs to be created or shut down.
 * Futures, listeners and turn handlers run on each session's callback executor, never on a network
 * thread (see {@link Session}).
 */
public final class HotPochatoClient {

    private HotPochatoClient() {
    }

    /**
     * Connects as {@code options} say and completes the handshake. The future completes with the
     * session once the server welcomed it; it fails with the I/O exception if the connection cannot
     * be made (e.g. {@link java.net.ConnectException}, or {@link javax.net.ssl.SSLHandshakeException} for a
     * TLS certificate that is not trusted or does not name the host), with {@link ServerErrorException} if the server
     * refuses the name ({@link ErrorCode#INVALID_NAME}) or the client (e.g. {@link ErrorCode#UNAUTHENTICATED}
     * for a wrong {@link ClientOptions#authToken()}), or with
     * {@link RequestTimeoutException} if no welcome comes.
     */
    public static CompletableFuture<Session> connect(ClientOptions options) {
        return Connector.connect(options);
    }

    /** Connects to {@code host:port} as {@code displayName} with default options. */
    public static CompletableFuture<Session> connect(String host, int port, String displayName) {
        return connect(ClientOptions.builder(displayName).host(host).port(port).build());
    }
}
