package dev.hotpochato.client;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.channel.Channel;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A cluster node that cannot reach its store answers a {@code Resume} with a fatal {@code
 * UNAVAILABLE} ("nothing changed, try the Resume again", docs/cluster.md): the session keeps
 * reconnecting and resumes once a node can take it back, instead of ending (an outside tester's
 * client quit within a second when Redis was down as its node died).
 */
class ResumeUnavailableTest {

    @Test
    void aResumeAnsweredUnavailableIsTriedAgainAndTheSessionLivesOn() throws Exception {
        try (FakeServer server = new FakeServer(false)) {
            FakeServer.Welcomed welcomed = server.welcomeResumable();
            Session session = welcomed.session();
            Channel first = welcomed.connection();
            EventLog log = new EventLog();
            session.addListener(log);

            first.close();
            for (int refused = 0; refused < 2; refused++) {
                ClientFrame resume = server.nextFrame();
                assertTrue(resume.hasResume(), resume::toString);
                assertEquals("token-1", resume.getResume().getResumeToken());
                Channel c = server.connections.poll(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
                assertNotNull(c);
                c.writeAndFlush(ServerFrame.newBuilder().setRequestId(resume.getRequestId()).setError(Error.newBuilder()
                        .setCode(Error.Code.UNAVAILABLE).setFatal(true)
                        .setMessage("the cluster's store did not answer; nothing changed, try the Resume again")).build())
                        .addListener(f -> c.close());
            }
            ClientFrame again = server.nextFrame();
            assertTrue(again.hasResume(), again::toString);
            assertEquals("token-1", again.getResume().getResumeToken(), "the same session, not a new one");
            Channel last = server.connections.poll(EventLog.TIMEOUT_SECONDS, TimeUnit.SECONDS);
            last.writeAndFlush(FakeServer.welcome(again.getRequestId(), true, "token-2"));
            log.awaitEvent("reconnected");
            assertTrue(session.isOpen(), "the session lives on");
        }
    }
}
