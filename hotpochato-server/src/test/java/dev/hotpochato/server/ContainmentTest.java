package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hostile or broken clients are cut off, and the others carry on without losing anything. */
class ContainmentTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private ServerFixture start(ServerOptions.Builder options) throws InterruptedException {
        fixture = new ServerFixture(options.resumeGrace(Duration.ZERO));
        return fixture;
    }

    private static void ping(TestClient c, int times) {
        for (int i = 0; i < times; i++) {
            c.channel().write(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(i)).build());
        }
        c.channel().flush();
    }

    @Test
    void burstWithinTheLimitIsServed() throws Exception {
        ServerFixture f = start(ServerOptions.builder().maxFramesPerSecond(5).frameBurst(20));
        TestClient c = f.client("eager");
        ping(c, 19); // plus the Hello: exactly the burst
        for (int i = 0; i < 19; i++) {
            assertEquals(i, c.expect(BodyCase.PONG).getPong().getNonce());
        }
    }

    @Test
    void floodIsCutOffAndOthersCarryOn() throws Exception {
        ServerFixture f = start(ServerOptions.builder().maxFramesPerSecond(5).frameBurst(20));
        List<TestClient> m = f.room("tea", "alice", "bob", "flooder");
        TestClient flooder = m.get(2);
        ping(flooder, 500);
        ServerFrame error = flooder.await(ServerFrame::hasError);
        assertEquals(Error.Code.RATE_LIMITED, error.getError().getCode());
        assertTrue(error.getError().getFatal());
        flooder.expectClosed();
        for (TestClient c : m.subList(0, 2)) {
            ServerFrame left = c.expect(BodyCase.MEMBER_LEFT);
            assertEquals(MemberLeft.Reason.KICKED, left.getMemberLeft().getReason());
        }
        m.get(0).say("tea", "still here");
        assertEquals("still here", m.get(1).expect(BodyCase.SAID).getSaid().getText());
    }

    @Test
    void connectionsFromOneAddressAreCapped() throws Exception {
        ServerFixture f = start(ServerOptions.builder().maxConnectionsPerAddress(2));
        TestClient first = f.client("one");
        f.client("two");
        TestClient third = f.track(TestClient.connect(f.address));
        Error error = third.expectError(Error.Code.TOO_MANY_CONNECTIONS);
        assertTrue(error.getFatal());
        third.expectClosed();
        first.close();
        // The server frees the place when it sees the close, which may take a moment: try again until then.
        for (int attempt = 1; ; attempt++) {
            TestClient again = f.track(TestClient.connect(f.address));
            ServerFrame reply = again.sendHelloAndRead("three");
            if (reply.hasWelcome()) {
                break;
            }
            assertEquals(Error.Code.TOO_MANY_CONNECTIONS, reply.getError().getCode());
            assertTrue(attempt < 100, "the place held by a closed connection was never freed");
        }
    }

    @Test
    void connectionsInTotalAreCapped() throws Exception {
        ServerFixture f = start(ServerOptions.builder().maxConnections(1));
        f.client("one");
        TestClient second = f.track(TestClient.connect(f.address));
        second.expectError(Error.Code.TOO_MANY_CONNECTIONS);
        second.expectClosed();
    }

    @Test
    void clientThatStopsReadingIsDisconnectedAndOthersCarryOn() throws Exception {
        ServerFixture f = start(ServerOptions.builder()
                .maxFramesPerSecond(100_000).frameBurst(100_000)
                .writeBufferHighWaterMark(16 * 1024).maxPendingOutboundBytes(256 * 1024)
                .slowConsumerTimeout(Duration.ofMillis(300)));
        List<TestClient> m = f.room("tea", "alice", "bob", "stalled");
        TestClient alice = m.get(0);
        TestClient bob = m.get(1);
        TestClient stalled = m.get(2);
        stalled.stopReading(); // but it still takes its turns, passing, until it is cut off
        String text = "x".repeat(4000);
        String holder = "alice";
        int said = 0;
        boolean gone = false;
        // Bounded: the kernel's socket buffers fill after a few MB, then the server's guard trips.
        while (!gone && said < 20_000) {
            if (holder.equals("stalled")) {
                stalled.pass("tea");
            } else {
                (holder.equals("alice") ? alice : bob).say("tea", text + said);
            }
            String next = null;
            for (TestClient c : List.of(alice, bob)) {
                ServerFrame event = c.next();
                if (event.hasMemberLeft()) {
                    assertEquals("stalled", event.getMemberLeft().getName());
                    assertEquals(MemberLeft.Reason.TIMED_OUT, event.getMemberLeft().getReason());
                    gone = true;
                    if (holder.equals("stalled")) {
                        next = "alice"; // its pass may have come too late
                        c.await(ServerFrame::hasTurnGranted);
                        continue;
                    }
                    event = c.next();
                }
                ServerFrame got = event;
                if (holder.equals("stalled")) {
                    assertEquals(BodyCase.PASSED, event.getBodyCase(), got::toString);
                } else {
                    assertEquals(text + said, event.getSaid().getText(), () -> "nothing lost or reordered: " + got.getBodyCase());
                }
                next = c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder();
            }
            holder = next;
            said++;
        }
        assertTrue(gone, "the stalled client was disconnected after " + said + " messages");
        alice.expectNothingMore("tea");
    }

    /**
     * A session away for its grace period holds its connection's place, so that opening and
     * dropping connections cannot leave an address more sessions (and their rooms) than it may
     * have connections.
     */
    @Test
    void anAwaySessionHoldsItsPlaceUntilItsGraceEnds() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder().maxConnectionsPerAddress(2)
                .resumeGrace(Duration.ofMillis(1500)));
        List<TestClient> m = fixture.room("tea", "stays", "drops");
        m.get(1).close();
        m.get(0).expect(BodyCase.MEMBER_AWAY); // the server has seen the close: the session is away
        TestClient third = fixture.track(TestClient.connect(fixture.address));
        ServerFrame refused = third.sendHelloAndRead("third");
        assertEquals(Error.Code.TOO_MANY_CONNECTIONS, refused.getError().getCode(), refused::toString);
        third.expectClosed();

        assertEquals(MemberLeft.Reason.DISCONNECTED, m.get(0).expect(BodyCase.MEMBER_LEFT).getMemberLeft().getReason());
        TestClient fourth = fixture.track(TestClient.connect(fixture.address));
        assertTrue(fourth.sendHelloAndRead("fourth").hasWelcome(), "the place is free once the grace has ended");
    }
}
