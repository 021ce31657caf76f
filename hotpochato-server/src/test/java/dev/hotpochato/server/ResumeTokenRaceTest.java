package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * §15: the token a Resume presented dies once the server has read the client's next frame on the
 * resumed connection, however that frame races the end of the Resume (the rooms bringing the member
 * back on other threads). Raced many times, and never once may the old token take the session.
 */
class ResumeTokenRaceTest {

    private static final int TRIALS = Integer.getInteger("race.trials", 60);
    private static final int ROOMS = 4;

    @Test
    void theOldTokenNeverResumesOnceTheServerHasReadTheNextFrame() throws Exception {
        // More loops than cores, so that the rooms of one member sit on several threads.
        try (ServerFixture f = new ServerFixture(ServerOptions.builder().workerThreads(4)
                .maxFramesPerSecond(100_000).frameBurst(100_000))) {
            List<String> accepted = new ArrayList<>();
            for (int trial = 0; trial < TRIALS; trial++) {
                TestClient stays = f.client("stays-" + trial);
                TestClient drops = f.client("drops-" + trial);
                Map<String, Long> lastSeq = new HashMap<>();
                for (int r = 0; r < ROOMS; r++) {
                    String room = "race-" + trial + "-" + r;
                    stays.join(room);
                    stays.await(ServerFrame::hasJoined); // after the events of the rooms before
                    drops.join(room);
                    drops.expect(BodyCase.JOINED);
                    drops.drain(room);
                    lastSeq.put(room, drops.lastSeq(room));
                }
                String old = drops.welcome().getResumeToken();
                drops.close();

                TestClient back = f.track(TestClient.connect(f.address));
                back.send(resume(old, lastSeq));
                assertTrue(back.expect(BodyCase.WELCOME).getWelcome().getResumed());
                // At once, while the rooms may still be bringing the member back.
                back.send(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(trial)));
                back.await(ServerFrame::hasPong);

                TestClient thief = f.track(TestClient.connect(f.address));
                thief.send(resume(old, Map.of()));
                ServerFrame answer = thief.next();
                if (!(answer.hasError() && answer.getError().getCode() == Error.Code.RESUME_FAILED)) {
                    accepted.add("trial " + trial + ": " + answer.getBodyCase());
                }
                thief.close();
                back.close();
                stays.close();
            }
            assertEquals(List.of(), accepted, "the old token resumed after the client had spoken");
        }
    }

    private static ClientFrame.Builder resume(String token, Map<String, Long> lastSeq) {
        return ClientFrame.newBuilder().setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setResumeToken(token).putAllLastSeq(lastSeq));
    }
}
