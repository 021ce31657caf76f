package dev.hotpochato.terminal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.SyncRoom;
import dev.hotpochato.client.TurnPolicy;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scripted mode's floor commands (/hand, /grant, ...), --policy and --audience, and its floor lines. */
class ScriptedFloorTest {

    private static HotPochatoServer server;
    private final List<Session> sessions = new ArrayList<>();

    @TempDir
    Path home;

    @BeforeAll
    static void startServer() throws InterruptedException {
        server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .turnTimeout(Duration.ofSeconds(30)).shutdownTimeout(Duration.ofSeconds(2)).build());
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @AfterEach
    void closeSessions() {
        sessions.forEach(Session::close);
    }

    private SyncRoom library(String name, String room, JoinOptions options) {
        Session s = HotPochatoClient.connect(ClientOptions.builder(name).host("127.0.0.1").port(server.port()).build())
                .join();
        sessions.add(s);
        return s.sync().join(room, options);
    }

    private CompletableFuture<Integer> client(OutputLines out, InputStream in, String... args) {
        List<String> all = new ArrayList<>(List.of("--host", "127.0.0.1", "--port", String.valueOf(server.port())));
        all.addAll(List.of(args));
        Environment env = new Environment(Map.of(), home);
        return CompletableFuture.supplyAsync(() ->
                TerminalCommand.run(all.toArray(String[]::new), in, out.stream, out.stream, false, env));
    }

