package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.Say;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.net.NetFixture.Conn;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What is checked before a room is involved, and the allowance of password attempts, with the loop's ticker. */
class TurnSchedulerTest {

    private NetFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private Conn member(String ip, String name) {
        Conn c = f.connect(ip);
        c.send(NetFixture.hello(1, name));
        c.expect(BodyCase.WELCOME);
        return c;
    }

    private static ClientFrame join(long id, String room, String password) {
        return ClientFrame.newBuilder().setRequestId(id).setJoin(Join.newBuilder().setRoom(room).setPassword(password))
                .build();
    }

    private static ClientFrame say(long id, String room, String text) {
        return ClientFrame.newBuilder().setRequestId(id).setSay(Say.newBuilder().setRoom(room).setText(text)).build();
    }

    private static void skipUntil(Conn c, BodyCase kind) {
        for (ServerFrame frame = c.next(); frame != null && frame.getBodyCase() != kind; frame = c.next()) {
            // events before the one wanted
        }
    }

    private static Error nextError(Conn c) {
        for (ServerFrame frame = c.next(); frame != null; frame = c.next()) {
            if (frame.hasError()) {
                return frame.getError();
            }
        }
        throw new AssertionError("no error");
    }

    @Test
    void controlCharactersAreRefusedBeforeTheRoomAndTheTurnStays() {
        f = new NetFixture(ServerOptions.builder());
        Conn alice = member("10.0.0.1", "alice");
        Conn bob = member("10.0.0.2", "bob");
        alice.send(join(2, "tea", ""));
        bob.send(join(2, "tea", ""));
        skipUntil(alice, BodyCase.TURN_GRANTED);
        skipUntil(bob, BodyCase.TURN_GRANTED);

        alice.send(say(3, "tea", "\u001b[2J"));
        ServerFrame refused = alice.expect(BodyCase.ERROR);
        assertEquals(3, refused.getRequestId());
        assertEquals(Error.Code.INVALID_TEXT, refused.getError().getCode());
        assertEquals("text may not contain control character U+001B (only newline and tab)",
                refused.getError().getMessage());
        assertFalse(refused.getError().getFatal());
        bob.expectNothing();
        alice.send(say(4, "tea", "fine\n\tthanks"));
        assertEquals(4, alice.expect(BodyCase.SAID).getRequestId());
    }

    @Test
    void anUnknownRoomIsQuotedAsAnExcerpt() {
        f = new NetFixture(ServerOptions.builder());
        Conn c = member("10.0.0.1", "carl");
        c.send(say(2, "r".repeat(1000), "hi"));
        Error e = c.expectError(Error.Code.UNKNOWN_ROOM);
        assertEquals("r".repeat(64) + "…", e.getRoom());
        assertEquals("no room named " + "r".repeat(64) + "…", e.getMessage());
    }

    @Test
    void wrongPasswordsUseUpTheAllowanceWhichComesBackWithTime() {
        f = new NetFixture(ServerOptions.builder().maxFailedAttempts(2).maxFailedAttemptsPerAddress(100));
        Conn owner = member("10.0.0.1", "owner");
        owner.send(ClientFrame.newBuilder().setRequestId(2).setJoin(Join.newBuilder().setRoom("vault")
                .setOptions(RoomOptions.newBuilder().setPassword("sesame"))).build());
        owner.expect(BodyCase.JOINED);

        Conn guesser = member("10.0.0.2", "guesser");
        guesser.send(join(3, "vault", "a"));
        guesser.expectError(Error.Code.WRONG_PASSWORD);
        guesser.send(join(4, "vault", "b"));
        guesser.expectError(Error.Code.WRONG_PASSWORD);
        guesser.send(join(5, "vault", "sesame"));
        guesser.expectError(Error.Code.TOO_MANY_ATTEMPTS);

        guesser.advanceTimeBy(30, TimeUnit.SECONDS); // one attempt back (two a minute)
        guesser.send(join(6, "vault", "c"));
        guesser.expectError(Error.Code.WRONG_PASSWORD);
        guesser.send(join(7, "vault", "sesame"));
        guesser.expectError(Error.Code.TOO_MANY_ATTEMPTS);

        guesser.advanceTimeBy(30, TimeUnit.SECONDS);
        guesser.send(join(8, "vault", "sesame"));
        assertTrue(guesser.next().hasJoined());
    }

    @Test
    void aPasswordThatLetsTheSessionInIsNotAFailure() {
        f = new NetFixture(ServerOptions.builder().maxFailedAttempts(1).maxFailedAttemptsPerAddress(1));
        Conn owner = member("10.0.0.1", "owner");
        for (int i = 0; i < 4; i++) {
            String room = "room-" + i;
            owner.send(ClientFrame.newBuilder().setRequestId(2).setJoin(Join.newBuilder().setRoom(room)
                    .setOptions(RoomOptions.newBuilder().setPassword("pw"))).build());
            owner.expect(BodyCase.JOINED);
        }
        Conn friend = member("10.0.0.2", "friend");
        for (int i = 0; i < 3; i++) {
            friend.send(join(3 + i, "room-" + i, "pw"));
            skipUntil(friend, BodyCase.JOINED);
        }
        friend.send(join(9, "room-3", "typo"));
        assertEquals(Error.Code.WRONG_PASSWORD, nextError(friend).getCode(), "the one attempt is still there");
        friend.send(join(10, "room-3", "pw"));
        assertEquals(Error.Code.TOO_MANY_ATTEMPTS, nextError(friend).getCode());
    }
}
