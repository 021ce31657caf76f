package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Invite;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Leave;
import dev.hotpochato.protocol.v1.ListRooms;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only those allowed in get in: TLS, tokens, room passwords, invitations, and pairs' privacy. */
class SecurityTest {

    private ServerFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void tlsServerTalksToClientsThatTrustItsCertificate() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        try {
            fixture = new ServerFixture(ServerOptions.builder().tls(cert.certificate().toPath(), cert.privateKey().toPath()));
            // The certificate itself is trusted, so host name checks (it names no IP address) are off.
            SslContext trusting = SslContextBuilder.forClient().trustManager(cert.cert())
                    .endpointIdentificationAlgorithm(null).build();
            TestClient alice = fixture.track(TestClient.connect(fixture.address, trusting));
            alice.hello("alice", "");
            alice.join("secure");
            assertTrue(alice.expect(BodyCase.JOINED).getJoined().getRoom().getWaiting());

            TestClient plain = fixture.track(TestClient.connect(fixture.address));
            plain.send(ClientFrame.newBuilder().setListRooms(ListRooms.getDefaultInstance()));
            plain.expectClosed(); // plaintext is not TLS: the handshake fails and nothing is revealed
        } finally {
            cert.delete();
        }
    }

    @Test
    void wrongOrMissingTokenIsRefusedAndRevealsNothing(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "# who may in\ns3cret-1\n\ns3cret-2\n");
        fixture = new ServerFixture(ServerOptions.builder().authenticator(TokenFileAuthenticator.load(tokens)));
        TestClient insider = fixture.track(TestClient.connect(fixture.address));
        insider.hello("insider", "s3cret-2");
        insider.join("hidden");
        insider.expect(BodyCase.JOINED);

        for (String token : new String[] {"", "s3cret", "s3cret-1 ", "S3CRET-1"}) {
            TestClient intruder = fixture.track(TestClient.connect(fixture.address));
            intruder.send(ClientFrame.newBuilder().setHello(dev.hotpochato.protocol.v1.Hello.newBuilder()
                    .setProtocolVersion(dev.hotpochato.protocol.v1.ProtocolVersion.PROTOCOL_VERSION_1)
                    .setDisplayName("intruder").setAuthToken(token)));
            // Pipelined behind the Hello: must never be answered.
            intruder.sendAndForget(ClientFrame.newBuilder().setListRooms(ListRooms.getDefaultInstance()));
            ServerFrame error = intruder.expect(BodyCase.ERROR);
            assertEquals(Error.Code.UNAUTHENTICATED, error.getError().getCode());
            assertEquals("authentication failed", error.getError().getMessage());
            assertTrue(error.getError().getFatal());
            intruder.expectClosed();
        }
        insider.expectNothingMore("hidden");
    }

    @Test
    void framesPipelinedBehindAnAcceptedHelloAreServedInOrder(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens"), "ok\n");
        fixture = new ServerFixture(ServerOptions.builder().authenticator(TokenFileAuthenticator.load(tokens)));
        TestClient c = fixture.track(TestClient.connect(fixture.address));
        c.send(ClientFrame.newBuilder().setHello(dev.hotpochato.protocol.v1.Hello.newBuilder()
                .setProtocolVersion(dev.hotpochato.protocol.v1.ProtocolVersion.PROTOCOL_VERSION_1)
                .setDisplayName("fast").setAuthToken("ok")));
        c.join("lobby");
        c.expect(BodyCase.WELCOME);
        c.expect(BodyCase.JOINED);
    }

    @Test
    void passwordRoomAdmitsOnlyThoseWhoKnowIt() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        TestClient owner = fixture.client("owner");
        owner.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("vault")
                .setOptions(RoomOptions.newBuilder().setPassword("sesame"))));
        assertEquals("********", owner.expect(BodyCase.JOINED).getJoined().getRoom().getOptions().getPassword());
        TestClient guesser = fixture.client("guesser");
        guesser.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("vault").setPassword("open")));
        guesser.expectError(Error.Code.WRONG_PASSWORD);
        TestClient friend = fixture.client("friend");
        friend.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("vault").setPassword("sesame")));
        friend.expect(BodyCase.JOINED);
        friend.send(ClientFrame.newBuilder().setListRooms(ListRooms.getDefaultInstance()));
        assertTrue(friend.await(ServerFrame::hasRoomList).getRoomList().getRooms(0).getPassword());
    }

    @Test
    void inviteOnlyRoomAdmitsTheInvited() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        TestClient owner = fixture.client("owner");
        owner.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("club")
                .setOptions(RoomOptions.newBuilder().setInviteOnly(true))));
        owner.expect(BodyCase.JOINED);
        TestClient guest = fixture.client("guest");
        guest.join("club");
        guest.expectError(Error.Code.NOT_INVITED);
        owner.send(ClientFrame.newBuilder().setInvite(Invite.newBuilder().setRoom("club").setDisplayName("guest")));
        assertEquals("guest", owner.expect(BodyCase.INVITED).getInvited().getDisplayName());
        guest.join("club");
        guest.expect(BodyCase.JOINED);
        guest.drain("club");
        guest.send(ClientFrame.newBuilder().setInvite(Invite.newBuilder().setRoom("club").setDisplayName("mate")));
        guest.expectError(Error.Code.NOT_INVITED);
    }

    @Test
    void privateRoomOfAPairIsUnreachableToAnyoneElse() throws Exception {
        fixture = new ServerFixture(ServerOptions.builder());
        TestClient ann = fixture.client("ann");
        TestClient ben = fixture.client("ben");
        ann.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        ben.send(ClientFrame.newBuilder().setMatch(Match.getDefaultInstance()));
        ServerFrame paired = ann.expect(BodyCase.PAIRED);
        String room = paired.getPaired().getRoom();
        // Either may have reached the lobby first; the one that did speaks first.
        TestClient first = paired.getPaired().getFirst() ? ann : ben;
        TestClient second = first == ann ? ben : ann;
        ann.drain(room);
        ben.drain(room);

        TestClient eve = fixture.client("eve");
        eve.join(room);
        eve.expectError(Error.Code.INVALID_ROOM_NAME);
        eve.say(room, "hello?");
        eve.expectError(Error.Code.UNKNOWN_ROOM);
        eve.pass(room);
        eve.expectError(Error.Code.UNKNOWN_ROOM);
        eve.send(ClientFrame.newBuilder().setLeave(Leave.newBuilder().setRoom(room)));
        eve.expectError(Error.Code.UNKNOWN_ROOM);
        eve.send(ClientFrame.newBuilder().setInvite(Invite.newBuilder().setRoom(room).setDisplayName("eve")));
        eve.expectError(Error.Code.UNKNOWN_ROOM);
        eve.send(ClientFrame.newBuilder().setListRooms(ListRooms.getDefaultInstance()));
        assertEquals(0, eve.expect(BodyCase.ROOM_LIST).getRoomList().getRoomsCount());

        ann.expectNothingMore(room);
        ben.expectNothingMore(room);
        first.say(room, "just us");
        assertEquals("just us", second.expect(BodyCase.SAID).getSaid().getText());
    }
}
