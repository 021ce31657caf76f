package dev.hotpochato.terminal.interactive;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.TurnPolicy;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.terminal.ExitCode;
import dev.hotpochato.terminal.Target;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The interactive client in rooms with turn policies, against a real server: what a holder, a
 * chair and the others are told when a chair revokes, removes, moves or mutes, or changes nothing.
 */
class FloorScreenTest {

    private static HotPochatoServer server;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .turnTimeout(Duration.ofMinutes(5)).shutdownTimeout(Duration.ofSeconds(2)).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
    }

    private Session connect(String name) {
        Session s = HotPochatoClient.connect(ClientOptions.builder(name).host("127.0.0.1").port(server.port()).build())
                .join();
        cleanup.add(s);
        return s;
    }

    /** The chat screen of a new session called {@code name}, in {@code room}, running until the test ends. */
    private VirtualScreen chat(String name, String room) {
        VirtualScreen screen = new VirtualScreen(160, 30);
        ChatScreen chat = new ChatScreen(connect(name), screen.terminal(),
                new ScreenOptions(null, null, true, JoinOptions.defaults(), Clock.systemDefaultZone(), null, true));
        CompletableFuture<ExitCode> run = CompletableFuture.supplyAsync(() -> chat.run(Target.room(room)));
        cleanup.add(screen);
        cleanup.add(() -> {
            if (!run.isDone()) {
                screen.type("\u0015/quit\r");
                run.get(10, TimeUnit.SECONDS);
            }
        });
        screen.awaitText("you joined " + room);
        screen.await("the prompt of " + room, s -> s.rows().get(s.cursorRow()).startsWith(room + ">"));
        return screen;
    }

    private static long rowsContaining(VirtualScreen screen, String text) {
        return screen.rows().stream().filter(r -> r.contains(text)).count();
    }

    @Test
    void aRevokedHolderIsToldHowLongItHasToFinishAndMayStillSayItsLastWord() {
        RoomHandle carol = connect("carol").join("fs-grace", JoinOptions.builder().policy(TurnPolicy.MODERATED)
                .revokeGrace(Duration.ofSeconds(10)).build()).join();
        VirtualScreen bob = chat("bob", "fs-grace");
        carol.grant("bob").join();
        bob.await("bob's turn", s -> s.statusRow().contains("YOUR TURN"));
        carol.revoke("wrap up").join();
        bob.awaitText("carol revoked your turn: wrap up \u2014 10 s to finish");
        bob.await("the revoked turn in the status row", s -> s.statusRow().contains("YOUR TURN (revoked) | ")
                && s.statusRow().contains(" s to finish") && s.statusRow().contains("1 message left"));
        bob.type("my last word\r");
        bob.await("bob's last word said, not kept as a draft", s -> s.rows().stream().anyMatch(r -> r.endsWith("bob: my last word")));
        assertEquals(0, rowsContaining(bob, "(draft"), bob::toString);
        bob.awaitText("* your turn ended (no messages left)");
        assertEquals(0, rowsContaining(bob, "gave up the floor"), bob::toString);
    }

    @Test
    void aHolderOfSeveralMessagesSeesHowManyAreLeftAndSaysThemAll() {
        connect("dan").join("fs-chatty", JoinOptions.builder().policy(TurnPolicy.QUEUE).messagesPerTurn(3).build()).join();
        VirtualScreen eve = chat("eve", "fs-chatty");
        eve.type("/hand\r");
        eve.awaitText(">>> your turn, 5 min to speak, up to 3 messages (/pass ends it) <<<");
        eve.await("three left", s -> s.statusRow().contains("YOUR TURN | ") && s.statusRow().contains("| 3 messages left"));
        eve.type("one\r");
        eve.await("two left", s -> s.statusRow().contains("YOUR TURN | ") && s.statusRow().contains("| 2 messages left"));
        eve.type("two\rthree\r"); // the third typed while the second is being sent: said next, in this turn
        eve.await("all three said", s -> s.rows().stream().anyMatch(r -> r.endsWith("eve: three")));
        assertEquals(0, rowsContaining(eve, "said on your turn"), "nothing waits for a next turn\n" + eve);
        eve.await("the turn over after the third", s -> !s.statusRow().contains("YOUR TURN"));
        eve.type("/hand\r");
        eve.await("eve's floor again", s -> s.statusRow().contains("| 3 messages left"));
        eve.type("/pass\r");
        eve.awaitText("* eve passed");
        eve.await("the turn over", s -> !s.statusRow().contains("YOUR TURN") && !s.statusRow().contains("message"));
        eve.awaitText("* the floor is free");
        // One line for each end of turn, the one that says why: the last message, then the pass.
        assertEquals(1, rowsContaining(eve, "* your turn ended (no messages left)"), eve::toString);
        assertEquals(0, rowsContaining(eve, "gave up the floor"), eve::toString);
    }

    @Test
    void aRemovalIsShownToEveryoneWithTheChairAndTheReason() {
        RoomHandle carol = connect("carol").join("fs-remove", JoinOptions.builder().policy(TurnPolicy.MODERATED).build())
                .join();
        VirtualScreen ann = chat("ann", "fs-remove");
        VirtualScreen zed = chat("zed", "fs-remove");
        ann.awaitText("zed joined");
        carol.remove("zed", "spam").join();
        ann.awaitText("* carol removed zed: spam");
        zed.awaitText("* carol removed you: spam (/leave closes this window)");
        zed.await("the window closed", s -> s.statusRow().contains("closed: removed by carol: spam"));
        zed.type("/hand\r"); // a floor command says what typed text says in a window whose room is gone
        zed.awaitText("! you are no longer in fs-remove: /join it again, or /leave to close this window");
        assertEquals(0, rowsContaining(zed, "you are not in a room"), zed::toString);
        assertEquals(0, rowsContaining(ann, "is gone"), ann::toString);
        assertEquals(0, rowsContaining(zed, "fs-remove closed:"), "one line says it\n" + zed);
    }

    @Test
    void aChairCommandThatChangesNothingSaysWhatTheServerAnswered() {
        VirtualScreen chair = chat("max", "fs-lobby");
        chair.type("/create fs-same moderated\r");
        chair.awaitText("you joined fs-same");
        connect("ned").join("fs-same").join();
        chair.awaitText("ned joined");
        chair.type("/unmute ned\r");
        chair.awaitText("* nothing changed: ned is not muted");
        chair.type("/speaker ned\r");
        chair.awaitText("* nothing changed: ned is already a speaker");
        chair.type("/grant ned 20s\r");
        chair.awaitText("* ned got the floor by max for 20 s");
        chair.type("/grant ned\r");
        chair.awaitText("ned holds the floor in fs-same: revoke it first");
        chair.type("/grant 20\r");
        chair.awaitText("usage: /grant [NAME [DURATION]], name first: /grant bob 30s");
    }

    @Test
    void becomingAChairIsSaidInTheSecondPerson() {
        RoomHandle carol = connect("carol").join("fs-chair", JoinOptions.builder().policy(TurnPolicy.MODERATED).build())
                .join();
        VirtualScreen sam = chat("sam", "fs-chair");
        connect("tia").join("fs-chair").join();
        sam.awaitText("tia joined");
        carol.stepDown().join(); // the last chair: sam, present longest after her, succeeds
        sam.awaitText("* you are now a chair (the last chair left or stepped down)");
        sam.type("/chair tia\r");
        sam.awaitText("* you made tia a chair");
        assertEquals(0, rowsContaining(sam, "sam is now a chair") + rowsContaining(sam, "sam made"), sam::toString);
    }

    @Test
    void yourOwnTurnRunningOutIsSaidInTheSecondPerson() {
        RoomHandle pat = connect("pat").join("fs-expire", JoinOptions.builder().turnTimeout(Duration.ofSeconds(1)).build())
                .join();
        pat.onMyTurn(turn -> turn.say("next"));
        VirtualScreen quinn = chat("quinn", "fs-expire");
        quinn.awaitText("* your time ran out");
        assertEquals(0, rowsContaining(quinn, "quinn's time ran out"), quinn::toString);
    }

    @Test
    void aMemberMovedOrMutedByAChairGetsOneLineAndIsNotInvitedToRaiseAMutedHand() {
        RoomHandle carol = connect("carol").join("fs-move", JoinOptions.builder().policy(TurnPolicy.QUEUE).build()).join();
        VirtualScreen rae = chat("rae", "fs-move");
        rae.type("/hand\r");
        rae.await("rae's floor", s -> s.statusRow().contains("YOUR TURN"));
        carol.move("rae", true).join();
        rae.awaitText("* carol moved you to the audience");
        rae.await("the floor free", s -> s.statusRow().contains("the floor is free"));
        // Exactly one line tells rae of the move (and so of the end of her turn), in the second person.
        assertEquals(1, rowsContaining(rae, "moved you"), rae::toString);
        assertEquals(0, rowsContaining(rae, "rae moved") + rowsContaining(rae, "revoked your turn")
                + rowsContaining(rae, "you lost the floor"), rae::toString);
        carol.move("rae", false).join();
        rae.awaitText("* carol moved you to the speakers");
        rae.type("/hand\r");
        rae.await("rae's floor again", s -> s.statusRow().contains("YOUR TURN"));
        carol.mute("rae", true).join();
        rae.awaitText("* carol muted you (your turn ended)");
        assertEquals(0, rowsContaining(rae, "revoked your turn"), "one line says it\n" + rae);
        rae.await("no /hand for the muted", s -> s.statusRow().contains("the floor is free (you are muted)"));
        assertTrue(!rae.statusRow().contains("/hand"), rae::toString);
    }

    @Test
    void creatingARoomThatExistsSaysWhatWasNotApplied() {
        connect("kim").join("fs-exists", JoinOptions.builder().policy(TurnPolicy.QUEUE).build()).join();
        VirtualScreen lee = chat("lee", "fs-lobby2");
        lee.type("/create fs-exists moderated 3\r");
        lee.awaitText("you joined fs-exists");
        lee.awaitText("* fs-exists already existed: it is a queue room (your moderated, end after 3 turns were not applied)");
        lee.type("/create fs-new moderated\r");
        lee.awaitText("you joined fs-new");
        assertEquals(0, rowsContaining(lee, "fs-new already existed"), lee::toString);

        // A room that existed with the very rules asked for is no notice: they are in force.
        connect("kay").join("fs-same", JoinOptions.builder().policy(TurnPolicy.QUEUE).endAfterTurns(3).build()).join();
        lee.type("/create fs-same queue 3\r");
        lee.awaitText("you joined fs-same");
        lee.type("/create fs-after queue\r"); // a notice would have come before this join's line
        lee.awaitText("you joined fs-after");
        assertEquals(0, rowsContaining(lee, "fs-same already existed"), lee::toString);
    }

    @Test
    void aFailedCommandLeavesTheInputLine() {
        VirtualScreen mia = chat("mia", "fs-typo");
        mia.type("/bogus\r");
        mia.awaitText("! unknown command /bogus;");
        mia.type("/who\r");
        mia.awaitText("fs-typo: mia (you)");
        assertEquals(0, rowsContaining(mia, "/bogus/who"), mia::toString);
    }

    @Test
    void aChairActingOnItselfReadsInTheFirstPersonAndTalkTimesReadAsDurations() {
        VirtualScreen ivy = chat("ivy", "fs-lobby3");
        ivy.type("/create fs-self moderated\r");
        ivy.awaitText("you joined fs-self");
        VirtualScreen jon = chat("jon", "fs-self");
        ivy.awaitText("jon joined");
        ivy.type("/grant jon -5\r");
        ivy.awaitText("! talk time must be a positive duration such as 30s or 2m");
        ivy.type("/grant jon 10m\r");
        ivy.awaitText("! talk time 10 min is above the room's turn length of 5 min");
        ivy.type("/grant ivy 1m\r");
        ivy.awaitText("* you took the floor for 1 min");
        jon.awaitText("* ivy took the floor for 1 min");
        ivy.type("/audience ivy\r");
        ivy.awaitText("* you moved to the audience");
        jon.awaitText("* ivy moved to the audience");
        assertEquals(0, rowsContaining(ivy, "ivy moved you") + rowsContaining(ivy, "got the floor by ivy"), ivy::toString);
        assertEquals(0, rowsContaining(jon, "ivy moved ivy"), jon::toString);
    }

    @Test
    void listeningSaysYouAreInTheAudienceAndADraftWithoutAHandSaysHowToGetTheFloor() {
        connect("ora").join("fs-listen", JoinOptions.builder().policy(TurnPolicy.QUEUE).build()).join();
        VirtualScreen pia = chat("pia", "fs-lobby4");
        pia.type("/listen fs-listen\r");
        pia.awaitText("you joined fs-listen");
        pia.awaitText("* you are in the audience of fs-listen: /hand asks to speak");
        assertEquals(0, rowsContaining(pia, "moved to the audience"), pia::toString);
        pia.type("a question\r");
        pia.awaitText("(draft 1, said on your turn \u2014 /hand to ask for the floor) a question");
    }

    @Test
    void aTurnThatRanOutInAQueueRoomIsOneLine() {
        connect("uma").join("fs-short", JoinOptions.builder().policy(TurnPolicy.QUEUE).turnTimeout(Duration.ofSeconds(1))
                .build()).join();
        VirtualScreen val = chat("val", "fs-short");
        val.type("/hand\r");
        val.awaitText("* your time ran out");
        val.awaitText("* the floor is free");
        assertEquals(0, rowsContaining(val, "gave up the floor") + rowsContaining(val, "your turn ended"),
                "the line before says why\n" + val);
    }
}
