package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ListRooms;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.RoomSummary;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The rules as a client sees them: real sockets on 127.0.0.1, an ephemeral port. */
class ServerEndToEndTest {

    private HotPochatoServer server;
    private InetSocketAddress address;
    private final List<TestClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        // Resuming is off here: a lost connection is a member gone at once (ResumeTest covers the grace period).
        server = HotPochatoServer.start(ServerOptions.builder()
                .bindAddress("127.0.0.1").port(0).maxFrameBytes(4096).maxTextBytes(1024)
                .resumeGrace(Duration.ZERO).build());
        address = new InetSocketAddress("127.0.0.1", server.port());
    }

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        server.close();
    }

    private TestClient client(String name) throws InterruptedException {
        TestClient c = TestClient.hello(address, name);
        clients.add(c);
        return c;
    }

    /** Clients that have all joined {@code room}, in order, with everything up to the first turn read. */
    private List<TestClient> room(String room, RoomOptions options, String... names) throws InterruptedException {
        List<TestClient> members = new ArrayList<>();
        for (String name : names) {
            TestClient c = client(name);
            c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room).setOptions(options)));
            c.expect(BodyCase.JOINED);
            members.add(c);
        }
        for (TestClient c : members) {
            c.drain(room); // the joins of the later members and the first TurnGranted
        }
        return members;
    }

    @Test
    void threeClientsTakeTurnsInRoundRobinOrder() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob", "carol");
        for (int round = 0; round < 2; round++) {
            for (int speaker = 0; speaker < 3; speaker++) {
                TestClient holder = m.get(speaker);
                String text = holder.name() + " says " + round;
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

    @Test
    void sayOutOfTurnIsRefusedToTheSenderAloneAndChangesNothing() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob", "carol");
        long id = m.get(1).say("tea", "me first!");
        Error error = m.get(1).expectError(Error.Code.NOT_YOUR_TURN);
        assertTrue(error.getMessage().contains("alice"), error.getMessage());
        m.get(0).expectNothingMore("tea");
        m.get(2).expectNothingMore("tea");
        m.get(1).expectNothingMore("tea");
        assertTrue(m.get(1).isOpen(), "a refused Say is not fatal");
        m.get(0).say("tea", "my turn indeed");
        assertEquals("my turn indeed", m.get(2).expect(BodyCase.SAID).getSaid().getText());
        assertTrue(id > 0);
    }

    @Test
    void passHandsTheTurnOnWithoutText() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob");
        m.get(0).pass("tea");
        assertEquals("alice", m.get(1).expect(BodyCase.PASSED).getPassed().getName());
        assertEquals("bob", m.get(1).expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
    }

    @Test
    void turnHeldTooLongExpiresAndMovesOn() throws Exception {
        List<TestClient> m = room("quick", RoomOptions.newBuilder().setTurnTimeoutMs(200).build(), "alice", "bob");
        for (TestClient c : m) {
            assertEquals("alice", c.expect(BodyCase.TURN_EXPIRED).getTurnExpired().getName());
            assertEquals("bob", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        }
    }

    @Test
    void holderDisconnectingPassesTheTurnAtOnce() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob", "carol");
        m.get(0).close();
        for (TestClient c : m.subList(1, 3)) {
            ServerFrame left = c.expect(BodyCase.MEMBER_LEFT);
            assertEquals("alice", left.getMemberLeft().getName());
            assertEquals(MemberLeft.Reason.DISCONNECTED, left.getMemberLeft().getReason());
            // alice created the room and was its chair: the longest-present member succeeds her.
            assertEquals("bob", c.expect(BodyCase.CHAIR_CHANGED).getChairChanged().getName());
            assertEquals("bob", c.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        }
    }

    @Test
    void twoMatchClientsArePairedAndAlternate() throws Exception {
        TestClient a = client("ann");
        TestClient b = client("ben");
        long idA = a.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        // A second Match is refused by the lobby itself: proof that ann is waiting before ben asks.
        a.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        a.expectError(Error.Code.ALREADY_MATCHING);
        long idB = b.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        ServerFrame pa = a.expect(BodyCase.PAIRED);
        ServerFrame pb = b.expect(BodyCase.PAIRED);
        assertEquals(idA, pa.getRequestId());
        assertEquals(idB, pb.getRequestId());
        assertEquals("ben", pa.getPaired().getPartner());
        assertTrue(pa.getPaired().getFirst());
        String room = pa.getPaired().getRoom();
        a.expect(BodyCase.JOINED);
        a.expect(BodyCase.MEMBER_JOINED);
        b.expect(BodyCase.JOINED);
        assertEquals("ann", a.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());
        b.expect(BodyCase.TURN_GRANTED);
        a.say(room, "hi stranger");
        assertEquals("hi stranger", b.expect(BodyCase.SAID).getSaid().getText());
        assertEquals("ben", b.expect(BodyCase.TURN_GRANTED).getTurnGranted().getHolder());

        TestClient eve = client("eve");
        eve.say(room, "let me in");
        eve.expectError(Error.Code.UNKNOWN_ROOM);
        eve.join(room);
        eve.expectError(Error.Code.INVALID_ROOM_NAME);

        b.close();
        a.await(ServerFrame::hasMemberLeft);
        assertEquals(room, a.expect(BodyCase.ROOM_CLOSED).getRoomClosed().getRoom());
    }

    @Test
    void anythingBeforeHelloIsAProtocolViolation() throws Exception {
        TestClient c = TestClient.connect(address);
        clients.add(c);
        long id = c.join("tea");
        ServerFrame f = c.expect(BodyCase.ERROR);
        assertEquals(Error.Code.PROTOCOL_VIOLATION, f.getError().getCode());
        assertEquals(id, f.getRequestId());
        assertTrue(f.getError().getFatal());
        c.expectClosed();
    }

    @Test
    void secondHelloIsAProtocolViolation() throws Exception {
        TestClient c = client("alice");
        c.send(ClientFrame.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName("alice")));
        c.expectError(Error.Code.PROTOCOL_VIOLATION);
        c.expectClosed();
    }

    @Test
    void unknownProtocolVersionIsRefused() throws Exception {
        TestClient c = TestClient.connect(address);
        clients.add(c);
        c.send(ClientFrame.newBuilder().setHello(Hello.newBuilder().setProtocolVersionValue(2).setDisplayName("x")));
        c.expectError(Error.Code.UNSUPPORTED_VERSION);
        c.expectClosed();
    }

    @Test
    void invalidDisplayNameIsRefused() throws Exception {
        for (String bad : new String[] {"", " padded", "tab\there", "x".repeat(33), "bell\u0007"}) {
            TestClient c = TestClient.connect(address);
            clients.add(c);
            c.send(ClientFrame.newBuilder().setHello(Hello.newBuilder()
                    .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName(bad)));
            c.expectError(Error.Code.INVALID_NAME);
            c.expectClosed();
        }
    }

    @Test
    void emptyFrameIsAProtocolViolation() throws Exception {
        TestClient c = client("alice");
        c.sendRaw(new byte[] {0});
        c.expectError(Error.Code.PROTOCOL_VIOLATION);
        c.expectClosed();
    }

    @Test
    void unknownRoomIsATypedErrorAndNotFatal() throws Exception {
        TestClient c = client("alice");
        c.say("nowhere", "hello?");
        assertEquals("nowhere", c.expectError(Error.Code.UNKNOWN_ROOM).getRoom());
        c.pass("nowhere");
        c.expectError(Error.Code.UNKNOWN_ROOM);
        c.expectNothingMore();
    }

    @Test
    void turnTimeoutAboveTheServersCapIsRefusedAndCreatesNothing() throws Exception {
        TestClient c = client("alice");
        assertEquals(600_000, c.welcome().getLimits().getMaxTurnTimeoutMs(), "the default cap is announced");
        for (int asked : new int[] {600_001, 0}) { // more than the cap, and no limit at all
            long id = c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("slow")
                    .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(asked))));
            ServerFrame refused = c.expect(BodyCase.ERROR);
            assertEquals(Error.Code.INVALID_OPTION, refused.getError().getCode(), () -> asked + ": " + refused);
            assertFalse(refused.getError().getFatal());
            assertEquals(id, refused.getRequestId());
            assertEquals("slow", refused.getError().getRoom());
        }
        c.send(ClientFrame.newBuilder().setListRooms(ListRooms.getDefaultInstance()));
        assertEquals(0, c.expect(BodyCase.ROOM_LIST).getRoomList().getRoomsCount(), "no room was left behind");

        c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("slow")
                .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(600_000))));
        assertEquals(600_000, c.expect(BodyCase.JOINED).getJoined().getRoom().getOptions().getTurnTimeoutMs());
    }

    @Test
    void turnTimeoutAboveTheCapIsRefusedEvenWhenTheRoomExists() throws Exception {
        // Options only matter to the Join that creates a room, but the answer must not depend on who came first.
        room("tea", RoomOptions.getDefaultInstance(), "alice");
        TestClient bob = client("bob");
        bob.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("tea")
                .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(3_600_000))));
        bob.expectError(Error.Code.INVALID_OPTION);
        bob.join("tea");
        assertEquals(30_000, bob.expect(BodyCase.JOINED).getJoined().getRoom().getOptions().getTurnTimeoutMs());
    }

    @Test
    void withoutACapAnyTurnTimeoutIsAllowedIncludingNoLimit() throws Exception {
        try (ServerFixture uncapped = new ServerFixture(ServerOptions.builder().maxTurnTimeout(Duration.ZERO))) {
            TestClient c = uncapped.client("alice");
            assertEquals(0, c.welcome().getLimits().getMaxTurnTimeoutMs());
            for (String room : List.of("never", "days")) {
                int asked = room.equals("never") ? 0 : 3 * 24 * 3_600_000;
                c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room)
                        .setOptions(RoomOptions.newBuilder().setTurnTimeoutMs(asked))));
                assertEquals(asked, c.expect(BodyCase.JOINED).getJoined().getRoom().getOptions().getTurnTimeoutMs());
            }
        }
    }

    @Test
    void listRoomsShowsPublicRoomsWithCountsAndHolder() throws Exception {
        room("tea", RoomOptions.getDefaultInstance(), "alice", "bob");
        TestClient solo = client("solo");
        solo.join("quiet");
        solo.expect(BodyCase.JOINED);
        solo.send(ClientFrame.newBuilder().setListRooms(ListRooms.getDefaultInstance()));
        List<RoomSummary> rooms = solo.expect(BodyCase.ROOM_LIST).getRoomList().getRoomsList();
        assertEquals(List.of("quiet", "tea"), rooms.stream().map(RoomSummary::getName).toList());
        assertEquals(1, rooms.get(0).getMembers());
        assertEquals("", rooms.get(0).getHolder());
        assertEquals(2, rooms.get(1).getMembers());
        assertEquals("alice", rooms.get(1).getHolder());
    }

    @Test
    void oversizedFrameClosesOnlyTheSenderAndOthersLoseNothing() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob", "mallory");
        TestClient mallory = m.get(2);
        mallory.sendRaw(new byte[] {(byte) 0x80, (byte) 0x80, 0x04}); // declares 65536 bytes, limit is 4096
        assertEquals(Error.Code.FRAME_TOO_LARGE, mallory.expect(BodyCase.ERROR).getError().getCode());
        mallory.expectClosed();
        assertConversationCarriesOn(m.get(0), m.get(1), "mallory");
    }

    @Test
    void garbageBytesCloseOnlyTheSenderAndOthersLoseNothing() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob", "mallory");
        TestClient mallory = m.get(2);
        byte[] garbage = new byte[200];
        new java.util.Random(7).nextBytes(garbage);
        garbage[0] = 0x40; // a 64-byte frame of noise
        garbage[1] = (byte) 0xFF;
        mallory.sendRaw(garbage);
        assertEquals(Error.Code.PROTOCOL_VIOLATION, mallory.expect(BodyCase.ERROR).getError().getCode());
        mallory.expectClosed();
        assertConversationCarriesOn(m.get(0), m.get(1), "mallory");
    }

    /** The bad client is gone from the room and the others keep talking, in order, missing nothing. */
    private static void assertConversationCarriesOn(TestClient alice, TestClient bob, String gone) throws Exception {
        for (TestClient c : List.of(alice, bob)) {
            ServerFrame left = c.expect(BodyCase.MEMBER_LEFT);
            assertEquals(gone, left.getMemberLeft().getName());
        }
        for (int i = 0; i < 3; i++) {
            TestClient speaker = i % 2 == 0 ? alice : bob;
            speaker.say("tea", "line " + i);
            for (TestClient c : List.of(alice, bob)) {
                assertEquals("line " + i, c.expect(BodyCase.SAID).getSaid().getText());
                c.expect(BodyCase.TURN_GRANTED);
            }
        }
    }

    @Test
    void textOverTheLimitIsRefusedAndTheTurnStays() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob");
        m.get(0).say("tea", "x".repeat(1025));
        m.get(0).expectError(Error.Code.TEXT_TOO_LONG);
        m.get(0).say("tea", "");
        m.get(0).expectError(Error.Code.EMPTY_TEXT);
        m.get(1).expectNothingMore("tea");
        m.get(0).say("tea", "x".repeat(1024));
        assertEquals(1024, m.get(1).expect(BodyCase.SAID).getSaid().getText().length());
    }

    @Test
    void shutdownTellsEveryClientAndClosesConnections() throws Exception {
        List<TestClient> m = room("tea", RoomOptions.getDefaultInstance(), "alice", "bob");
        long started = System.nanoTime();
        server.close();
        for (TestClient c : m) {
            assertEquals("tea", c.expect(BodyCase.ROOM_CLOSED).getRoomClosed().getRoom());
            assertEquals(Error.Code.SERVER_SHUTTING_DOWN, c.expect(BodyCase.ERROR).getError().getCode());
            c.expectClosed();
        }
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0);
    }
}
