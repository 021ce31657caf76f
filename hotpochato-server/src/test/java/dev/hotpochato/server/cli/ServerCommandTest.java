package dev.hotpochato.server.cli;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.testing.TestClient;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server program as an operator runs it: a separate process, configured, signalled, read. */
class ServerCommandTest {

    @Test
    void sigtermTellsClientsAndExitsZero() throws Exception {
        try (ChildServer server = ChildServer.launch("--port", "0", "--bind", "127.0.0.1")) {
            int port = server.port();
            try (TestClient alice = TestClient.hello(new InetSocketAddress("127.0.0.1", port), "alice")) {
                server.process.destroy(); // SIGTERM
                assertEquals(Error.Code.SERVER_SHUTTING_DOWN, alice.expect(BodyCase.ERROR).getError().getCode());
                alice.expectClosed();
            }
            assertEquals(0, server.exitValue());
        }
    }

    @Test
    void helpDocumentsTheOptions() throws Exception {
        try (ChildServer p = ChildServer.launch("--help")) {
            assertEquals(0, p.exitValue());
            String help = p.output();
            for (String option : List.of("--port", "--bind", "--turn-timeout", "--max-turn-timeout", "--max-frame-bytes",
                    "--config", "--admin-port", "--log-format", "--no-console", "HOTPOCHATO_MAX_FRAME_BYTES")) {
                assertTrue(help.contains(option), () -> "--help lacks " + option + ":\n" + help);
            }
            assertTrue(help.contains("Default: 7447"), "defaults are shown");
            assertTrue(help.contains("Default: 30s"), "durations are shown as typed");
        }
    }

    @Test
    void defaultTurnTimeoutAboveTheCapStopsTheServerWithOneClearLine() throws Exception {
        try (ChildServer p = ChildServer.launch("--port", "0", "--bind", "127.0.0.1", "--turn-timeout", "1h")) {
            assertEquals(1, p.exitValue());
            String output = p.output();
            assertTrue(output.contains("hotpochato-server: --turn-timeout (3600000 ms) must not exceed --max-turn-timeout "
                    + "(600000 ms); raise --max-turn-timeout, or set it to 0 for no cap"), output);
            assertFalse(output.contains("\tat "), () -> "no stack trace:\n" + output);
        }
    }

