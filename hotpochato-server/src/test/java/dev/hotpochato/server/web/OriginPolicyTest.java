package dev.hotpochato.server.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OriginPolicyTest {

    private final OriginPolicy sameOnly = new OriginPolicy(List.of());

    @Test
    void aPageOfTheServersOwnAddressAndPortMayConnectWhateverTheScheme() {
        assertTrue(sameOnly.allows("http://127.0.0.1:7480", "127.0.0.1:7480"));
        assertTrue(sameOnly.allows("http://LocalHost:7480", "localhost:7480"));
        assertTrue(sameOnly.allows("http://[::1]:7480", "[::1]:7480"));
        assertTrue(sameOnly.allows("http://192.168.1.20:7480", "192.168.1.20:7480"));
        // Behind a proxy that ends TLS: the page is https, the Host header the proxy passes on has no port.
        assertTrue(sameOnly.allows("https://10.0.0.5", "10.0.0.5"));
        assertTrue(sameOnly.allows("https://10.0.0.5", "10.0.0.5:443"));
    }

    @Test
    void aPageUnderADnsNameMustBeListedSinceAnySiteCanPointItsNameAtTheServer() {
        // DNS rebinding: evil.example resolves to the server's address, so Origin and Host agree.
        assertFalse(sameOnly.allows("http://evil.example:7480", "evil.example:7480"));
        assertFalse(sameOnly.allows("https://chat.example.com", "chat.example.com"));
        OriginPolicy listed = new OriginPolicy(List.of("https://chat.example.com"));
        assertTrue(listed.allows("https://chat.example.com", "chat.example.com"));
        assertFalse(listed.allows("http://evil.example:7480", "evil.example:7480"));
    }

    @Test
    void anotherHostOrPortIsAnotherOrigin() {
        assertFalse(sameOnly.allows("http://evil.example:7480", "chat.example.com:7480"));
        assertFalse(sameOnly.allows("http://chat.example.com:7481", "chat.example.com:7480"));
        assertFalse(sameOnly.allows("http://chat.example.com.evil.example", "chat.example.com"));
        assertFalse(sameOnly.allows("https://chat.example.com", "chat.example.com:80"));
        assertFalse(sameOnly.allows("http://chat.example.com", null));
    }

    @Test
    void opaqueAndMalformedOriginsAreRefused() {
        for (String origin : List.of("null", "file://", "chrome-extension://abc", "http://", "::", "http://a b")) {
            assertFalse(sameOnly.allows(origin, "localhost:7480"), origin);
        }
    }

    @Test
    void aRequestWithoutOriginIsNotFromABrowserPageAndIsLetThrough() {
        assertTrue(sameOnly.allows(null, "localhost:7480"));
    }

    @Test
    void listedOriginsAreAllowedExactlyAndStarAllowsAny() {
        OriginPolicy listed = new OriginPolicy(List.of("https://chat.example.com", "http://localhost:3000"));
        assertTrue(listed.allows("https://chat.example.com", "api.example.com"));
        assertTrue(listed.allows("HTTP://LOCALHOST:3000", "api.example.com"));
        assertFalse(listed.allows("http://chat.example.com", "api.example.com"));
        assertFalse(listed.allows("https://chat.example.com:8443", "api.example.com"));
        assertTrue(new OriginPolicy(List.of("*")).allows("https://anyone.example", "api.example.com"));
    }
}
