package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.cluster.RedisServer;
import dev.hotpochato.testing.TestClient;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A node on a Redis that asks for a password and speaks TLS, as docs/cluster.md tells operators to
 * protect it: {@code redis://USER:PASSWORD@}, {@code rediss://} with {@code --cluster-ca}, and one
 * line at start, without the password, when either is wrong.
 */
class ClusterRedisSecurityTest {

    private static final String PASSWORD = "s3cret-pass";
    private static final SelfSignedCertificate REDIS_CERTIFICATE = certificate();
    private static final int TLS_PORT = freePort();

    @RegisterExtension
    static final RedisServer REDIS = new RedisServer(List.of("--requirepass", PASSWORD,
            "--tls-port", Integer.toString(TLS_PORT), "--tls-cert-file", REDIS_CERTIFICATE.certificate().toString(),
            "--tls-key-file", REDIS_CERTIFICATE.privateKey().toString(), "--tls-auth-clients", "no"));

    private final List<HotPochatoServer> nodes = new ArrayList<>();
    private final List<TestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(TestClient::close);
        nodes.forEach(HotPochatoServer::close);
    }

    private static SelfSignedCertificate certificate() {
        try {
            return new SelfSignedCertificate("localhost");
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try {
            return RedisServer.freePort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private HotPochatoServer node(String cluster, Path trusted) throws InterruptedException {
        HotPochatoServer node = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .workerThreads(1).cluster(cluster).clusterCa(trusted).build());
        nodes.add(node);
        return node;
    }

    /** Two members on two nodes of the cluster share a room: the node really works through that Redis. */
    private void twoNodesShareARoom(HotPochatoServer a, HotPochatoServer b) throws InterruptedException {
        TestClient alice = TestClient.hello(new InetSocketAddress("127.0.0.1", a.port()), "alice");
        clients.add(alice);
        TestClient bob = TestClient.hello(new InetSocketAddress("127.0.0.1", b.port()), "bob");
        clients.add(bob);
        alice.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("vault")));
        alice.expect(BodyCase.JOINED);
        bob.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom("vault")));
        assertEquals(List.of("alice", "bob"), bob.expect(BodyCase.JOINED).getJoined().getRoom().getMembersList().stream()
                .map(m -> m.getName()).toList());
    }

    private static String tlsAddress(String userInfo) {
        return "rediss://" + userInfo + "localhost:" + TLS_PORT;
    }

    @Test
    void aNodeGivenTheUserAndPasswordServes() throws InterruptedException {
        String cluster = "redis://default:" + PASSWORD + "@127.0.0.1:" + REDIS.port();
        twoNodesShareARoom(node(cluster, null), node(cluster, null));
    }

    @Test
    void aWrongOrMissingPasswordStopsTheStartWithOneLineThatDoesNotRepeatIt() {
        String wrong = "redis://default:not-" + PASSWORD + "@127.0.0.1:" + REDIS.port();
        assertRefused(refusal(wrong, null), "Redis refused the user name or password");
        assertRefused(refusal(REDIS.uri(), null), "Redis asks for a password (redis://USER:PASSWORD@HOST:PORT)");
    }

    /**
     * One line naming Redis, never the password, and Redis's own reason; on a loaded machine Lettuce
     * may report the connection closed under it first ("Connection closed prematurely"), which is
     * also a line an operator can act on.
     */
    private static void assertRefused(String message, String reason) {
        String prefix = "--cluster: cannot use Redis at 127.0.0.1:" + REDIS.port() + ": ";
        assertTrue(message.startsWith(prefix), message);
        assertFalse(message.contains(PASSWORD) || message.contains("\n"), message);
        if (!message.contains("closed")) {
            assertEquals(prefix + reason, message);
        }
    }

    private String refusal(String cluster, Path trusted) {
        return assertThrows(IllegalStateException.class, () -> node(cluster, trusted)).getMessage();
    }

    @Test
    void aNodeTrustingRedisCertificateServesOverTls() throws InterruptedException {
        String cluster = tlsAddress("default:" + PASSWORD + "@");
        Path trusted = REDIS_CERTIFICATE.certificate().toPath();
        twoNodesShareARoom(node(cluster, trusted), node(cluster, trusted));
    }

    @Test
    void aRedisCertificateTheNodeDoesNotTrustStopsTheStart() {
        String message = refusal(tlsAddress("default:" + PASSWORD + "@"), null);
        assertTrue(message.startsWith("--cluster: cannot use Redis at localhost:" + TLS_PORT
                + ": Redis's TLS certificate is not trusted here ("), message);
        assertTrue(message.endsWith("; name its authority with --cluster-ca)"), message);
        assertFalse(message.contains(PASSWORD) || message.contains("\n"), message);
    }

    @Test
    void anUnreadableTrustFileIsNamed() {
        Path missing = Path.of("/nonexistent/redis-ca.pem");
        assertEquals("--cluster-ca: cannot read " + missing, refusal(tlsAddress("default:" + PASSWORD + "@"), missing));
    }
}
