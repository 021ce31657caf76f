package dev.hotpochato.server.web;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.testing.TestClient;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conversation rules over WebSocket, both subprotocols, through real sockets: the same
 * scenarios as the TCP end-to-end tests, WebSocket and TCP members in one room, and the refusals a
 * WebSocket client gets (a typed Error, then a close frame with status 4000 + the error's code).
 */
class WebSocketEndToEndTest {

    private WebFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private WebFixture start(ServerOptions.Builder options) throws InterruptedException {
        f = new WebFixture(options.maxFrameBytes(4096).maxTextBytes(1024));
        return f;
    }

    private WebFixture start() throws InterruptedException {
        return start(ServerOptions.builder().resumeGrace(Duration.ZERO));
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void threeClientsTakeTurnsInRoundRobinOrder(Wire wire) throws Exception {
        List<TestClient> m = start().room("tea", new Wire[] {wire}, "alice", "bob", "carol");
        for (int round = 0; round < 2; round++) {
            for (int speaker = 0; speaker < 3; speaker++) {
                TestClient holder = m.get(speaker);
                String text = holder.name() + " says " + round + " <b>&amp; é 🥔";
                long id = holder.say("tea", text);
                String next = m.get((speaker + 1) % 3).name();
                for (TestClient c : m) {
                    ServerFrame said = c.expect(BodyCase.SAID);
                    assertEquals(text, said.getSaid().getText());
                    assertEquals(holder.name(), said.getSaid().getSpeaker());
                    assertEquals(c == holder ? id : 0, said.getRequestId());
                    assertEquals(next, c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void sayOutOfTurnIsRefusedToTheSenderAloneAndChangesNothing(Wire wire) throws Exception {
        List<TestClient> m = start().room("tea", new Wire[] {wire}, "alice", "bob", "carol");
        long id = m.get(1).say("tea", "me first!");
        ServerFrame refused = m.get(1).expect(BodyCase.ERROR);
        assertEquals(Error.Code.NOT_YOUR_TURN, refused.getError().getCode());
        assertEquals(id, refused.getRequestId());
        assertFalse(refused.getError().getFatal());
        m.get(0).expectNothingMore("tea");
        m.get(2).expectNothingMore("tea");
        m.get(1).expectNothingMore("tea");
        m.get(0).say("tea", "my turn indeed");
        assertEquals("my turn indeed", m.get(2).expect(BodyCase.SAID).getSaid().getText());
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void passHandsTheTurnOnWithoutText(Wire wire) throws Exception {
        List<TestClient> m = start().room("tea", new Wire[] {wire}, "alice", "bob");
        m.get(0).pass("tea");
        assertEquals("alice", m.get(1).expect(BodyCase.PASSED).getPassed().getName());
        assertEquals("bob", m.get(1).expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void turnHeldTooLongExpiresAndMovesOn(Wire wire) throws Exception {
        WebFixture f = start();
        List<TestClient> m = new ArrayList<>();
        for (String name : List.of("alice", "bob")) {
            TestClient c = f.client(wire, name);
            c.send(ClientFrame.newBuilder().setJoin(dev.hotpochato.protocol.v1.Join.newBuilder().setRoom("quick")
                    .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(200))));
            c.expect(BodyCase.JOINED);
            m.add(c);
        }
        m.get(0).expect(BodyCase.MEMBER_JOINED);
        for (TestClient c : m) {
            c.expect(BodyCase.TURN_GRANTED);
            assertEquals("alice", c.expect(BodyCase.TURN_EXPIRED).getTurnExpired().getName());
            assertEquals("bob", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void twoMatchClientsArePairedAndAlternate(Wire wire) throws Exception {
        WebFixture f = start();
        TestClient a = f.client(wire, "ann");
        TestClient b = f.client(Wire.TCP, "ben");
        long idA = a.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        a.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        a.expectError(Error.Code.ALREADY_MATCHING); // ann is waiting before ben asks
        b.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        ServerFrame pa = a.expect(BodyCase.PAIRED);
        assertEquals(idA, pa.getRequestId());
        assertEquals("ben", pa.getPaired().getPartner());
        String room = pa.getPaired().getRoom();
        b.expect(BodyCase.PAIRED);
        a.expect(BodyCase.JOINED);
        a.expect(BodyCase.MEMBER_JOINED);
        b.expect(BodyCase.JOINED);
        assertEquals("ann", a.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        b.expect(BodyCase.TURN_GRANTED);
        a.say(room, "hi stranger");
        assertEquals("hi stranger", b.expect(BodyCase.SAID).getSaid().getText());
        assertEquals("ben", b.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        b.say(room, "hello from a terminal");
        assertEquals("hello from a terminal",
                a.await(frame -> frame.hasSaid() && frame.getSaid().getSpeaker().equals("ben")).getSaid().getText());
    }

    @Test
    void tcpAndWebSocketMembersOfOneRoomSeeTheSameEventsInTheSameOrder() throws Exception {
        WebFixture f = start();
        List<TestClient> m = f.room("mixed", Wire.values(), "tcp", "proto", "json");
        List<List<ServerFrame>> seen = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int turn = 0; turn < 6; turn++) {
            TestClient holder = m.get(turn % 3);
            if (turn == 4) {
                holder.pass("mixed");
            } else {
                holder.say("mixed", "line " + turn + " from " + holder.name());
            }
            for (int i = 0; i < 3; i++) { // the Said or Passed, then the TurnGranted
                for (int k = 0; k < 2; k++) {
                    seen.get(i).add(m.get(i).next().toBuilder().setRequestId(0).build()); // only the speaker's copy has one
                }
            }
        }
        assertEquals(12, seen.get(0).size(), () -> "six turns, each a Said or Passed and a TurnGranted: " + seen.get(0));
        assertEquals(seen.get(0), seen.get(1), "a binary WebSocket member sees what a TCP member sees");
        assertEquals(seen.get(0), seen.get(2), "a JSON WebSocket member sees what a TCP member sees");
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void lostWebSocketIsAwayThenResumesWithEveryMissedEventOnce(Wire wire) throws Exception {
        WebFixture f = start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(30)));
        List<TestClient> m = f.room("tea", new Wire[] {Wire.TCP, wire}, "alice", "bob");
        TestClient alice = m.get(0);
        TestClient bob = m.get(1);
        long bobSaw = bob.lastSeq("tea");
        bob.close();
        assertEquals("bob", alice.expect(BodyCase.MEMBER_AWAY).getMemberAway().getName());
        alice.say("tea", "are you there?");
        alice.expect(BodyCase.SAID);
        assertEquals("bob", alice.expect(BodyCase.TURN_SKIPPED).getTurnSkipped().getName());
        alice.expect(BodyCase.TURN_GRANTED);

        TestClient back = f.track(TestClient.webSocketResume(f.web, wire.subprotocol.id(), bob, Map.of("tea", bobSaw)));
        assertTrue(back.welcome().getResumed());
        List<BodyCase> replay = new ArrayList<>();
        long seq = bobSaw;
        ServerFrame frame;
        while ((frame = back.next()).getBodyCase() != BodyCase.MEMBER_BACK) {
            replay.add(frame.getBodyCase());
            if (frame.getBodyCase() != BodyCase.TURN_TIME_LEFT) { // not sequenced (protocol.md §15)
                ServerFrame got = frame;
                assertEquals(++seq, RoomEvents.seq(got), () -> "no gap, no duplicate: " + replay + " then " + got);
            }
        }
        assertEquals(List.of(BodyCase.MEMBER_AWAY, BodyCase.SAID, BodyCase.TURN_SKIPPED, BodyCase.TURN_GRANTED,
                BodyCase.TURN_TIME_LEFT), replay, "the missed events, then how long alice's running turn has left");
        alice.expect(BodyCase.MEMBER_BACK);
        alice.say("tea", "welcome back");
        assertEquals("welcome back", back.expect(BodyCase.SAID).getSaid().getText());
        assertEquals("bob", back.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void aSessionStartedOverTcpResumesOverAWebSocket(Wire wire) throws Exception {
        WebFixture f = start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(30)));
        List<TestClient> m = f.room("tea", new Wire[] {Wire.TCP}, "alice", "bob");
        TestClient bob = m.get(1);
        long bobSaw = bob.lastSeq("tea");
        bob.close();
        m.get(0).expect(BodyCase.MEMBER_AWAY);
        TestClient back = f.track(TestClient.webSocketResume(f.web, wire.subprotocol.id(), bob, Map.of("tea", bobSaw)));
        assertEquals("bob", back.welcome().getDisplayName());
        back.await(ServerFrame::hasMemberBack);
        m.get(0).expect(BodyCase.MEMBER_BACK);
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void aCloseFrameFromTheClientIsEchoedAndItsMemberGoesAway(Wire wire) throws Exception {
        WebFixture f = start(ServerOptions.builder().resumeGrace(Duration.ofSeconds(30)));
        List<TestClient> m = f.room("tea", new Wire[] {Wire.TCP, wire}, "alice", "bob");
        TestClient bob = m.get(1);
        bob.channel().writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE)).sync();
        bob.expectClosed();
        assertEquals(WebSocketCloseStatus.NORMAL_CLOSURE.code(), bob.closeStatus().code(), "the status is echoed");
        assertEquals("bob", m.get(0).expect(BodyCase.MEMBER_AWAY).getMemberAway().getName(),
                "a close is a lost connection: the session may resume");
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void anythingBeforeHelloIsAProtocolViolationThenClose4001(Wire wire) throws Exception {
        TestClient c = start().connect(wire);
        long id = c.join("tea");
        ServerFrame refused = c.expect(BodyCase.ERROR);
        assertEquals(Error.Code.PROTOCOL_VIOLATION, refused.getError().getCode());
        assertEquals(id, refused.getRequestId());
        assertTrue(refused.getError().getFatal());
        c.expectClosed();
        assertClosedWith(c, Error.Code.PROTOCOL_VIOLATION);
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void messageOverTheFrameLimitIsFrameTooLargeThenClose4008AndOthersLoseNothing(Wire wire) throws Exception {
        WebFixture f = start();
        List<TestClient> m = f.room("tea", new Wire[] {Wire.TCP, Wire.TCP, wire}, "alice", "bob", "mallory");
        TestClient mallory = m.get(2);
        byte[] big = new byte[4097]; // one over the limit: refused from the WebSocket frame's header
        mallory.channel().writeAndFlush(wire == Wire.WS_JSON
                ? new TextWebSocketFrame("x".repeat(big.length)) : new BinaryWebSocketFrame(Unpooled.wrappedBuffer(big)));
        assertEquals(Error.Code.FRAME_TOO_LARGE, mallory.await(ServerFrame::hasError).getError().getCode());
        mallory.expectClosed();
        assertClosedWith(mallory, Error.Code.FRAME_TOO_LARGE);
        for (TestClient c : m.subList(0, 2)) {
            assertEquals(MemberLeft.Reason.KICKED, c.expect(BodyCase.MEMBER_LEFT).getMemberLeft().getReason());
        }
        m.get(0).say("tea", "carry on");
        assertEquals("carry on", m.get(1).expect(BodyCase.SAID).getSaid().getText());
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void aMessageInFragmentsIsOneFrameUpToTheLimitAndRefusedBeyondIt(Wire wire) throws Exception {
        WebFixture f = start();
        TestClient c = f.client(wire, "frag");
        ClientFrame ping = ClientFrame.newBuilder().setRequestId(77).setPing(Ping.newBuilder().setNonce(5)).build();
        byte[] whole = wire == Wire.WS_JSON
                ? com.google.protobuf.util.JsonFormat.printer().print(ping).getBytes(StandardCharsets.UTF_8)
                : ping.toByteArray();
        int half = whole.length / 2;
        c.channel().write(wire == Wire.WS_JSON
                ? new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer(whole, 0, half))
                : new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(whole, 0, half)));
        c.channel().writeAndFlush(new ContinuationWebSocketFrame(true, 0,
                Unpooled.wrappedBuffer(whole, half, whole.length - half))).sync();
        ServerFrame pong = c.expect(BodyCase.PONG);
        assertEquals(77, pong.getRequestId());
        assertEquals(5, pong.getPong().getNonce());

        // Two fragments, each under the limit, 4097 bytes together.
        c.channel().write(wire == Wire.WS_JSON
                ? new TextWebSocketFrame(false, 0, Unpooled.wrappedBuffer("y".repeat(3000).getBytes(StandardCharsets.UTF_8)))
                : new BinaryWebSocketFrame(false, 0, Unpooled.wrappedBuffer(new byte[3000])));
        c.channel().writeAndFlush(new ContinuationWebSocketFrame(true, 0, Unpooled.wrappedBuffer(new byte[1097])));
        assertEquals(Error.Code.FRAME_TOO_LARGE, c.expect(BodyCase.ERROR).getError().getCode());
        c.expectClosed();
        assertClosedWith(c, Error.Code.FRAME_TOO_LARGE);
    }

    @Test
    void garbageJsonIsAProtocolViolationThenClose4001() throws Exception {
        WebFixture f = start();
        String deep = "[".repeat(4000);
        for (String garbage : List.of("not json at all", "{", "[]", "null", "{\"requestId\": -1, \"ping\": {}}",
                "{\"ping\": {\"nonce\": \"many\"}}", deep, "{\"ping\": {\"nonce\": {}}}")) {
            TestClient c = f.client(Wire.WS_JSON, "j" + Math.abs(garbage.hashCode() % 1000));
            c.sendText(garbage);
            ServerFrame refused = c.expect(BodyCase.ERROR);
            assertEquals(Error.Code.PROTOCOL_VIOLATION, refused.getError().getCode(), garbage);
            assertTrue(refused.getError().getMessage().startsWith("malformed frame: not a ClientFrame in JSON"),
                    refused.getError().getMessage());
            assertTrue(refused.getError().getMessage().length() < 300, "a bounded excerpt, not an echo");
            c.expectClosed();
            assertClosedWith(c, Error.Code.PROTOCOL_VIOLATION);
        }
    }

    @Test
    void jsonWithUnknownFieldsIsReadLikeBinaryWithUnknownFields() throws Exception {
        TestClient c = start().client(Wire.WS_JSON, "lenient");
        c.sendText("{\"requestId\": \"9\", \"ping\": {\"nonce\": \"3\", \"fromTheFuture\": true}, \"extra\": [1, 2]}");
        ServerFrame pong = c.expect(BodyCase.PONG);
        assertEquals(9, pong.getRequestId());
        assertEquals(3, pong.getPong().getNonce());
        c.sendText("{\"requestId\": \"10\", \"someNewRequest\": {}}"); // no body this server knows
        assertEquals(Error.Code.PROTOCOL_VIOLATION, c.expect(BodyCase.ERROR).getError().getCode());
    }

    @Test
    void aTextMessageOnTheBinarySubprotocolAndABinaryOneOnJsonAreProtocolViolations() throws Exception {
        WebFixture f = start();
        TestClient proto = f.client(Wire.WS_PROTO, "p");
        proto.sendText("{\"ping\": {}}");
        assertTrue(proto.expectError(Error.Code.PROTOCOL_VIOLATION).getMessage().contains("text message"));
        assertClosedWith(awaitClosed(proto), Error.Code.PROTOCOL_VIOLATION);

        TestClient json = f.client(Wire.WS_JSON, "j");
        json.channel().writeAndFlush(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(
                ClientFrame.newBuilder().setPing(Ping.getDefaultInstance()).build().toByteArray())));
        assertTrue(json.expectError(Error.Code.PROTOCOL_VIOLATION).getMessage().contains("binary message"));
        assertClosedWith(awaitClosed(json), Error.Code.PROTOCOL_VIOLATION);
    }

    @Test
    void malformedProtobufIsAProtocolViolationAsOverTcp() throws Exception {
        TestClient c = start().client(Wire.WS_PROTO, "p");
        c.sendRaw(new byte[] {0x52, 0x7F, 0x01}); // ping, declared 127 bytes long, 1 there
        assertTrue(c.expectError(Error.Code.PROTOCOL_VIOLATION).getMessage().startsWith("malformed frame: "));
        assertClosedWith(awaitClosed(c), Error.Code.PROTOCOL_VIOLATION);
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void floodingIsRateLimitedThenClose4022(Wire wire) throws Exception {
        TestClient c = start(ServerOptions.builder().maxFramesPerSecond(10).frameBurst(20)).client(wire, "flood");
        for (int i = 0; i < 40; i++) {
            c.sendAndForget(ClientFrame.newBuilder().setPing(Ping.getDefaultInstance()));
        }
        assertEquals(Error.Code.RATE_LIMITED, c.await(ServerFrame::hasError).getError().getCode());
        assertClosedWith(awaitClosed(c), Error.Code.RATE_LIMITED);
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void shutdownSaysGoodbyeThenClose4011(Wire wire) throws Exception {
        List<TestClient> m = start().room("tea", new Wire[] {wire}, "alice", "bob");
        f.server.close();
        for (TestClient c : m) {
            assertEquals("tea", c.expect(BodyCase.ROOM_CLOSED).getRoomClosed().getRoom());
            assertEquals(Error.Code.SERVER_SHUTTING_DOWN, c.expect(BodyCase.ERROR).getError().getCode());
            c.expectClosed();
            assertClosedWith(c, Error.Code.SERVER_SHUTTING_DOWN);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Wire.class, names = {"WS_PROTO", "WS_JSON"})
    void aSilentWebSocketClientThatAnswersPingsStaysConnected(Wire wire) throws Exception {
        // Idle timeout 3 s, so a heartbeat of 1 s: the server pings, Netty's client pongs.
        WebFixture f = start(ServerOptions.builder().idleTimeout(Duration.ofSeconds(3)));
        TestClient quiet = f.client(wire, "quiet");
        TestClient tcp = f.client(Wire.TCP, "tcp");
        tcp.expectError(Error.Code.IDLE_TIMEOUT); // a silent TCP client is closed after 3 s...
        assertTrue(quiet.isOpen(), "...while the pongs of a silent WebSocket client keep it alive");
        quiet.expectNothingMore();
    }

    @Test
    void aWebSocketClientThatAnswersNothingIsClosedForIdlenessWith4024() throws Exception {
        WebFixture f = start(ServerOptions.builder().idleTimeout(Duration.ofMillis(600)));
        try (RawWebSocket raw = new RawWebSocket(f.web)) {
            RawWebSocket.Response upgraded = raw.exchange(RawWebSocket.upgradeRequest(f.web)
                    + "Sec-WebSocket-Protocol: hotpochato.v1.json\r\n\r\n");
            assertEquals(101, upgraded.status());
            assertEquals("hotpochato.v1.json", upgraded.header("Sec-WebSocket-Protocol"));
            raw.sendText("{\"hello\": {\"protocolVersion\": \"PROTOCOL_VERSION_1\", \"displayName\": \"deaf\"}}");
            assertTrue(raw.read().text().contains("\"welcome\""));
            int pings = 0;
            RawWebSocket.Message next;
            while ((next = raw.read()).opcode() == 9) {
                pings++; // one per heartbeat interval of silence, never answered
            }
            assertTrue(pings >= 1, "pinged before being closed");
            assertTrue(next.text().contains("IDLE_TIMEOUT"), next.text());
            RawWebSocket.Message close = raw.readUntilClose();
            assertEquals(4024, close.closeStatus());
            assertEquals("IDLE_TIMEOUT", close.closeReason());
        }
    }

    @Test
    void aWebSocketPingIsAnsweredWithAPongEchoingIt() throws Exception {
        WebFixture f = start();
        try (RawWebSocket raw = new RawWebSocket(f.web)) {
            assertEquals(101, raw.exchange(RawWebSocket.upgradeRequest(f.web)
                    + "Sec-WebSocket-Protocol: hotpochato.v1.proto\r\n\r\n").status());
            raw.sendFrame(true, 9, "one".getBytes(StandardCharsets.UTF_8));
            RawWebSocket.Message pong = raw.read();
            assertEquals(10, pong.opcode());
            assertEquals("one", pong.text(), "a pong echoes its ping");
        }
    }

    @Test
    void webSocketConnectionsAreCountedUnderTheirOwnTransportFromTheirUpgradeOn() throws Exception {
        WebFixture f = start();
        try (RawWebSocket page = new RawWebSocket(f.web)) {
            assertEquals(200, page.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").status());
            assertEquals(0.0, open(f, "websocket"), "a page's HTTP connection is not a WebSocket");
        }
        TestClient c = f.client(Wire.WS_JSON, "counted");
        assertEquals(1.0, open(f, "websocket"));
        assertEquals(0.0, open(f, "tcp"));
        c.close();
        long deadline = System.nanoTime() + TestClient.TIMEOUT.toNanos();
        while (open(f, "websocket") != 0.0 && System.nanoTime() < deadline) {
            Thread.sleep(5); // the count drops when the server has seen the close
        }
        assertEquals(0.0, open(f, "websocket"));
        assertEquals(1.0, f.server.meterRegistry().get("hotpochato.connections.accepted")
                .tag("transport", "websocket").counter().count());
    }

    private static double open(WebFixture f, String transport) {
        return f.server.meterRegistry().get("hotpochato.connections.open").tag("transport", transport).gauge().value();
    }

    private static TestClient awaitClosed(TestClient c) throws InterruptedException {
        c.expectClosed();
        return c;
    }

    /** The server's close frame carried 4000 + the error's code and the code's name. */
    private static void assertClosedWith(TestClient c, Error.Code code) {
        WebSocketCloseStatus status = c.closeStatus();
        assertNotNull(status, () -> c + ": no close frame from the server");
        assertEquals(4000 + code.getNumber(), status.code());
        assertEquals(code.name(), status.reasonText());
    }
}
