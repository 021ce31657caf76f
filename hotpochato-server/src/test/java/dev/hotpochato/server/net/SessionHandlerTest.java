package dev.hotpochato.server.net;

import dev.hotpochato.protocol.ProtocolLimits;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.protocol.v1.Welcome;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.net.NetFixture.Conn;
import io.netty.handler.timeout.IdleStateEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A connection's handshake, its deadline, held frames, token confirmation and its loss, on embedded channels. */
class SessionHandlerTest {

    private NetFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private NetFixture start(ServerOptions.Builder options) {
        f = new NetFixture(options);
        return f;
    }

    private static ClientFrame ping(long requestId) {
        return ClientFrame.newBuilder().setRequestId(requestId).setPing(Ping.newBuilder().setNonce(requestId)).build();
    }

    private static ClientFrame resume(long requestId, String token, Map<String, Long> lastSeq) {
        return ClientFrame.newBuilder().setRequestId(requestId).setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setResumeToken(token).putAllLastSeq(lastSeq))
                .build();
    }

    @Test
    void theHandshakeDeadlineCountsFromConnectingWhateverArrives() {
        NetFixture f = start(ServerOptions.builder().handshakeTimeout(Duration.ofSeconds(10)));
        Conn c = f.connect("10.0.0.1");
        c.advanceTimeBy(9_999, TimeUnit.MILLISECONDS);
        c.expectNothing();
        assertTrue(c.isActive());
        c.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        Error error = c.expectError(Error.Code.HANDSHAKE_TIMEOUT);
        assertTrue(error.getFatal());
        assertFalse(c.isActive());
    }

    @Test
    void aClientWelcomedInTimeIsNotBotheredByTheDeadline() {
        NetFixture f = start(ServerOptions.builder().handshakeTimeout(Duration.ofSeconds(10)));
        Conn c = f.connect("10.0.0.1");
        c.send(NetFixture.hello(1, "alice"));
        assertEquals(1, c.expect(BodyCase.WELCOME).getRequestId());
        c.advanceTimeBy(1, TimeUnit.MINUTES);
        c.expectNothing();
        assertTrue(c.isActive());
    }

    @Test
    void theFirstFrameMustBeHelloOrResumeAndComeOnce() {
        NetFixture f = start(ServerOptions.builder());
        Conn early = f.connect("10.0.0.1");
        early.send(ping(7));
        Error e = early.expectError(Error.Code.PROTOCOL_VIOLATION);
        assertEquals("the first frame must be Hello or Resume, not PING", e.getMessage());
        assertTrue(e.getFatal());

        Conn twice = f.connect("10.0.0.2");
        twice.send(NetFixture.hello(1, "bob"));
        twice.expect(BodyCase.WELCOME);
        twice.send(NetFixture.hello(2, "bob"));
        assertEquals("the handshake may be done only once", twice.expectError(Error.Code.PROTOCOL_VIOLATION).getMessage());
    }

    /**
     * While the authenticator decides, the connection stops reading, and what it had read waits:
     * answered in order after the Welcome; one frame more than the protocol allows is a violation.
     */
    @Test
    void framesBehindAnUndecidedHelloWaitAndTheConnectionStopsReading() {
        CompletableFuture<Boolean> verdict = new CompletableFuture<>();
        NetFixture f = start(ServerOptions.builder().authenticator((name, token, remote) -> verdict));
        Conn c = f.connect("10.0.0.1");
        c.send(NetFixture.hello(1, "carol"));
        assertFalse(c.config().isAutoRead(), "reading stops while the handshake is decided");
        for (int i = 0; i < ProtocolLimits.MAX_FRAMES_BEFORE_WELCOME; i++) {
            c.send(ping(100 + i));
        }
        c.expectNothing();
        verdict.complete(true);
        c.runPendingTasks();
        assertEquals(1, c.expect(BodyCase.WELCOME).getRequestId());
        for (int i = 0; i < ProtocolLimits.MAX_FRAMES_BEFORE_WELCOME; i++) {
            assertEquals(100 + i, c.expect(BodyCase.PONG).getRequestId());
        }
        assertTrue(c.config().isAutoRead());

        CompletableFuture<Boolean> never = new CompletableFuture<>();
        f.close();
        NetFixture g = start(ServerOptions.builder().authenticator((name, token, remote) -> never));
        Conn greedy = g.connect("10.0.0.2");
        greedy.send(NetFixture.hello(1, "dave"));
        for (int i = 0; i <= ProtocolLimits.MAX_FRAMES_BEFORE_WELCOME; i++) {
            greedy.send(ping(100 + i));
        }
        ServerFrame e = greedy.expect(BodyCase.ERROR);
        assertEquals(Error.Code.PROTOCOL_VIOLATION, e.getError().getCode());
        assertEquals(100 + ProtocolLimits.MAX_FRAMES_BEFORE_WELCOME, e.getRequestId());
    }

    /**
     * The token a Resume presented stays valid through frames read before its Welcome (pipelined:
     * the client cannot have the new token yet) and dies with the first frame read after it.
     */
    @Test
    void onlyAFrameReadAfterTheWelcomeOfAResumeVoidsTheOldToken() {
        NetFixture f = start(ServerOptions.builder());
        Conn first = f.connect("10.0.0.1");
        first.send(NetFixture.hello(1, "erin"));
        String old = first.expect(BodyCase.WELCOME).getWelcome().getResumeToken();
        first.drop();
        f.settle();

        Conn again = f.connect("10.0.0.1");
        // Resume and a Ping in one read: the Ping waits, unanswered, while the session is taken back.
        again.writeInbound(resume(2, old, Map.of()), ping(3));
        f.settle();
        Welcome welcome = again.expect(BodyCase.WELCOME).getWelcome();
        assertTrue(welcome.getResumed());
        assertEquals(3, again.expect(BodyCase.PONG).getRequestId());
        f.settle();
        assertNotNull(f.context.tokens().find(old), "a pipelined frame proves nothing");
        assertNotNull(f.context.tokens().find(welcome.getResumeToken()));

        again.send(ping(4));
        again.expect(BodyCase.PONG);
        f.settle();
        assertNull(f.context.tokens().find(old), "the client has spoken since its Welcome");
        assertNotNull(f.context.tokens().find(welcome.getResumeToken()));
    }

    @Test
    void aLostConnectionLeavesItsSessionAwayForTheGraceAndThenEndsIt() {
        NetFixture f = start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(30)));
        Conn c = f.connect("10.0.0.1");
        c.send(NetFixture.hello(1, "finn"));
        String token = c.expect(BodyCase.WELCOME).getWelcome().getResumeToken();
        Conn other = f.connect("10.0.0.2");
        other.send(NetFixture.hello(1, "gwen"));
        other.expect(BodyCase.WELCOME);
        for (Conn member : new Conn[] {c, other}) {
            member.send(ClientFrame.newBuilder().setRequestId(5).setJoin(Join.newBuilder().setRoom("tea")).build());
        }
        c.drop();
        f.settle();
        assertNotNull(f.context.tokens().find(token), "away: it can still be resumed");
        assertEquals(2, f.addresses.places(), "and it keeps its place");
        assertTrue(drain(other).contains(BodyCase.MEMBER_AWAY));

        c.advanceTimeBy(30, TimeUnit.SECONDS); // the session's timer runs on its first connection's loop
        f.settle();
        assertNull(f.context.tokens().find(token), "the grace is over");
        assertEquals(1, f.addresses.places());
        ServerFrame left = null;
        for (ServerFrame frame; (frame = other.next()) != null; ) {
            left = frame.hasMemberLeft() ? frame : left;
        }
        assertNotNull(left);
        assertEquals(MemberLeft.Reason.DISCONNECTED, left.getMemberLeft().getReason());
    }

    @Test
    void silenceIsAnIdleTimeoutThatLeavesTheSessionResumable() {
        NetFixture f = start(ServerOptions.builder());
        Conn c = f.connect("10.0.0.1");
        c.send(NetFixture.hello(1, "hank"));
        String token = c.expect(BodyCase.WELCOME).getWelcome().getResumeToken();
        c.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        assertTrue(c.expectError(Error.Code.IDLE_TIMEOUT).getFatal());
        f.settle();
        assertNotNull(f.context.tokens().find(token));
    }

    @Test
    void aNodeWhoseStandingIsInDoubtClosesNobodyForSilenceUntilItKnowsAndLeavesAFencedNodesClientsToFencing() {
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<Boolean>> asked =
                new java.util.concurrent.atomic.AtomicReference<>(CompletableFuture.completedFuture(true));
        NetFixture f = new NetFixture(ServerOptions.builder(), () -> asked.get());
        this.f = f;
        Conn c = f.connect("10.0.0.1");
        c.send(NetFixture.hello(1, "hank"));
        c.expect(BodyCase.WELCOME);
        CompletableFuture<Boolean> standing = new CompletableFuture<>();
        asked.set(standing);
        c.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        f.settle();
        c.expectNothing(); // the node may have been the one stopped: it asks Redis first
        assertTrue(c.isActive());
        standing.complete(false); // it was declared dead: its fencing says goodbye (SERVER_SHUTTING_DOWN)
        f.settle();
        c.expectNothing();
        assertTrue(c.isActive());
    }

    @Test
    void aNodeStillAliveClosesASilentClientButNotOneThatSentAFrameWhileItAsked() {
        java.util.concurrent.atomic.AtomicReference<CompletableFuture<Boolean>> standing =
                new java.util.concurrent.atomic.AtomicReference<>(CompletableFuture.completedFuture(true));
        NetFixture f = new NetFixture(ServerOptions.builder(), () -> standing.get());
        this.f = f;
        Conn talker = f.connect("10.0.0.1");
        talker.send(NetFixture.hello(1, "hank"));
        talker.expect(BodyCase.WELCOME);
        standing.set(new CompletableFuture<>());
        talker.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        talker.send(ping(2)); // read on waking up, before Redis answered
        talker.expect(BodyCase.PONG);
        standing.get().complete(true);
        f.settle();
        talker.expectNothing();
        assertTrue(talker.isActive());

        Conn silent = f.connect("10.0.0.2");
        standing.set(CompletableFuture.completedFuture(true));
        silent.send(NetFixture.hello(1, "ines"));
        silent.expect(BodyCase.WELCOME);
        standing.set(new CompletableFuture<>());
        silent.pipeline().fireUserEventTriggered(IdleStateEvent.READER_IDLE_STATE_EVENT);
        silent.expectNothing();
        standing.get().complete(true);
        f.settle();
        assertTrue(silent.expectError(Error.Code.IDLE_TIMEOUT).getFatal());
    }

    @Test
    void aNodeWhoseStandingIsInDoubtWelcomesNobodyUntilItKnowsAndAFencedNodeAnswersHelloWithItsGoodbyeAlone() {
        CompletableFuture<Boolean> standing = new CompletableFuture<>();
        NetFixture f = new NetFixture(ServerOptions.builder(), () -> standing);
        this.f = f;
        Conn c = f.connect("10.0.0.1");
        c.send(NetFixture.hello(1, "hank"));
        f.settle();
        c.expectNothing(); // after a pause, the node asks Redis whether it still stands before it welcomes
        standing.complete(false); // declared dead
        f.settle();
        assertTrue(c.expectError(Error.Code.SERVER_SHUTTING_DOWN).getFatal());
        assertEquals(java.util.List.of(), drain(c), "no Welcome after the goodbye either");
    }

    private static java.util.List<BodyCase> drain(Conn c) {
        java.util.List<BodyCase> kinds = new java.util.ArrayList<>();
        for (ServerFrame frame; (frame = c.next()) != null; ) {
            kinds.add(frame.getBodyCase());
        }
        return kinds;
    }
}
