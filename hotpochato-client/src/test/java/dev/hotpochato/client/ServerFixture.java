package dev.hotpochato.client;

import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A real server on 127.0.0.1 for a test class, and sessions that are closed after each test. */
abstract class ServerFixture {

    static HotPochatoServer server;
    private final List<Session> sessions = new ArrayList<>();

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .turnTimeout(Duration.ofSeconds(30)).shutdownTimeout(Duration.ofSeconds(2))
                // A lost member is away for this long before the others see it leave.
                .resumeGrace(Duration.ofMillis(300)).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeSessions() {
        sessions.forEach(Session::close);
        sessions.clear();
    }

    /** A generous handshake timeout: the first connection of a test JVM on a loaded machine can be slow. */
    static ClientOptions.Builder options(String name) {
        return ClientOptions.builder(name).host("127.0.0.1").port(server.port()).handshakeTimeout(Duration.ofSeconds(30));
    }

    /** Connects as {@code name}, with {@code log} listening from the start. */
    Session connect(String name, EventLog log) throws Exception {
        Session s = Futures.await(HotPochatoClient.connect(options(name).build()));
        if (log != null) {
            s.addListener(log);
        }
        sessions.add(s);
        return s;
    }

    Session connect(String name) throws Exception {
        return connect(name, null);
    }
}
