package dev.hotpochato.client;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.testing.TestClient;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Heartbeats keep a quiet client connected; TLS and tokens let in only whom they should. */
class SecureConnectTest {

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    private HotPochatoServer start(ServerOptions.Builder options) throws InterruptedException {
        HotPochatoServer server = HotPochatoServer.start(options.bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2)).build());
        resources.add(server::close);
        return server;
    }

    private SelfSignedCertificate certificate() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        resources.add(cert::delete);
        return cert;
    }

    private Session track(Session s) {
        resources.add(s::close);
        return s;
    }

    @Test
    void heartbeatsKeepAnIdleClientConnectedPastTheServersIdleTimeout() throws Exception {
        HotPochatoServer server = start(ServerOptions.builder().idleTimeout(Duration.ofMillis(600)));
        EventLog log = new EventLog();
        Session quiet = track(Futures.await(HotPochatoClient.connect(ClientOptions.builder("quiet")
                .host("127.0.0.1").port(server.port()).reconnect(false).build())));
        quiet.addListener(log);

        // A client that sends nothing after its Hello is cut off: once that happened, the quiet one has
        // been idle (but for its heartbeats) for longer than the limit.
        try (TestClient silent = TestClient.hello(server.localAddress(), "silent")) {
            silent.expectError(Error.Code.IDLE_TIMEOUT);
            silent.expectClosed();
        }
        assertTrue(quiet.isConnected());
        Futures.await(quiet.ping());
        Futures.await(quiet.join("still-here"));
        log.expect("joined still-here"); // neither disconnected nor reconnecting before
    }

    @Test
    void tlsConnectsWhenTheServersCertificateIsTrustedAndNamesTheHost() throws Exception {
        SelfSignedCertificate cert = certificate();
        HotPochatoServer server = start(ServerOptions.builder()
                .tls(cert.certificate().toPath(), cert.privateKey().toPath()));
        Session s = track(Futures.await(HotPochatoClient.connect(ClientOptions.builder("alice")
                .host("localhost").port(server.port())
                .tls(TlsOptions.builder().trustedCertificates(cert.certificate().toPath()).build()).build())));
        RoomHandle room = Futures.await(s.join("secure"));
        assertEquals(List.of("alice"), room.members());
    }

    @Test
    void tlsFailsTheConnectWithTheHandshakeErrorForAnUntrustedCertificate() throws Exception {
        SelfSignedCertificate cert = certificate();
        SelfSignedCertificate other = certificate();
        HotPochatoServer server = start(ServerOptions.builder()
                .tls(cert.certificate().toPath(), cert.privateKey().toPath()));
        CompletableFuture<Session> connect = HotPochatoClient.connect(ClientOptions.builder("alice")
                .host("localhost").port(server.port())
                .tls(TlsOptions.builder().trustedCertificates(other.certificate().toPath()).build()).build());
        assertTlsHandshakeFailed(Futures.failure(connect));
    }

    private static void assertTlsHandshakeFailed(Throwable failure) {
        ConnectFailedException e = assertInstanceOf(ConnectFailedException.class, failure);
        assertEquals(ConnectFailedException.Reason.TLS_HANDSHAKE_FAILED, e.reason());
        assertInstanceOf(SSLHandshakeException.class, e.getCause());
    }

    @Test
    void tlsFailsTheConnectWhenTheCertificateDoesNotNameTheHost() throws Exception {
        SelfSignedCertificate cert = certificate();
        HotPochatoServer server = start(ServerOptions.builder()
                .tls(cert.certificate().toPath(), cert.privateKey().toPath()));
        // Trusted, but it names "localhost", not 127.0.0.1.
        TlsOptions trusting = TlsOptions.builder().trustedCertificates(cert.certificate().toPath()).build();
        CompletableFuture<Session> connect = HotPochatoClient.connect(ClientOptions.builder("alice")
                .host("127.0.0.1").port(server.port()).tls(trusting).build());
        assertTlsHandshakeFailed(Futures.failure(connect));

        Session unchecked = track(Futures.await(HotPochatoClient.connect(ClientOptions.builder("bob")
                .host("127.0.0.1").port(server.port())
                .tls(TlsOptions.builder().trustedCertificates(cert.certificate().toPath())
                        .verifyHostname(false).build()).build())));
        assertTrue(unchecked.isConnected());
    }

    @Test
    void aPlainClientToATlsServerFailsAsTlsRequired() throws Exception {
        SelfSignedCertificate cert = certificate();
        HotPochatoServer server = start(ServerOptions.builder()
                .tls(cert.certificate().toPath(), cert.privateKey().toPath()));
        ConnectFailedException e = assertInstanceOf(ConnectFailedException.class,
                Futures.failure(HotPochatoClient.connect("127.0.0.1", server.port(), "alice")));
        assertEquals(ConnectFailedException.Reason.TLS_REQUIRED, e.reason());
        assertEquals("cannot connect to 127.0.0.1:" + server.port() + ": the server expects TLS (connect with TLS)",
                e.getMessage());
    }

    @Test
    void aTlsClientToAPlainServerFailsAsTlsNotSupportedInOneLine() throws Exception {
        HotPochatoServer server = start(ServerOptions.builder());
        ConnectFailedException e = assertInstanceOf(ConnectFailedException.class,
                Futures.failure(HotPochatoClient.connect(ClientOptions.builder("alice").host("127.0.0.1")
                        .port(server.port()).tls(TlsOptions.defaults()).build())));
        assertEquals(ConnectFailedException.Reason.TLS_NOT_SUPPORTED, e.reason());
        // Not the hex dump of the plain bytes that came back.
        assertEquals("cannot connect to 127.0.0.1:" + server.port()
                + ": the server does not speak TLS there (connect without TLS)", e.getMessage());
    }

    @Test
    void aWrongTokenFailsTheConnectWithUnauthenticated() throws Exception {
        HotPochatoServer server = start(ServerOptions.builder().authenticator((name, token, remote) ->
                CompletableFuture.completedFuture("s3cret".equals(token))));
        ClientOptions.Builder options = ClientOptions.builder("alice").host("127.0.0.1").port(server.port());

        var refused = assertInstanceOf(ServerErrorException.class,
                Futures.failure(HotPochatoClient.connect(options.authToken("guess").build())));
        assertEquals(ErrorCode.UNAUTHENTICATED, refused.code());
        assertTrue(refused.fatal());

        Session s = track(Futures.await(HotPochatoClient.connect(options.authToken("s3cret").build())));
        assertTrue(s.isConnected());
    }
}
