package dev.hotpochato.client;

import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConnectTest extends ServerFixture {

    @Test
    void connectCompletesWithAWelcomedSession() throws Exception {
        Session s = connect("alice");
        assertTrue(s.isOpen());
        assertEquals("alice", s.name());
        assertFalse(s.sessionId().isEmpty());
        assertFalse(s.serverVersion().isEmpty());
        assertTrue(Futures.await(s.ping()).compareTo(Duration.ZERO) > 0);
    }

    @Test
    void anInvalidNameFailsTheConnectWithInvalidName() {
        Throwable e = Futures.failure(HotPochatoClient.connect(options(" padded ").build()));
        ServerErrorException error = assertInstanceOf(ServerErrorException.class, e);
        assertEquals(ErrorCode.INVALID_NAME, error.code());
        assertTrue(error.fatal());
    }

    @Test
    void connectingToAClosedPortFailsWithTheIoError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Throwable e = Futures.failure(HotPochatoClient.connect("127.0.0.1", port, "alice"));
        assertInstanceOf(ConnectException.class, e);
    }

    @Test
    void aServerThatNeverWelcomesFailsTheConnectWithATimeout() throws Exception {
        try (FakeServer silent = new FakeServer(false)) {
            var connecting = HotPochatoClient.connect(ClientOptions.builder("alice").host("127.0.0.1")
                    .port(silent.port()).requestTimeout(Duration.ofMillis(200)).build());
            assertInstanceOf(RequestTimeoutException.class, Futures.failure(connecting));
            assertTrue(silent.nextFrame().hasHello());
        }
    }

    @Test
    void closeEndsTheSessionAndLaterRequestsFailAtOnce() throws Exception {
        EventLog log = new EventLog();
        Session s = connect("alice", log);
        s.close();
        assertFalse(s.isOpen());
        assertTrue(s.closeFuture().isDone());
        log.expect("disconnected ");
        assertInstanceOf(ConnectionClosedException.class, Futures.failure(s.join("lobby")));
    }
}
