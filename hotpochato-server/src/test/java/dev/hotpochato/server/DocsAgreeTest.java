package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Leave;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.Mute;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.RaiseHand;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.protocol.v1.TurnPolicy;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every message or reason the documentation quotes is what the server sends, word for word: each
 * is provoked here over a real socket, and the docs must quote it exactly; and the docs quote no
 * other server text that this test does not check.
 */
class DocsAgreeTest {

    private static final Path PROTOCOL = Path.of("..", "docs", "protocol.md");
    private static final Path OPERATIONS = Path.of("..", "docs", "operations.md");

    /** What the server sent, checked against the docs at the end. */
    private final List<String> sent = new ArrayList<>();

    @Test
    void everyTextTheDocsQuoteIsWhatTheServerSends() throws Exception {
        try (ServerFixture f = new ServerFixture(ServerOptions.builder())) {
            // §9: Say while the room waits.
            TestClient alone = f.client("alone");
            alone.join("tea");
            alone.expect(BodyCase.JOINED);
            alone.say("tea", "anyone?");
            sent.add(alone.expectError(Error.Code.NOT_YOUR_TURN).getMessage());

            // §18: why it is not your turn, in a QUEUE room with a holder, an audience and a muted member.
            TestClient ada = f.client("ada");
            ada.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("hall")
                    .setOptions(RoomOptions.newBuilder().setPolicy(TurnPolicy.QUEUE))));
            ada.expect(BodyCase.JOINED);
            TestClient bea = f.client("bea");
            bea.join("hall");
            bea.expect(BodyCase.JOINED);
            bea.say("hall", "hello?");
            sent.add(notYourTurn(bea));
            ada.send(ClientFrame.newBuilder().setRaiseHand(RaiseHand.newBuilder().setRoom("hall")));
            bea.await(ServerFrame::hasTurnGranted);
            bea.say("hall", "hello?");
            sent.add(notYourTurn(bea));
            TestClient cyd = f.client("cyd");
            cyd.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("hall").setAudience(true)));
            cyd.expect(BodyCase.JOINED);
            cyd.say("hall", "hello?");
            sent.add(notYourTurn(cyd));
            ada.send(ClientFrame.newBuilder().setMute(Mute.newBuilder().setRoom("hall").setMember("bea").setMuted(true)));
            bea.await(ServerFrame::hasMemberMuted);
            bea.say("hall", "hello?");
            sent.add(notYourTurn(bea));

            // §11: a partner leaves a pair.
            TestClient pam = f.client("pam");
            TestClient quinn = f.client("quinn");
            pam.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
            pam.expectNothingMore(); // pam waits before quinn asks
            quinn.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
            String pair = pam.expect(BodyCase.PAIRED).getPaired().getRoom();
            pam.drain(pair);
            quinn.drain(pair);
            quinn.send(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom(pair)));
            sent.add(pam.await(ServerFrame::hasRoomClosed).getRoomClosed().getReason());

            // §15: a pair that closed while away, told on Resume; then the half-open connection replaced.
            TestClient ann = f.client("ann");
            TestClient ben = f.client("ben");
            ann.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
            ann.expectNothingMore();
            ben.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
            String other = ann.expect(BodyCase.PAIRED).getPaired().getRoom();
            ann.drain(other);
            ben.drain(other);
            long annSaw = ann.lastSeq(other);
            ann.close();
            ben.await(ServerFrame::hasMemberAway);
            ben.send(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom(other)));
            ben.await(ServerFrame::hasLeft);
            TestClient back = f.track(TestClient.resume(f.address, ann, Map.of(other, annSaw)));
            sent.add(back.expect(BodyCase.ROOM_CLOSED).getRoomClosed().getReason());
            TestClient elsewhere = f.track(TestClient.resume(f.address, back, Map.of()));
            assertTrue(elsewhere.welcome().getResumed());
            sent.add(back.expectError(Error.Code.PROTOCOL_VIOLATION).getMessage());

            // §2: a corrupt length prefix.
            TestClient corrupt = f.track(TestClient.connect(f.address));
            corrupt.sendRaw(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0});
            sent.add(corrupt.expectError(Error.Code.PROTOCOL_VIOLATION).getMessage());

            // §14: shutdown.
            TestClient last = f.client("last");
            last.join("tea");
            last.expect(BodyCase.JOINED);
            last.drain("tea");
            f.server.close();
            sent.add(last.await(ServerFrame::hasRoomClosed).getRoomClosed().getReason());
            sent.add(last.expectError(Error.Code.SERVER_SHUTTING_DOWN).getMessage());
        }
        // §15: authentication.
        try (ServerFixture f = new ServerFixture(ServerOptions.builder()
                .authenticator((name, token, remote) -> CompletableFuture.completedFuture(false)))) {
            TestClient refused = f.track(TestClient.connect(f.address));
            refused.send(ClientFrame.newBuilder().setHello(Hello.newBuilder()
                    .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName("nobody")));
            sent.add(refused.expectError(Error.Code.UNAUTHENTICATED).getMessage());
        }

        assertEquals(List.of("tea is waiting for a second member", "the floor is idle in hall: raise your hand",
                "ada holds the floor in hall: raise your hand", "you are in the audience of hall: raise your hand to speak",
                "you are muted in hall", "your partner left",
                "the room closed while you were away", "session resumed on another connection",
                "malformed frame: length prefix is longer than five bytes", "the server is shutting down",
                "the server is shutting down", "authentication failed"), sent);
        String protocol = Files.readString(PROTOCOL);
        for (String text : sent) {
            assertTrue(protocol.contains(text), () -> "docs/protocol.md does not quote \"" + text + "\"");
        }
        for (String quoted : quotedServerTexts(protocol, OPERATIONS)) {
            assertTrue(sent.contains(quoted), () -> "the docs quote \"" + quoted + "\", which this test does not check");
        }
    }

    private static String notYourTurn(TestClient c) throws InterruptedException {
        Error e = c.await(ServerFrame::hasError).getError();
        assertEquals(Error.Code.NOT_YOUR_TURN, e.getCode(), e::toString);
        return e.getMessage();
    }

    /**
     * The sentences the docs quote as code ({@code `"..."`}): server texts, unlike the names and
     * values quoted in examples, which have no space or are escapes.
     */
    private static TreeSet<String> quotedServerTexts(String protocol, Path operations) throws IOException {
        TreeSet<String> quoted = new TreeSet<>();
        Pattern code = Pattern.compile("`\"([a-z]{3,}[^\"`\\\\]* [^\"`\\\\]*)\"`");
        for (String doc : List.of(protocol, Files.readString(operations))) {
            Matcher m = code.matcher(doc);
            while (m.find()) {
                quoted.add(m.group(1));
            }
        }
        quoted.removeIf(q -> q.startsWith("hotpochato-server") || q.contains("(")); // operations.md: start-up errors
        return quoted;
    }
}
