package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guessing a room password or an authentication token is braked: a session, and an address, may
 * fail only so often a minute; after that even the right one is refused, unchecked. Those who get
 * in do not use up the allowance.
 */
class GuessingBrakeTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static ClientFrame.Builder join(String room, String password) {
        return ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room).setPassword(password));
    }

    @Test
    void wrongPasswordsRunOutPerSessionAndPerAddress() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder().maxFailedAttempts(3).maxFailedAttemptsPerAddress(5));
        TestClient owner = fixture.client("owner");
        owner.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("vault")
                .setOptions(RoomOptions.newBuilder().setPassword("sesame"))));
        owner.expect(BodyCase.JOINED);

        TestClient guesser = fixture.client("guesser");
        for (int i = 0; i < 3; i++) {
            guesser.send(join("vault", "guess-" + i));
            guesser.expectError(Error.Code.WRONG_PASSWORD);
        }
        guesser.send(join("vault", "sesame"));
        Error braked = guesser.expectError(Error.Code.TOO_MANY_ATTEMPTS);
        assertFalse(braked.getFatal());
        assertEquals("vault", braked.getRoom());
        guesser.expectNothingMore(); // still connected

        // Another session from the same address has its own three, but the address only two more.
        TestClient accomplice = fixture.client("accomplice");
        for (int i = 0; i < 2; i++) {
            accomplice.send(join("vault", "other-" + i));
            accomplice.expectError(Error.Code.WRONG_PASSWORD);
        }
        accomplice.send(join("vault", "sesame"));
        accomplice.expectError(Error.Code.TOO_MANY_ATTEMPTS);
        owner.expectNothingMore("vault");
    }

    @Test
    void attemptsThatGetInAreGivenBack() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder().maxFailedAttempts(2).maxFailedAttemptsPerAddress(2));
        for (int i = 0; i < 6; i++) {
            TestClient c = fixture.client("friend-" + i);
            // Creating a room with a Join that carries a password, then joining rooms with the right one.
            c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("own-" + i).setPassword("x")
                    .setOptions(RoomOptions.newBuilder().setPassword("pw-" + i))));
            c.expect(BodyCase.JOINED);
            if (i > 0) {
                c.send(join("own-" + (i - 1), "pw-" + (i - 1)));
                c.await(ServerFrame::hasJoined);
            }
        }
    }

    @Test
    void failedAuthenticationsRunOutPerAddress() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder().maxFailedAttemptsPerAddress(3)
                .authenticator((name, token, remote) -> CompletableFuture.completedFuture("s3cret".equals(token))));
        for (int i = 0; i < 3; i++) {
            TestClient c = fixture.track(TestClient.connect(fixture.address));
            c.send(hello("guess-" + i));
            c.expectError(Error.Code.UNAUTHENTICATED);
            c.expectClosed();
        }
        TestClient late = fixture.track(TestClient.connect(fixture.address));
        late.send(hello("s3cret"));
        Error braked = late.expectError(Error.Code.TOO_MANY_ATTEMPTS);
        assertTrue(braked.getFatal(), "a refused handshake");
        late.expectClosed();
    }

    private static ClientFrame.Builder hello(String token) {
        return ClientFrame.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName("knocker").setAuthToken(token));
    }
}
