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
        s.addListener(ticker);
        sessions.add(s);
        return s;
    }

    private Object run(String line, RoomHandle room, Session session) throws Exception {
        FloorCommands.Outcome o = FloorCommands.run(ChatCommand.parse(line), room, session);
        assertNull(o.error(), () -> line + ": " + o.error());
        return o.info() != null ? o.info() : o.request().get(30, TimeUnit.SECONDS);
    }

    /** Ticks once for every event any session of the test hears. */
    private final java.util.concurrent.BlockingQueue<String> ticks = new java.util.concurrent.LinkedBlockingQueue<>();

    private final dev.hotpochato.client.SessionListener ticker = new dev.hotpochato.client.SessionListener() {
        @Override
        public void onJoined(RoomHandle room) {
            ticks.add("joined");
        }

        @Override
        public void onTurnGranted(RoomHandle room, dev.hotpochato.client.Turn turn) {
            ticks.add("turn");
        }

        @Override
        public void onMemberLeft(RoomHandle room, String name, dev.hotpochato.client.LeaveReason reason) {
            ticks.add("left");
        }

        @Override
        public void onRoomClosed(RoomHandle room, String reason) {
            ticks.add("closed");
        }

        @Override
        public void onFloorUpdate(RoomHandle room, FloorUpdate update) {
            ticks.add("floor");
        }

        @Override
        public void onFloorIdle(RoomHandle room) {
            ticks.add("idle");
        }

        @Override
        public void onChairChanged(RoomHandle room, String name, String by) {
            ticks.add("chair");
        }

        @Override
        public void onMemberMuted(RoomHandle room, String name, boolean muted, String by) {
            ticks.add("muted");
        }

        @Override
        public void onMemberMoved(RoomHandle room, String name, boolean audience, String by) {
            ticks.add("moved");
        }
    };

    /**
     * Waits until the views agree, the library updating them from the server's events: checked
     * again after each event any session hears; no sleeping, a generous deadline.
     */
    private void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        while (!condition.getAsBoolean()) {
            assertTrue(ticks.poll(30, TimeUnit.SECONDS) != null, "not within 30 s of the last event");
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
        assertTrue(FloorCommands.run(ChatCommand.parse("/grant 20"), room, chair).error()
                .startsWith("usage: /grant [NAME [DURATION]], name first: /grant bob 30s"),
                "a lone duration is no name: refused, not sent as a member named 20");
        assertTrue(FloorCommands.run(ChatCommand.parse("/grant bob soon"), room, chair).error()
                .contains("not a duration: soon"));
        run("/grant bob 20s", room, chair);
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
    void durationsAreSpelledWithSpacedUnits() {
        assertEquals("5 s", DurationText.of(Duration.ofMillis(4_200)), "rounded up: 4.2 s left is still 5 s");
        assertEquals("1 min", DurationText.of(Duration.ofSeconds(60)));
        assertEquals("1 min 30 s", DurationText.of(Duration.ofSeconds(90)));
        assertEquals("2 h 5 min", DurationText.of(Duration.ofMinutes(125)));
        assertEquals("0 s", DurationText.of(Duration.ZERO));
    }

    @Test
    void aChairRequestThatChangedNothingSaysWhatTheServerAnswered() {
        assertEquals("* nothing changed: bob is not muted", FloorCommands.unchanged("bob", "unmuted", "me"));
        assertEquals("* nothing changed: bob is already in the audience", FloorCommands.unchanged("bob", "audience", "me"));
        assertEquals("* nothing changed: you are the only member, so you stay chair",
                FloorCommands.unchanged("me", "chair", "me"));
    }

    @Test
    void aMutedMemberIsNotToldToRaiseAHand() throws Exception {
        Session chair = connect("mchair");
        RoomHandle room = (RoomHandle) run("/create mq queue", null, chair);
        Session bob = connect("mbob");
        RoomHandle bobRoom = bob.join("mq").get(30, TimeUnit.SECONDS);
        assertEquals("the floor is free: /hand to speak", FloorCommands.idle(bobRoom));
        run("/mute mbob", room, chair);
        eventually(() -> bobRoom.muted().contains("mbob"));
        assertEquals("the floor is free (you are muted)", FloorCommands.idle(bobRoom));
    }

    @Test
    void whatOthersSentIsShownAsTextNeverAsControlCharacters() {
        assertEquals("* chair revoked bob's turn: x^[[2Jy", FloorCommands.describe(new FloorUpdate("r", "bob",
                FloorState.REVOKED, List.of(), "chair", "x\u001b[2Jy", Duration.ZERO), "me"));
    }

    @Test
    void floorEventsReadAsSentences() {
        assertEquals("* you raised a hand (#2 in the queue)", FloorCommands.describe(new FloorUpdate("r", "me",
                FloorState.PENDING, List.of("a", "me"), "", "", Duration.ZERO), "me"));
        assertEquals("* bob got the floor by chair for 1 min 30 s", FloorCommands.describe(new FloorUpdate("r", "bob",
                FloorState.GRANTED, List.of(), "chair", "", Duration.ofSeconds(90)), "me"));
        assertEquals("* chair revoked bob's turn: off topic", FloorCommands.describe(new FloorUpdate("r", "bob",
                FloorState.REVOKED, List.of(), "chair", "off topic", Duration.ZERO), "me"));
        assertEquals("* carol revoked your turn: wrap up \u2014 10 s to finish", FloorCommands.describe(new FloorUpdate("r",
                "me", FloorState.REVOKED, List.of(), "carol", "wrap up", Duration.ofSeconds(10)), "me"));
        assertEquals(null, FloorCommands.describe(new FloorUpdate("r", "me", FloorState.REVOKED, List.of(), "carol",
                "moved to the audience", Duration.ZERO), "me"), "the move's own line tells the one moved");
        assertEquals(null, FloorCommands.describe(new FloorUpdate("r", "bob", FloorState.ACCEPTED, List.of(), "carol",
                "", Duration.ZERO), "me"), "the move to the speakers tells it");
        assertEquals("* your raised hand was denied by chair (later)", FloorCommands.describe(new FloorUpdate("r",
                "me", FloorState.DENIED, List.of(), "chair", "later", Duration.ZERO), "me"));
    }
}
