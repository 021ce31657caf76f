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

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void connectingWhereNothingListensFailsAsRefused() throws Exception {
        int port = closedPort();
        Throwable e = Futures.failure(HotPochatoClient.connect("127.0.0.1", port, "alice"));
        ConnectFailedException failed = assertInstanceOf(ConnectFailedException.class, e);
        assertEquals(ConnectFailedException.Reason.REFUSED, failed.reason());
        assertEquals(new ServerAddress("127.0.0.1", port), failed.address());
        assertEquals("cannot connect to 127.0.0.1:" + port + ": connection refused (no server listens there)",
                failed.getMessage());
        assertInstanceOf(ConnectException.class, failed.getCause());
    }

    @Test
    void aServerThatNeverWelcomesFailsAsNotHotPochatoAfterTheHandshakeTimeoutNotTheRequestTimeout() throws Exception {
        try (FakeServer silent = new FakeServer(false)) {
            var connecting = HotPochatoClient.connect(ClientOptions.builder("alice").host("127.0.0.1")
                    .port(silent.port()).handshakeTimeout(Duration.ofMillis(200)).requestTimeout(Duration.ofHours(1))
                    .build());
            ConnectFailedException e = assertInstanceOf(ConnectFailedException.class, Futures.failure(connecting));
            assertEquals(ConnectFailedException.Reason.NOT_HOTPOCHATO, e.reason());
            assertTrue(e.getMessage().contains("no answer to the handshake within 200 ms"), e.getMessage());
            assertTrue(silent.nextFrame().hasHello());
        }
    }

    @Test
    void aServerThatAnswersSomethingElseFailsAsNotHotPochato() throws Exception {
        try (RawServer http = new RawServer("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")) {
            ConnectFailedException e = assertInstanceOf(ConnectFailedException.class,
                    Futures.failure(HotPochatoClient.connect("127.0.0.1", http.port(), "alice")));
            assertEquals(ConnectFailedException.Reason.NOT_HOTPOCHATO, e.reason());
        }
    }

    @Test
    void aServerThatClosesWithoutAWordFailsAsNotHotPochato() throws Exception {
        try (RawServer mute = new RawServer("")) {
            ConnectFailedException e = assertInstanceOf(ConnectFailedException.class,
                    Futures.failure(HotPochatoClient.connect("127.0.0.1", mute.port(), "alice")));
            assertEquals(ConnectFailedException.Reason.NOT_HOTPOCHATO, e.reason());
            assertTrue(e.getMessage().contains("closed the connection without answering"), e.getMessage());
        }
    }

    @Test
    void withSeveralAddressesTheFirstThatWelcomesIsUsed() throws Exception {
        int nobody = closedPort();
        Session s = Futures.await(HotPochatoClient.connect(ClientOptions.builder("alice")
                .addresses(new ServerAddress("127.0.0.1", nobody), new ServerAddress("127.0.0.1", server.port()))
                .build()));
        try {
            assertEquals(new ServerAddress("127.0.0.1", server.port()), s.serverAddress());
            Futures.await(s.ping());
        } finally {
            s.close();
        }
    }

    @Test
    void whenNoAddressWelcomesTheFirstFailureIsReportedWithTheOthersSuppressed() throws Exception {
        int first = closedPort();
        try (RawServer mute = new RawServer("")) {
            ConnectFailedException e = assertInstanceOf(ConnectFailedException.class,
                    Futures.failure(HotPochatoClient.connect(ClientOptions.builder("alice")
                            .addresses(new ServerAddress("127.0.0.1", first), new ServerAddress("127.0.0.1", mute.port()))
                            .build())));
            assertEquals(ConnectFailedException.Reason.REFUSED, e.reason());
            assertEquals(1, e.getSuppressed().length);
            assertEquals(ConnectFailedException.Reason.NOT_HOTPOCHATO,
                    ((ConnectFailedException) e.getSuppressed()[0]).reason());
        }
    }

    @Test
    void aServersRefusalIsNotTriedElsewhere() throws Exception {
        int second = closedPort();
        Throwable e = Futures.failure(HotPochatoClient.connect(ClientOptions.builder(" padded ")
                .addresses(new ServerAddress("127.0.0.1", server.port()), new ServerAddress("127.0.0.1", second))
                .build()));
        assertEquals(ErrorCode.INVALID_NAME, assertInstanceOf(ServerErrorException.class, e).code());
        assertEquals(0, e.getSuppressed().length);
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
