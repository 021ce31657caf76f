package dev.hotpochato.terminal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.FloorState;
import dev.hotpochato.client.FloorUpdate;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.TurnPolicy;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The terminal's floor commands against a real server: what /create, /hand, /grant ... ask for and show. */
class FloorCommandsTest {

    private static HotPochatoServer server;
    private final List<Session> sessions = new ArrayList<>();

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void close() {
        sessions.forEach(Session::close);
    }

    private Session connect(String name) throws Exception {
        Session s = HotPochatoClient.connect(ClientOptions.builder(name).host("127.0.0.1").port(server.port())
                .handshakeTimeout(Duration.ofSeconds(30)).build()).get(30, TimeUnit.SECONDS);
        sessions.add(s);
        return s;
    }

    private static Object run(String line, RoomHandle room, Session session) throws Exception {
        FloorCommands.Outcome o = FloorCommands.run(ChatCommand.parse(line), room, session);
        assertNull(o.error(), () -> line + ": " + o.error());
        return o.info() != null ? o.info() : o.request().get(30, TimeUnit.SECONDS);
    }

    /** Waits until {@code room}'s view agrees, the library updating it from the server's events. */
    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "not within 30 s");
            Thread.sleep(10); // polling a view; the deadline is generous, nothing depends on the interval
        }
    }

    @Test
    void aUserCreatesAQueueRoomRaisesAHandAndSeesTheQueue() throws Exception {
        Session alice = connect("alice");
        RoomHandle room = (RoomHandle) run("/create hands queue", null, alice);
        assertEquals(TurnPolicy.QUEUE, room.policy());
        Session bob = connect("bob");
        Session carol = connect("carol");
        RoomHandle bobRoom = bob.join("hands").get(30, TimeUnit.SECONDS);
        RoomHandle carolRoom = carol.join("hands").get(30, TimeUnit.SECONDS);
        run("/hand", bobRoom, bob);
        run("/hand", carolRoom, carol);
        eventually(() -> room.queue().equals(List.of("carol")) && room.holder().equals(java.util.Optional.of("bob")));
        assertEquals("hands (queue): hands up: 1. carol; chairs: alice", run("/hands", room, alice));
        assertEquals(" | hands: carol | you chair", FloorCommands.status(room));
        eventually(() -> carolRoom.queue().equals(List.of("carol")));
        assertEquals(" | hands: carol (you are #1)", FloorCommands.status(carolRoom));
        run("/withdraw", carolRoom, carol);
        eventually(() -> room.queue().isEmpty());
        assertEquals(" | no hands up | you chair", FloorCommands.status(room));
    }

    @Test
    void aChairGrantsRevokesMutesAndRemovesFromTheTerminal() throws Exception {
        Session chair = connect("chair");
        RoomHandle room = (RoomHandle) run("/create panel moderated 10", null, chair);
        assertEquals(TurnPolicy.MODERATED, room.policy());
        Session bob = connect("bob");
        RoomHandle bobRoom = bob.join("panel").get(30, TimeUnit.SECONDS);
        run("/hand", bobRoom, bob);
        eventually(() -> room.queue().equals(List.of("bob")));
        run("/grant 20", room, chair);
        eventually(() -> room.holder().equals(java.util.Optional.of("bob")));
        assertTrue(room.timeLeft().orElseThrow().compareTo(Duration.ofSeconds(20)) <= 0, "a 20 s grant");
        run("/revoke enough", room, chair);
        eventually(() -> room.holder().isEmpty());
        run("/grant bob", room, chair);
        eventually(() -> room.holder().equals(java.util.Optional.of("bob")));
        run("/mute bob", room, chair);
        eventually(() -> room.muted().contains("bob") && room.holder().isEmpty());
        run("/chair bob", room, chair);
        eventually(() -> room.chairs().equals(List.of("chair", "bob")));
        run("/remove bob bye now", room, chair);
        eventually(() -> !bobRoom.isOpen() && room.members().equals(List.of("chair")));
        FloorCommands.Outcome usage = FloorCommands.run(ChatCommand.parse("/deny"), room, chair);
        assertEquals("usage: /deny NAME [REASON]", usage.error());
        FloorCommands.Outcome bad = FloorCommands.run(ChatCommand.parse("/create x parliament"), null, chair);
        assertTrue(bad.error().startsWith("unknown policy parliament"));
        assertTrue(FloorCommands.run(ChatCommand.parse("/hand"), bobRoom, bob).error().startsWith("you are not in a room"),
                "bob was removed");
    }

    @Test
    void aListenerJoinsAsAudienceAndAChairMovesItToTheSpeakers() throws Exception {
        Session host = connect("host");
        RoomHandle room = (RoomHandle) run("/create stage round-robin", null, host);
        Session fan = connect("fan");
        RoomHandle fanRoom = (RoomHandle) run("/listen stage", null, fan);
        assertTrue(fanRoom.isAudience());
        assertEquals(" | audience", FloorCommands.status(fanRoom));
        run("/hand", fanRoom, fan);
        eventually(() -> room.queue().equals(List.of("fan")));
        assertEquals("stage (round-robin): hands up: 1. fan; chairs: host; audience: fan", run("/hands", room, host));
        run("/speaker fan", room, host);
        eventually(() -> !fanRoom.isAudience() && fanRoom.queue().isEmpty());
        run("/audience fan", room, host);
        eventually(fanRoom::isAudience);
    }

    @Test
    void whatOthersSentIsShownAsTextNeverAsControlCharacters() {
        assertEquals("* bob lost the floor by chair (x^[[2Jy)", FloorCommands.describe(new FloorUpdate("r", "bob",
                FloorState.REVOKED, List.of(), "chair", "x\u001b[2Jy", Duration.ZERO), "me"));
    }

    @Test
    void floorEventsReadAsSentences() {
        assertEquals("* you raised a hand (#2 in the queue)", FloorCommands.describe(new FloorUpdate("r", "me",
                FloorState.PENDING, List.of("a", "me"), "", "", Duration.ZERO), "me"));
        assertEquals("* bob got the floor by chair for 30s", FloorCommands.describe(new FloorUpdate("r", "bob",
                FloorState.GRANTED, List.of(), "chair", "", Duration.ofSeconds(30)), "me"));
        assertEquals("* bob lost the floor by chair (off topic)", FloorCommands.describe(new FloorUpdate("r", "bob",
                FloorState.REVOKED, List.of(), "chair", "off topic", Duration.ZERO), "me"));
        assertEquals("* your raised hand was denied by chair (later)", FloorCommands.describe(new FloorUpdate("r",
                "me", FloorState.DENIED, List.of(), "chair", "later", Duration.ZERO), "me"));
    }
}
