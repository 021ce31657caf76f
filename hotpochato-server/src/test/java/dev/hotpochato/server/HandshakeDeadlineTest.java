package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.testing.TestClient;
import io.netty.buffer.Unpooled;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import io.netty.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every connection makes progress or is closed: a trickle of bytes is not progress. */
class HandshakeDeadlineTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** Sends one byte every 100 ms on {@code c}'s loop: a frame that never ends. Returns the schedule. */
    private static ScheduledFuture<?> trickle(TestClient c, byte[] prefix) {
        c.channel().writeAndFlush(Unpooled.wrappedBuffer(prefix));
        return c.channel().eventLoop().scheduleAtFixedRate(
                () -> c.channel().writeAndFlush(Unpooled.wrappedBuffer(new byte[] {0x08})), 100, 100,
                TimeUnit.MILLISECONDS);
    }

    @Test
    void aConnectionTricklingAHelloItNeverFinishesIsClosed() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder().idleTimeout(Duration.ofMillis(600)));
        TestClient c = fixture.track(TestClient.connect(fixture.address));
        ScheduledFuture<?> trickling = trickle(c, new byte[] {(byte) 0xFF, 0x01}); // a 255-byte frame, begun
        try {
            ServerFrame error = c.next();
            assertTrue(error.hasError(), error::toString);
            assertTrue(error.getError().getCode() == Error.Code.IDLE_TIMEOUT
                    || error.getError().getCode() == Error.Code.HANDSHAKE_TIMEOUT, error::toString);
            c.expectClosed();
        } finally {
            trickling.cancel(false);
        }
    }

    @Test
    void afterTheHandshakeOnlyWholeFramesCountAsLife() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder().idleTimeout(Duration.ofMillis(600)));
        TestClient c = fixture.client("slowpoke");
        ScheduledFuture<?> trickling = trickle(c, new byte[] {(byte) 0xFF, 0x01});
        try {
            assertEquals(Error.Code.IDLE_TIMEOUT, c.expect(ServerFrame.BodyCase.ERROR).getError().getCode());
            c.expectClosed();
        } finally {
            trickling.cancel(false);
        }
    }

    @Test
    void aHelloThatComesTooLateIsAHandshakeTimeout() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder().handshakeTimeout(Duration.ofMillis(300))
                .idleTimeout(Duration.ofSeconds(30)));
        TestClient c = fixture.track(TestClient.connect(fixture.address));
        ScheduledFuture<?> trickling = trickle(c, new byte[] {(byte) 0xFF, 0x01});
        try {
            Error error = c.expectError(Error.Code.HANDSHAKE_TIMEOUT);
            assertTrue(error.getFatal());
            assertEquals(0, error.getRoom().length());
            c.expectClosed();
        } finally {
            trickling.cancel(false);
        }
        // A client that says Hello in time is not bothered by the deadline afterwards.
        TestClient prompt = fixture.client("prompt");
        Thread.sleep(600); // past the deadline it would have had
        prompt.expectNothingMore();
    }

    /** A TLS handshake that never starts is abandoned after the TLS handshake timeout, not the default 10 s. */
    @Test
    void aTlsHandshakeThatNeverCompletesIsAbandoned() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        try {
            fixture = new ServerFixture(ServerOptions.builder().tls(cert.certificate().toPath(), cert.privateKey().toPath())
                    .tlsHandshakeTimeout(Duration.ofMillis(200)).handshakeTimeout(Duration.ofMinutes(1)));
            TestClient silent = fixture.track(TestClient.connect(fixture.address)); // plain TCP, says nothing
            long start = System.nanoTime();
            silent.expectClosed();
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(took < 5_000, "closed after " + took + " ms");
        } finally {
            cert.delete();
        }
    }
}