    private CompletableFuture<Integer> client(OutputLines out, String input, String... args) {
        return client(out, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), args);
    }

    private static int exitCode(CompletableFuture<Integer> client) throws Exception {
        return client.get(20, TimeUnit.SECONDS);
    }

    private static void feed(PipedOutputStream to, String line) throws Exception {
        to.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        to.flush();
    }

    @Test
    void inAQueuedRoomTwoScriptsRaiseHandsSpeakInTheirOrderAndLeaveWhenAnswered() throws Exception {
        SyncRoom carol = library("carol", "standup", JoinOptions.builder().policy(TurnPolicy.QUEUE).build());
        carol.raiseHand(); // carol holds the floor, so that both hands queue behind her
        OutputLines alice = new OutputLines();
        OutputLines bob = new OutputLines();
        var aliceRun = client(alice, "/hand\nalice's point\n", "--name", "alice", "--room", "standup");
        alice.await("floor\tstandup\talice\tpending\talice\t\t");
        var bobRun = client(bob, "/hand\nbob's point\n", "--name", "bob", "--room", "standup");
        bob.await("floor\tstandup\tbob\tpending\talice,bob\t\t");
        carol.say("over to the queue");

        assertEquals(ExitCode.DONE.code(), exitCode(aliceRun), alice.lines()::toString);
        assertEquals(ExitCode.DONE.code(), exitCode(bobRun), bob.lines()::toString);
        List<String> said = List.of("said\tstandup\tcarol\tover to the queue", "said\tstandup\talice\talice's point",
                "said\tstandup\tbob\tbob's point");
        assertEquals(said, alice.linesStartingWith("said"));
        assertEquals(said, bob.linesStartingWith("said"));
        assertTrue(alice.lines().contains("floor\tstandup\talice\tgranted\tbob\t\t"), alice.lines()::toString);
        assertTrue(alice.lines().indexOf("floor\tstandup\tbob\treleased\t\t\t") < alice.lines().indexOf("left\tstandup"),
                "alice stays to hear bob's answer: " + alice.lines());
        assertTrue(bob.lines().contains("floor-idle\tstandup"), bob.lines()::toString);
    }

    @Test
    void aChairScriptGrantsRevokesMutesAndAppointsWithEachAnswerOrErrorAsALine() throws Exception {
        PipedOutputStream input = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(input);
        OutputLines chair = new OutputLines();
        var run = client(chair, in, "--name", "mod", "--room", "panel", "--policy", "moderated");
        chair.await("joined\tpanel\tmod");
        SyncRoom bob = library("bob", "panel", JoinOptions.defaults());
        chair.await("member-joined\tpanel\tbob");
        bob.raiseHand();
        chair.await("floor\tpanel\tbob\tpending\tbob\t\t");

        feed(input, "/hands");
        chair.await("hands\tpanel\tbob\tmod\t\t");
        feed(input, "/grant bob 5");
        chair.await("floor\tpanel\tbob\tgranted\t\tmod\t");
        chair.await("turn\tpanel\t1\tbob\t5000");
        assertTrue(bob.awaitMyTurn(Duration.ofSeconds(10)).isPresent());
        feed(input, "/revoke off topic");
        chair.await("floor\tpanel\tbob\trevoked\t\tmod\toff topic");
        chair.await("floor-idle\tpanel");
        feed(input, "/grant nobody");
        chair.awaitStartingWith("error\tUNKNOWN_MEMBER\t");
        feed(input, "/deny bob");
        chair.awaitStartingWith("error\tNOT_REQUESTED\t");
        feed(input, "/deny");
        chair.await("error\tUSAGE\tusage: /deny NAME [REASON]");
        feed(input, "/mute bob");
        chair.await("muted\tpanel\tbob\tmuted\tmod");
        feed(input, "/unmute bob");
        chair.await("muted\tpanel\tbob\tunmuted\tmod");
        feed(input, "/unmute bob");
        chair.await("unchanged\tpanel\tbob\tunmuted"); // what the server answered, not silence
        feed(input, "/speaker bob");
        chair.await("unchanged\tpanel\tbob\tspeakers");
        feed(input, "/audience bob");
        chair.await("moved\tpanel\tbob\taudience\tmod");
        feed(input, "/speaker bob");
        chair.await("moved\tpanel\tbob\tspeakers\tmod");
        feed(input, "/chair bob");
        chair.await("chair\tpanel\tbob\tmod");
        feed(input, "/stepdown");
        chair.await("stepped-down\tpanel\tmod");
        feed(input, "/stepdown");
        chair.awaitStartingWith("error\tNOT_A_CHAIR\t");
        feed(input, "/create other queue");
        chair.awaitStartingWith("error\tUNKNOWN_COMMAND\t/create is not available without a terminal");
        input.close();

        assertEquals(ExitCode.DONE.code(), exitCode(run), "all done and the floor idle: it leaves");
        assertEquals("left\tpanel", chair.lines().get(chair.lines().size() - 1));
    }

    @Test
    void aScriptInTheAudienceRaisesAHandIsMovedToTheSpeakersAndTakesItsTurn() throws Exception {
        SyncRoom chair = library("chair", "stage", JoinOptions.defaults());
        OutputLines dana = new OutputLines();
        var run = client(dana, "/hand\nthanks for having me\n", "--name", "dana", "--room", "stage", "--audience");
        dana.await("floor\tstage\tdana\tpending\tdana\t\t");
        // The chair's view is updated on its own callback thread: it may lag dana's output.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!chair.async().audience().equals(java.util.Set.of("dana")) && System.nanoTime() < deadline) {
            Thread.sleep(10); // waiting on the chair's callback thread, with a deadline
        }
        assertEquals(java.util.Set.of("dana"), chair.async().audience());
        chair.move("dana", false);
        dana.await("moved\tstage\tdana\tspeakers\tchair");
        dana.await("floor\tstage\tdana\taccepted\t\tchair\t");
        chair.awaitMyTurn().say("welcome");
        dana.await("said\tstage\tdana\tthanks for having me");
        chair.awaitMyTurn().say("you are welcome"); // then dana's turn comes round again: it leaves
        assertEquals(ExitCode.DONE.code(), exitCode(run), dana.lines()::toString);
        assertTrue(dana.lines().contains("said\tstage\tdana\tthanks for having me"), dana.lines()::toString);
    }

    @Test
    void aScriptRemovedByAChairEndsRefusedWithItsLinesUnsaidPrinted() throws Exception {
        SyncRoom chair = library("chair", "strict", JoinOptions.builder().policy(TurnPolicy.MODERATED).build());
        OutputLines eve = new OutputLines();
        var run = client(eve, "/hand\nspam\n", "--name", "eve", "--room", "strict");
        eve.await("floor\tstrict\teve\tpending\teve\t\t");
        chair.remove("eve", "no spam");
        assertEquals(ExitCode.REFUSED.code(), exitCode(run), eve.lines()::toString);
        assertTrue(eve.lines().contains("room-closed\tstrict\tremoved by chair: no spam"), eve.lines()::toString);
        assertTrue(eve.lines().indexOf("removed\tstrict\teve\tchair\tno spam")
                == eve.lines().indexOf("room-closed\tstrict\tremoved by chair: no spam") - 1, eve.lines()::toString);
        assertTrue(eve.lines().contains("unsaid\tstrict\tspam"), eve.lines()::toString);
    }

    @Test
    void theOthersSeeWhoRemovedAMemberAndWhy() throws Exception {
        SyncRoom chair = library("chair", "strict2", JoinOptions.builder().policy(TurnPolicy.MODERATED).build());
        OutputLines gil = new OutputLines();
        PipedOutputStream input = new PipedOutputStream();
        var run = client(gil, new PipedInputStream(input), "--name", "gil", "--room", "strict2");
        gil.await("joined\tstrict2\tchair,gil");
        library("hal", "strict2", JoinOptions.defaults());
        gil.await("member-joined\tstrict2\thal");
        chair.remove("hal", "off topic");
        gil.await("member-left\tstrict2\thal\tremoved");
        gil.await("removed\tstrict2\thal\tchair\toff topic");
        input.close();
        exitCode(run);
    }

    @Test
    void aRevokedScriptStillSaysItsLastLineWithinTheGrace() throws Exception {
        SyncRoom chair = library("chair", "graceful", JoinOptions.builder().policy(TurnPolicy.MODERATED)
                .revokeGrace(Duration.ofSeconds(10)).build());
        PipedOutputStream input = new PipedOutputStream();
        OutputLines ivy = new OutputLines();
        var run = client(ivy, new PipedInputStream(input), "--name", "ivy", "--room", "graceful");
        ivy.await("joined\tgraceful\tchair,ivy");
        chair.grant("ivy");
        ivy.await("turn\tgraceful\t1\tivy\t30000");
        chair.revoke("wrap up");
        ivy.await("floor\tgraceful\tivy\trevoked\t\tchair\twrap up");
        ivy.await("grace\tgraceful\tivy\t10000");
        feed(input, "my last word"); // typed after the revoke: the turn is still ivy's until the grace ends
        ivy.await("said\tgraceful\tivy\tmy last word");
        ivy.await("floor\tgraceful\tivy\treleased\t\t\t");
        input.close();
        assertEquals(ExitCode.DONE.code(), exitCode(run), ivy.lines()::toString);
    }

    @Test
    void inARoomOfSeveralMessagesPerTurnTheScriptPrintsHowManyAreLeft() throws Exception {
        OutputLines jo = new OutputLines();
        var run = client(jo, "/hand\none\ntwo\n/pass\n", "--name", "jo", "--room", "chatty", "--policy", "queue",
                "--messages-per-turn", "3");
        assertEquals(ExitCode.DONE.code(), exitCode(run), jo.lines()::toString);
        List<String> turn = jo.lines().subList(jo.lines().indexOf("turn\tchatty\t1\tjo\t30000"),
                jo.lines().indexOf("passed\tchatty\tjo"));
        assertEquals(List.of("turn\tchatty\t1\tjo\t30000", "messages-left\tchatty\tjo\t3",
                "said\tchatty\tjo\tone", "messages-left\tchatty\tjo\t2",
                "said\tchatty\tjo\ttwo", "messages-left\tchatty\tjo\t1"), turn);
    }

    @Test
    void afterTheLastChairStepsDownTheScriptGoesOnOnlyOnceItsSuccessorIsNamed() throws Exception {
        PipedOutputStream input = new PipedOutputStream();
        OutputLines kim = new OutputLines();
        var run = client(kim, new PipedInputStream(input), "--name", "kim", "--room", "succession",
                "--policy", "moderated");
        kim.await("joined\tsuccession\tkim");
        library("lou", "succession", JoinOptions.defaults());
        kim.await("member-joined\tsuccession\tlou");
        feed(input, "/stepdown");
        feed(input, "/hands");
        input.close();
        exitCode(run);
        List<String> lines = kim.lines();
        int successor = lines.indexOf("chair\tsuccession\tlou\t");
        int hands = lines.indexOf("hands\tsuccession\t\tlou\t\t");
        assertTrue(successor > lines.indexOf("stepped-down\tsuccession\tkim") && successor < hands,
                "the successor's line, then what the next script line did: " + lines);
    }

    @Test
    void aRoomEndedByItsRuleEndsTheScriptAndSaysWhichRule() throws Exception {
        SyncRoom chair = library("chair", "short", JoinOptions.builder().policy(TurnPolicy.QUEUE).stopPhrase("THE END")
                .build());
        OutputLines fay = new OutputLines();
        var run = client(fay, "/hand\nthat is THE END\n", "--name", "fay", "--room", "short");
        assertEquals(ExitCode.DONE.code(), exitCode(run), fay.lines()::toString);
        assertTrue(fay.lines().contains("room-ended\tshort\tstop_phrase\tthe room ended: the stop phrase was said"),
                fay.lines()::toString);
    }

    @Test
    void aPolicyFlagThatIsNoPolicyNamesTheFlagAndExitsTwo() throws Exception {
        OutputLines out = new OutputLines();
        int code = exitCode(client(out, "", "--name", "x", "--room", "r", "--policy", "anarchy"));
        assertEquals(ExitCode.USAGE.code(), code);
        assertTrue(out.lines().stream().anyMatch(l -> l.contains("--policy") && l.contains("round-robin, queue or moderated")),
                out.lines()::toString);
    }

    @Test
    void aRoomThatExistedIsANoticeAndAnUnknownCommandsErrorKeepsItsPlaceInTheInput() throws Exception {
        library("kai", "existing", JoinOptions.builder().policy(TurnPolicy.QUEUE).build());
        OutputLines lou = new OutputLines();
        var run = client(lou, "/grant kai\n/bogus\n", "--name", "lou", "--room", "existing", "--policy", "moderated");
        assertEquals(ExitCode.DONE.code(), exitCode(run), lou.lines()::toString);
        List<String> lines = lou.lines();
        int joined = lines.indexOf("joined\texisting\tkai,lou");
        assertTrue(joined >= 0, lines::toString);
        assertEquals("notice\texisting\texisting already existed: it is a queue room (your moderated was not applied)",
                lines.get(joined + 1));
        int grantError = lines.indexOf(lou.linesStartingWith("error\tNOT_A_CHAIR").get(0));
        int unknown = lines.indexOf(lou.linesStartingWith("error\tUNKNOWN_COMMAND\t/bogus").get(0));
        assertTrue(joined < grantError && grantError < unknown, "in the order of the input: " + lines);
    }

    @Test
    void aRoomThatExistedAsAskedIsNoNotice() throws Exception {
        library("kit", "as-asked", JoinOptions.builder().policy(TurnPolicy.QUEUE).messagesPerTurn(3).build());
        OutputLines ned = new OutputLines();
        var run = client(ned, "", "--name", "ned", "--room", "as-asked", "--policy", "queue");
        assertEquals(ExitCode.DONE.code(), exitCode(run), ned.lines()::toString);
        assertTrue(ned.lines().contains("joined\tas-asked\tkit,ned"), ned.lines()::toString);
        assertEquals(List.of(), ned.linesStartingWith("notice"), "the default of one message per turn was not asked for");
    }
}
