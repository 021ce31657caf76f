package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The TLS certificate and key are checked at start, each problem in one line naming the file; and
 * they can be replaced while the server runs, without dropping anyone.
 */
class TlsFilesTest {

    @TempDir
    Path dir;

    /** A certificate and its key, as PEM files in {@link #dir}. */
    private record Pair(Path certificate, Path key, X509Certificate x509) {
    }

    private Pair pair(String name) throws Exception {
        return pair(name, new SelfSignedCertificate(name));
    }

    private Pair pair(String name, SelfSignedCertificate self) throws Exception {
        Path cert = Files.copy(self.certificate().toPath(), dir.resolve(name + "-cert.pem"));
        Path key = Files.copy(self.privateKey().toPath(), dir.resolve(name + "-key.pem"));
        self.delete();
        return new Pair(cert, key, self.cert());
    }

    private static IllegalArgumentException refused(Path certificate, Path key) {
        return assertThrows(IllegalArgumentException.class, () -> ServerTls.load(certificate, key));
    }

    @Test
    void aKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        Pair a = pair("a.example");
        Pair b = pair("b.example");
        assertEquals("tlsPrivateKey " + b.key() + " does not belong to the certificate in tlsCertificate " + a.certificate()
                + " (the first certificate of the file must be the server's own)", refused(a.certificate(), b.key()).getMessage());
        ServerTls.load(a.certificate(), a.key()); // the right pair passes
    }

    @Test
    void aServerWithAMismatchedKeyDoesNotStart() throws Exception {
        Pair a = pair("a.example");
        Pair b = pair("b.example");
        var e = assertThrows(IllegalArgumentException.class, () -> HotPochatoServer.start(ServerOptions.builder()
                .bindAddress("127.0.0.1").port(0).tls(a.certificate(), b.key()).build()));
        assertTrue(e.getMessage().contains("does not belong to the certificate"), e.getMessage());
    }

    @Test
    void aTraditionalRsaKeyIsRefusedWithTheCommandThatConvertsIt() throws Exception {
        SelfSignedCertificate self = new SelfSignedCertificate("rsa.example");
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(self.key()); // BouncyCastle writes an RSA key as PKCS#1: BEGIN RSA PRIVATE KEY
        }
        Pair pair = pair("rsa.example", self);
        Files.writeString(pair.key(), pem.toString());
        String message = refused(pair.certificate(), pair.key()).getMessage();
        assertTrue(message.startsWith("tlsPrivateKey " + pair.key() + " is a traditional (RSA PRIVATE KEY) key; "
                + "convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + pair.key()), message);
    }

    @Test
    void anEncryptedKeyIsRefused() throws Exception {
        Pair pair = pair("enc.example");
        Files.writeString(pair.key(), "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n");
        assertTrue(refused(pair.certificate(), pair.key()).getMessage().contains("is encrypted; decrypt it"));
    }

    @Test
    void aMissingFileIsNamed() throws Exception {
        Pair pair = pair("a.example");
        Path missing = dir.resolve("missing.pem");
        assertEquals("tlsCertificate " + missing + ": cannot read: no such file", refused(missing, pair.key()).getMessage());
        assertEquals("tlsPrivateKey " + missing + ": cannot read: no such file",
                refused(pair.certificate(), missing).getMessage());
    }

    @Test
    void filesThatHoldNoPemAreNamed() throws Exception {
        Pair pair = pair("a.example");
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a certificate\n");
        assertEquals("tlsCertificate " + garbage + " holds no PEM certificate (-----BEGIN CERTIFICATE-----) that parses",
                refused(garbage, pair.key()).getMessage());
        assertEquals("tlsPrivateKey " + pair.certificate() + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)",
                refused(pair.certificate(), pair.certificate()).getMessage());
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        Instant now = Instant.now();
        Pair old = pair("old.example", new SelfSignedCertificate("old.example",
                Date.from(now.minus(30, ChronoUnit.DAYS)), Date.from(now.minus(1, ChronoUnit.DAYS))));
        assertTrue(refused(old.certificate(), old.key()).getMessage()
                .startsWith("tlsCertificate " + old.certificate() + " expired on "));
    }

    @Test
    void reloadingGivesNewConnectionsTheNewCertificateAndKeepsTheOldConnections() throws Exception {
        Pair first = pair("first.example");
        Pair second = pair("second.example");
        Path cert = Files.copy(first.certificate(), dir.resolve("live-cert.pem"));
        Path key = Files.copy(first.key(), dir.resolve("live-key.pem"));
        SslContext trustAll = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
        try (HotPochatoServer server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .tls(cert, key).build())) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            try (TestClient before = TestClient.connect(address, trustAll)) {
                before.hello("before", "");
                assertEquals(first.x509(), peerCertificate(before));

                Files.copy(second.certificate(), cert, StandardCopyOption.REPLACE_EXISTING);
                Files.copy(second.key(), key, StandardCopyOption.REPLACE_EXISTING);
                assertTrue(server.reload().startsWith("the TLS certificate CN=second.example valid until "));

                try (TestClient after = TestClient.connect(address, trustAll)) {
                    after.hello("after", "");
                    assertEquals(second.x509(), peerCertificate(after));
                }
                before.send(ClientFrame.newBuilder().setPing(Ping.getDefaultInstance()));
                before.expect(BodyCase.PONG);

                // A bad pair is refused as at start, and the certificate in use stays.
                Files.copy(first.key(), key, StandardCopyOption.REPLACE_EXISTING);
                var e = assertThrows(IllegalStateException.class, server::reload);
                assertTrue(e.getMessage().contains("does not belong to the certificate")
                        && e.getMessage().endsWith("; the previous certificate stays"), e.getMessage());
                try (TestClient later = TestClient.connect(address, trustAll)) {
                    later.hello("later", "");
                    assertEquals(second.x509(), peerCertificate(later));
                }
            }
        }
    }

    private static X509Certificate peerCertificate(TestClient client) throws Exception {
        return (X509Certificate) client.channel().pipeline().get(SslHandler.class).engine().getSession()
                .getPeerCertificates()[0];
    }
}
