package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.Say;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fatal error is the last thing that happens on a connection: nothing the client sent after the
 * offending frame takes effect, nothing is left behind, and the client learns why before the close.
 * Found by {@link FuzzTest}; each case here is one of its findings, made deterministic.
 */
class FatalErrorTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static byte[] frames(ClientFrame... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ClientFrame f : frames) {
            out.writeBytes(HostileFrames.frame(f));
        }
        return out.toByteArray();
    }

    @Test

    void framesBehindAFatalErrorAreNotActedOn() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        List<TestClient> m = fixture.room("tea", "alice", "bob");
        TestClient alice = m.get(0); // holds the first turn
        TestClient bob = m.get(1);
        // An empty frame (fatal), and in the same packet a Say that would be valid on its own.
        byte[] say = frames(ClientFrame.newBuilder().setRequestId(7)
                .setSay(Say.newBuilder().setRoom("tea").setText("after the kick")).build());
        alice.channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0}, say));
        assertEquals(Error.Code.PROTOCOL_VIOLATION, alice.await(ServerFrame::hasError).getError().getCode());
        alice.expectClosed();

        ServerFrame next = bob.next();
        assertEquals(BodyCase.MEMBER_LEFT, next.getBodyCase(), () -> "alice is gone before anything else: " + next);
        assertEquals(MemberLeft.Reason.KICKED, next.getMemberLeft().getReason());
    }

    @Test

    void helloBehindAFatalErrorLeavesNoSession() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        for (int i = 0; i < 10; i++) {
            TestClient c = fixture.track(TestClient.connect(fixture.address));
            // A Join before Hello (fatal), and in the same packet a Hello.
            c.channel().writeAndFlush(Unpooled.wrappedBuffer(frames(
                    ClientFrame.newBuilder().setRequestId(1).setJoin(Join.newBuilder().setRoom("tea")).build(),
                    HostileFrames.hello(2, "ghost" + i, 1))));
            assertEquals(Error.Code.PROTOCOL_VIOLATION, c.expect(BodyCase.ERROR).getError().getCode());
            c.expectClosed();
        }
        // A live client's Ping is answered on its connection's thread, after whatever was queued there.
        TestClient probe = fixture.client("probe");
        probe.expectNothingMore();
        assertEquals(1, fixture.server.sessionCount(), "only the probe's session is kept");
    }

    @Test

    void floodedClientIsToldWhyBeforeTheClose() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        ByteArrayOutputStream flood = new ByteArrayOutputStream();
        for (int i = 0; i < 600; i++) {
            flood.writeBytes(HostileFrames.frame(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(i)).build()));
        }
        List<String> untold = new ArrayList<>();
        for (int round = 0; round < 10; round++) {
            TestClient c = fixture.track(TestClient.hello(fixture.address, "flooder" + round));
            // More than the server reads at once: some of it is still unread when it closes.
            c.channel().writeAndFlush(Unpooled.wrappedBuffer(flood.toByteArray()));
            Error error = null;
            ServerFrame f;
            while ((f = c.nextOrClosed()) != null) {
                if (f.hasError()) {
                    error = f.getError();
                }
            }
            if (error == null || error.getCode() != Error.Code.RATE_LIMITED) {
                untold.add("round " + round + ": " + error);
            }
        }
        assertTrue(untold.isEmpty(), () -> "closed without RATE_LIMITED reaching the client: " + untold);
    }
}
