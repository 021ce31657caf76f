package dev.hotpochato.server.web;

import dev.hotpochato.server.ServerOptions;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web port over real sockets: the page's files with their security headers, and every
 * request the server refuses, with its documented status. Requests are written by hand so that the
 * test sees exactly what the server answers.
 */
class WebPortTest {

    private static WebFixture f;

    @BeforeAll
    static void start() throws InterruptedException {
        f = new WebFixture(ServerOptions.builder().allowedOrigins(List.of("https://chat.example.com")));
    }

    @AfterAll
    static void stop() {
        f.close();
    }

    private static RawWebSocket.Response get(String path, String... headers) throws IOException {
        try (RawWebSocket raw = new RawWebSocket(f.web)) {
            return raw.exchange("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + f.web.getPort() + "\r\n"
                    + String.join("", headers) + "Connection: close\r\n\r\n");
        }
    }

    private static RawWebSocket.Response upgrade(String... headers) throws IOException {
        try (RawWebSocket raw = new RawWebSocket(f.web)) {
            return raw.exchange(RawWebSocket.upgradeRequest(f.web) + String.join("", headers) + "\r\n");
        }
    }

    @Test
    void thePageIsServedAtTheRootWithStrictSecurityHeaders() throws IOException {
        RawWebSocket.Response page = get("/");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.header("Content-Type"));
        assertTrue(page.body().contains("<script type=\"module\" src=\"app.js\"></script>"), page.body());
        assertFalse(page.body().contains("<script>"), "no inline script: the policy would block it");
        assertFalse(page.body().contains("style="), "no inline style");
        String csp = page.header("Content-Security-Policy");
        assertNotNull(csp);
        for (String directive : List.of("default-src 'none'", "script-src 'self'", "style-src 'self'",
                "connect-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", "require-trusted-types-for 'script'")) {
            assertTrue(csp.contains(directive), () -> csp + " lacks " + directive);
        }
        assertFalse(csp.contains("unsafe"), csp);
        assertFalse(csp.contains("http"), () -> "no other origin: " + csp);
        assertEquals("nosniff", page.header("X-Content-Type-Options"));
        assertEquals("DENY", page.header("X-Frame-Options"));
        assertEquals("no-referrer", page.header("Referrer-Policy"));
        assertEquals("no-cache", page.header("Cache-Control"));
        assertNull(page.header("Set-Cookie"), "no cookies: authentication is in Hello");
    }

    @Test
    void everyFileOfThePageIsServedWithItsTypeAndNothingElse() throws IOException {
        for (String name : StaticFiles.NAMES) {
            RawWebSocket.Response file = get("/" + name + "?v=1");
            assertEquals(200, file.status(), name);
            String type = file.header("Content-Type");
            assertTrue(name.endsWith(".js") ? type.startsWith("text/javascript")
                    : name.endsWith(".css") ? type.startsWith("text/css")
                    : name.endsWith(".svg") ? type.equals("image/svg+xml") : type.startsWith("text/html"), name + ": " + type);
            assertNotNull(file.header("Content-Security-Policy"), name);
        }
        for (String path : List.of("/nope", "/../pom.xml", "/dev/hotpochato/server/web/page/app.js", "/app.js/",
                "/%61pp.js", "/WEB-INF", "/ws/x", "/log4j2.xml")) {
            RawWebSocket.Response missing = get(path);
            assertEquals(404, missing.status(), path);
            assertNotNull(missing.header("X-Content-Type-Options"), "refusals carry the security headers too");
        }
    }

    @Test
    void aFileUnchangedSinceItWasFetchedIsNotSentAgain() throws IOException {
        String etag = get("/app.js").header("ETag");
        assertNotNull(etag);
        RawWebSocket.Response again = get("/app.js", "If-None-Match: " + etag + "\r\n");
        assertEquals(304, again.status());
        assertEquals("", again.body());
    }

    @Test
    void headIsGetWithoutTheBodyAndOtherMethodsAreRefused() throws IOException {
        try (RawWebSocket raw = new RawWebSocket(f.web)) {
            raw.send("HEAD /style.css HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            RawWebSocket.Response head = raw.readResponse(true);
            assertEquals(200, head.status());
            assertTrue(Integer.parseInt(head.header("Content-Length")) > 0);
            // The body is not sent: the next response follows the head directly on the same connection.
            RawWebSocket.Response post = raw.exchange("POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                    + "Connection: close\r\n\r\nhi");
            assertEquals(405, post.status());
            assertEquals("GET, HEAD", post.header("Allow"));
        }
    }

    @Test
    void theWebSocketPathWithoutAnUpgradeIsUpgradeRequired() throws IOException {
        assertEquals(426, get("/ws").status());
    }

    @Test
    void anUpgradeFromAPageOfAnotherSiteIsForbidden() throws IOException {
        RawWebSocket.Response refused = upgrade("Origin: https://evil.example\r\n",
                "Sec-WebSocket-Protocol: hotpochato.v1.json\r\n");
        assertEquals(403, refused.status());
        assertTrue(refused.body().startsWith("origin not allowed: https://evil.example"), refused.body());
        assertEquals("close", refused.header("Connection"));
    }

    @Test
    void anUpgradeFromTheServersOwnPageFromAnAllowedOriginOrFromNoPageIsAccepted() throws IOException {
        for (String origin : List.of("Origin: http://127.0.0.1:" + f.web.getPort() + "\r\n",
                "Origin: https://chat.example.com\r\n", "")) {
            RawWebSocket.Response accepted = upgrade(origin, "Sec-WebSocket-Protocol: hotpochato.v1.proto\r\n");
            assertEquals(101, accepted.status(), origin);
            assertEquals("hotpochato.v1.proto", accepted.header("Sec-WebSocket-Protocol"));
        }
        // The same host on another port is another origin.
        assertEquals(403, upgrade("Origin: http://127.0.0.1:1\r\n", "Sec-WebSocket-Protocol: hotpochato.v1.proto\r\n")
                .status());
        assertEquals(403, upgrade("Origin: null\r\n", "Sec-WebSocket-Protocol: hotpochato.v1.proto\r\n").status());
    }

    @Test
    void anUpgradeWithoutASubprotocolThisServerSpeaksIsABadRequestNamingThem() throws IOException {
        for (String protocol : List.of("Sec-WebSocket-Protocol: chat, superchat\r\n", "")) {
            RawWebSocket.Response refused = upgrade(protocol);
            assertEquals(400, refused.status(), protocol);
            assertEquals("Sec-WebSocket-Protocol must name one of: hotpochato.v1.proto, hotpochato.v1.json\n",
                    refused.body());
        }
        // The client's first choice that the server speaks wins.
        assertEquals("hotpochato.v1.json", upgrade("Sec-WebSocket-Protocol: chat, hotpochato.v1.json, hotpochato.v1.proto\r\n")
                .header("Sec-WebSocket-Protocol"));
    }

    @Test
    void anUnsupportedWebSocketVersionIsUpgradeRequiredNamingVersion13() throws IOException {
        try (RawWebSocket raw = new RawWebSocket(f.web)) {
            RawWebSocket.Response refused = raw.exchange(RawWebSocket.upgradeRequest(f.web)
                    .replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8") // hybi-10, an old draft
                    + "Sec-WebSocket-Protocol: hotpochato.v1.json\r\n\r\n");
            assertEquals(426, refused.status());
            assertEquals("13", refused.header("Sec-WebSocket-Version"));
        }
    }

    @Test
    void oversizedRequestsAreRefusedWithTheirStatus() throws IOException {
        assertEquals(414, get("/" + "a".repeat(WebInitializer.MAX_REQUEST_LINE)).status());
        assertEquals(431, get("/", "X-Big: " + "b".repeat(WebInitializer.MAX_REQUEST_HEADERS) + "\r\n").status());
        try (RawWebSocket raw = new RawWebSocket(f.web)) {
            RawWebSocket.Response tooBig = raw.exchange("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + (WebInitializer.MAX_REQUEST_BODY + 1) + "\r\n\r\n");
            assertEquals(413, tooBig.status());
        }
    }

    @Test
    void theWebPortServesTlsWhenTheServerDoes() throws Exception {
        SelfSignedCertificate cert = new SelfSignedCertificate("localhost");
        try (WebFixture tls = new WebFixture(ServerOptions.builder()
                .tls(cert.certificate().toPath(), cert.privateKey().toPath()))) {
            assertTrue(tls.server.webUrl().startsWith("https://"), tls.server.webUrl());
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("server", (X509Certificate) cert.cert());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            InetSocketAddress web = tls.web;
            try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket(web.getAddress(), web.getPort())) {
                socket.setSoTimeout(RawWebSocket.TIMEOUT_MILLIS);
                socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(response.startsWith("HTTP/1.1 200 OK"), response);
                assertTrue(response.contains("app.js"));
            }
        } finally {
            cert.delete();
        }
    }

    @Test
    void theServerPrintsThePagesAddress() {
        assertEquals("http://127.0.0.1:" + f.web.getPort() + "/", f.server.webUrl());
    }
}