    @Test
    void badOptionValueIsOneClearLine() throws Exception {
        try (ChildServer p = ChildServer.launch("--max-frame-bytes", "1")) {
            assertEquals(1, p.exitValue());
            assertEquals("hotpochato-server: --max-frame-bytes must be between 64 and 16777216: 1", p.output().strip());
        }
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ChildServer p = ChildServer.launch("--bind", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort()))) {
            assertEquals(1, p.exitValue());
            assertEquals("hotpochato-server: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + " (--bind, --port): Address already in use", p.output().strip());
        }
    }

    @Test
    void aKeyThatDoesNotMatchItsCertificateStopsTheServerWithOneLineNamingBothFlags(@TempDir Path dir) throws Exception {
        SelfSignedCertificate a = new SelfSignedCertificate("a.example");
        SelfSignedCertificate b = new SelfSignedCertificate("b.example");
        Path cert = Files.copy(a.certificate().toPath(), dir.resolve("cert.pem"));
        Path key = Files.copy(b.privateKey().toPath(), dir.resolve("key.pem"));
        a.delete();
        b.delete();
        try (ChildServer p = ChildServer.launch(Map.of("HOTPOCHATO_TLS_KEY", key.toString()),
                "--tls-cert", cert.toString(), "--bind", "127.0.0.1", "--port", "0")) {
            assertEquals(1, p.exitValue());
            assertEquals("hotpochato-server: --tls-key " + key + " does not belong to the certificate in --tls-cert " + cert
                    + " (the first certificate of the file must be the server's own) "
                    + "(--tls-key from the environment variable HOTPOCHATO_TLS_KEY)", p.output().strip());
        }
    }

    @Test
    void aFailedReloadNamesTheFlagsInItsAnswerAndItsLog(@TempDir Path dir) throws Exception {
        SelfSignedCertificate a = new SelfSignedCertificate("a.example");
        SelfSignedCertificate b = new SelfSignedCertificate("b.example");
        Path cert = Files.copy(a.certificate().toPath(), dir.resolve("cert.pem"));
        Path key = Files.copy(a.privateKey().toPath(), dir.resolve("key.pem"));
        Path otherKey = Files.copy(b.privateKey().toPath(), dir.resolve("other-key.pem"));
        a.delete();
        b.delete();
        try (ChildServer server = ChildServer.launch("--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--bind", "127.0.0.1", "--port", "0", "--admin-port", "0")) {
            int admin = Integer.parseInt(server.await(Pattern.compile("; admin on http://127\\.0\\.0\\.1:(\\d+)")).group(1));
            Files.copy(otherKey, key, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.net.http.HttpResponse<String> reload = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + admin + "/reload"))
                            .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(500, reload.statusCode());
            String expected = "reload failed: --tls-key " + key + " does not belong to the certificate in --tls-cert " + cert;
            assertTrue(reload.body().startsWith(expected), reload.body());
            server.await(Pattern.compile(Pattern.quote(expected)));
            server.process.destroy();
            assertEquals(0, server.exitValue());
        }
    }

    @Test
    void theStartLineShowsTheAddressAsItWasGiven() throws Exception {
        try (ChildServer server = ChildServer.launch("--port", "0", "--bind", "0.0.0.0")) {
            // Not [0:0:0:0:0:0:0:0] (the dual-stack socket's own view of it), not /0.0.0.0.
            server.await(Pattern.compile("HotPochato \\S+ listening on 0\\.0\\.0\\.0:\\d+ \\("));
            server.process.destroy();
            assertEquals(0, server.exitValue());
        }
    }

    @Test
    void theAdminPortComesFromTheEnvironmentLikeAnyFlag() throws Exception {
        try (ChildServer server = ChildServer.launch(Map.of("HOTPOCHATO_ADMIN_PORT", "0"), "--port", "0", "--bind", "127.0.0.1")) {
            int admin = Integer.parseInt(server.await(Pattern.compile("; admin on http://127\\.0\\.0\\.1:(\\d+)")).group(1));
            java.net.http.HttpResponse<String> ready = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + admin + "/health/ready")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ready.statusCode());
            server.process.destroy();
            assertEquals(0, server.exitValue());
        }
    }

    @Test
    void theLogIsJsonWhenTheEnvironmentSaysSo() throws Exception {
        try (ChildServer server = ChildServer.launch(Map.of("HOTPOCHATO_LOG_FORMAT", "json"), "--port", "0", "--bind", "127.0.0.1")) {
            String line = server.await(Pattern.compile("^\\{.*\\}$")).group();
            assertTrue(line.contains("\"log.level\":\"INFO\""), line);
            assertTrue(line.contains("\"message\":\"HotPochato " + dev.hotpochato.server.HotPochatoServer.VERSION
                    + " listening on 127.0.0.1:"), line);
            assertTrue(line.contains("\"service.name\":\"hotpochato-server\""), line);
            server.process.destroy();
            assertEquals(0, server.exitValue());
            for (String l : server.output().strip().split("\n")) {
                assertTrue(l.startsWith("{") && l.endsWith("}"), () -> "every line is JSON: " + l);
            }
        }
    }

    @Test
    void noChatTextReachesTheLogEvenAtTrace() throws Exception {
        String secret = "the-secret-" + System.nanoTime();
        try (ChildServer server = ChildServer.launch("--port", "0", "--bind", "127.0.0.1", "--log-level", "trace",
                "--max-text-bytes", "64")) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            try (TestClient alice = TestClient.hello(address, "alice"); TestClient bob = TestClient.hello(address, "bob")) {
                alice.join("lobby");
                alice.expect(BodyCase.JOINED);
                bob.join("lobby");
                bob.expect(BodyCase.JOINED);
                alice.await(f -> f.getBodyCase() == BodyCase.TURN_GRANTED);
                alice.say("lobby", secret);
                bob.await(f -> f.getBodyCase() == BodyCase.SAID && f.getSaid().getText().equals(secret));
                bob.await(f -> f.getBodyCase() == BodyCase.TURN_GRANTED);
                bob.say("lobby", secret.repeat(10)); // too long: an error, text and all
                bob.await(f -> f.hasError() && f.getError().getCode() == Error.Code.TEXT_TOO_LONG);
                bob.say("no-such-room", secret);     // an error about a room it is not in
                bob.await(f -> f.hasError());
            }
            server.process.destroy();
            assertEquals(0, server.exitValue());
            String log = server.output();
            assertTrue(log.contains("DEBUG") || log.contains("TRACE") || log.contains("INFO"), log);
            assertFalse(log.contains("the-secret-"), () -> "chat text in the log:\n" + log);
        }
    }

    @Test
    @EnabledOnOs({OS.LINUX, OS.MAC})
    void sighupReloadsTheTokenFileWithoutDroppingAnyone(@TempDir Path dir) throws Exception {
        Path tokens = Files.writeString(dir.resolve("tokens.txt"), "first-token\n");
        try (ChildServer server = ChildServer.launch("--port", "0", "--bind", "127.0.0.1", "--auth-tokens", tokens.toString())) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", server.port());
            try (TestClient alice = TestClient.connect(address)) {
                alice.hello("alice", "first-token");

                Files.writeString(tokens, "# rotated\nsecond-token\n");
                ChildServer.kill("HUP", server.process.pid());
                server.await(Pattern.compile("reloaded 1 token from " + Pattern.quote(tokens.toString())));

                try (TestClient late = TestClient.connect(address)) {
                    late.send(ClientFrame.newBuilder().setHello(Hello.newBuilder()
                            .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName("late")
                            .setAuthToken("first-token")));
                    late.expectError(Error.Code.UNAUTHENTICATED);
                }
                try (TestClient bob = TestClient.connect(address)) {
                    bob.hello("bob", "second-token");
                }
                alice.send(ClientFrame.newBuilder().setPing(Ping.getDefaultInstance()));
                alice.expect(BodyCase.PONG); // still connected, still served

                Files.writeString(tokens, "# nothing left\n");
                ChildServer.kill("HUP", server.process.pid());
                server.await(Pattern.compile("reload failed: the token file .* holds no tokens; the previous tokens stay"));
                try (TestClient carol = TestClient.connect(address)) {
                    carol.hello("carol", "second-token");
                }
            }
            server.process.destroy();
            assertEquals(0, server.exitValue());
        }
    }
}
