package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Invite;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a client sends that reaches other people is text and nothing else: no terminal control
 * sequences, no names that look blank. Unsigned numbers are read as unsigned.
 */
class InputRulesTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void sayWithControlCharactersIsRefusedAndTheTurnStays() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        List<TestClient> m = fixture.room("tea", "alice", "bob");
        TestClient alice = m.get(0);
        TestClient bob = m.get(1);
        // Window title, clear screen, a fake line; then C1 CSI, DEL and a lone carriage return.
        for (String hostile : List.of("\u001b]2;pwned\u0007\u001b[2J* server says: hi", "\u009b2J", "rub\u007fout",
                "over\rwrite", "nul\u0000")) {
            alice.say("tea", hostile);
            Error refused = alice.expectError(Error.Code.INVALID_TEXT);
            assertFalse(refused.getFatal());
            assertEquals("tea", refused.getRoom());
        }
        bob.expectNothingMore("tea");
        alice.say("tea", "line one\n\tindented");
        assertEquals("line one\n\tindented", bob.expect(BodyCase.SAID).getSaid().getText(),
                "newline and tab are text; the turn was still alice's");
    }

    @Test
    void namesThatLookBlankAreRefused() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        for (String blank : List.of("\u3164", "\u2800", "\u115F\u1160", "\uFFA0", "\u0301\u0302", "a\u200B",
                "\u3164\u3164\u3164", "\u2800 \u2800")) {
            TestClient c = fixture.track(TestClient.connect(fixture.address));
            ServerFrame reply = c.sendHelloAndRead(blank);
            if (blank.equals("a\u200B")) {
                assertEquals(Error.Code.INVALID_NAME, reply.getError().getCode(), "a format character");
                continue;
            }
            assertTrue(reply.hasError(), () -> "accepted " + escape(blank));
            assertEquals(Error.Code.INVALID_NAME, reply.getError().getCode());
            assertTrue(reply.getError().getFatal());
            c.expectClosed();
        }
        TestClient owner = fixture.client("owner");
        owner.join("club");
        owner.expect(BodyCase.JOINED);
        owner.send(ClientFrame.newBuilder().setInvite(Invite.newBuilder().setRoom("club").setDisplayName("\u3164")));
        assertFalse(owner.expectError(Error.Code.INVALID_NAME).getFatal());
        owner.join("\u2800");
        owner.expectError(Error.Code.INVALID_ROOM_NAME);
        // Visible characters with marks on them are names like any other.
        assertTrue(TestClient.connect(fixture.address).sendHelloAndRead("e\u0301\u3164x").hasWelcome());
    }

    @Test
    void maxMembersIsUnsigned() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder().maxMembersPerRoom(3));
        for (int asked : new int[] {Integer.MIN_VALUE, -1}) { // 2^31 and 2^32 - 1 on the wire
            TestClient c = fixture.client("creator" + asked);
            String room = "big" + asked;
            c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room)
                    .setOptions(RoomOptions.newBuilder().setMaxMembers(asked))));
            assertEquals(3, c.expect(BodyCase.JOINED).getJoined().getRoom().getOptions().getMaxMembers(),
                    "more than the server's maximum is the maximum, not a room of 2");
        }
    }

    @Test
    void turnTimeoutIsUnsigned() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        TestClient c = fixture.client("asker");
        c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("long")
                .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(Integer.MIN_VALUE))));
        assertEquals("turn_timeout_ms 2147483648 is above this server's limit of 600000",
                c.expectError(Error.Code.INVALID_OPTION).getMessage());
        fixture.close();
        fixture = new ServerFixture(ServerOptions.builder().maxTurnTimeout(Duration.ZERO));
        TestClient d = fixture.client("asker");
        d.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("long")
                .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(-1))));
        assertEquals(Integer.MAX_VALUE, d.expect(BodyCase.JOINED).getJoined().getRoom().getOptions().getTurnTimeoutMs(),
                "2^32 - 1 ms is capped at 2^31 - 1, not read as -1");
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(cp -> b.append(String.format("U+%04X ", cp)));
        return b.toString().trim();
    }
}
