package dev.hotpochato.client;

import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests whose replies never come, and connections that end under them. */
class FailureTest {

    private static Session connect(int port, Duration requestTimeout) throws Exception {
        return Futures.await(HotPochatoClient.connect(ClientOptions.builder("alice").host("127.0.0.1").port(port)
                .requestTimeout(requestTimeout).build()));
    }

    @Test
    void aRequestWithoutReplyFailsAfterTheRequestTimeout() throws Exception {
        try (FakeServer silent = new FakeServer(true)) {
            Session s = connect(silent.port(), Duration.ofMillis(200));
            RequestTimeoutException e = assertInstanceOf(RequestTimeoutException.class,
                    Futures.failure(s.join("lobby")));
            assertTrue(e.getMessage().contains("JOIN"), e.getMessage());
            assertTrue(s.isOpen(), "a timeout does not end the session");
            s.closeAsync();
        }
    }

    @Test
    void aLostConnectionFailsEveryPendingRequest() throws Exception {
        try (FakeServer silent = new FakeServer(true)) {
            Session s = connect(silent.port(), Duration.ofSeconds(30));
            EventLog log = new EventLog();
            s.addListener(log);
            var join = s.join("lobby");
            var match = s.match();
            var rooms = s.listRooms();
            silent.nextFrame();
            silent.nextFrame();
            silent.nextFrame();
            silent.nextFrame(); // Hello, Join, Match, ListRooms: all sent, none answered

            silent.dropConnection();

            assertInstanceOf(ConnectionClosedException.class, Futures.failure(join));
            assertInstanceOf(ConnectionClosedException.class, Futures.failure(match));
            assertInstanceOf(ConnectionClosedException.class, Futures.failure(rooms));
            log.expect("disconnected ");
            assertFalse(s.isOpen());
            Futures.await(s.closeFuture());
        }
    }

    @Test
    void withoutReconnectAStoppingServerClosesRoomsAndDisconnectsWithItsReason() throws Exception {
        HotPochatoServer server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2)).build());
        EventLog log = new EventLog();
        RoomHandle room;
        try {
            Session s = Futures.await(HotPochatoClient.connect(ClientOptions.builder("alice").host("127.0.0.1")
                    .port(server.port()).reconnect(false).build()));
            s.addListener(log);
            room = Futures.await(s.join("doomed"));
        } finally {
            server.close();
        }
        log.expect("joined doomed", "closed doomed the server is shutting down", "error SERVER_SHUTTING_DOWN",
                "disconnected ServerErrorException");
        assertFalse(room.isOpen());
        var closed = assertInstanceOf(ConnectionClosedException.class, Futures.failure(room.say("anyone?")));
        assertEquals("the session is closed", closed.getMessage());
    }
}
