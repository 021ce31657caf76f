package dev.hotpochato.client;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Bad settings fail with a message in plain words and the setting's stable name, which a program maps to its own words. */
class OptionsTest {

    private static void assertInvalid(String option, String message, org.junit.jupiter.api.function.Executable build) {
        InvalidOptionException e = assertThrows(InvalidOptionException.class, build);
        assertEquals(option, e.option());
        assertEquals(message, e.getMessage());
        // The reason reads after any name: "--port must be between ...".
        assertEquals(message.substring(message.indexOf(" must ") + 1), e.reason());
    }

    @Test
    void clientOptionsSpeakInPlainWordsAndNameTheSetting() {
        assertInvalid("displayName", "the display name must not be empty", () -> ClientOptions.builder(""));
        assertInvalid("port", "the server port must be between 1 and 65535, not 70000",
                () -> ClientOptions.builder("a").port(70000));
        assertInvalid("host", "the server host must not be empty", () -> ClientOptions.builder("a").host(" "));
        assertInvalid("requestTimeout", "the request timeout must be positive, not 0 ms",
                () -> ClientOptions.builder("a").requestTimeout(Duration.ZERO));
        assertInvalid("handshakeTimeout", "the handshake timeout must be positive, not -1 s",
                () -> ClientOptions.builder("a").handshakeTimeout(Duration.ofSeconds(-1)));
        assertInvalid("historySize", "the history size must not be negative, not -1",
                () -> ClientOptions.builder("a").historySize(-1));
        assertInvalid("addresses", "the server address list must name at least one server",
                () -> ClientOptions.builder("a").addresses(List.of()));
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ClientOptions.builder("a")
                .reconnectDelay(Duration.ofSeconds(5)).maxReconnectDelay(Duration.ofMillis(100)).build());
        assertEquals("maxReconnectDelay", e.option());
        assertEquals("the longest reconnect delay (100 ms) must not be shorter than the reconnect delay (5 s)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClientOptions.builder(null),
                "still an IllegalArgumentException for code that catches those");
    }

    @Test
    void joinAndTlsOptionsToo() {
        assertInvalid("turnTimeout", "the turn timeout must be between 0 and 24 days, not -30 min",
                () -> JoinOptions.builder().turnTimeout(Duration.ofMinutes(-30)));
        assertInvalid("maxMembers", "the most members must not be negative, not -2",
                () -> JoinOptions.builder().maxMembers(-2));
        InvalidOptionException e = assertThrows(InvalidOptionException.class,
                () -> TlsOptions.builder().trustedCertificates(Path.of("/no/such/file.pem")));
        assertEquals("trustedCertificates", e.option());
        assertEquals("the trusted certificates file /no/such/file.pem cannot be read", e.getMessage());
        assertEquals("cannot be read", e.reason());
    }

    @Test
    void serverAddressesAreReadLikeOtherClientsReadThem() {
        assertEquals(List.of(new ServerAddress("a.example.org", 7447), new ServerAddress("b", 9000),
                        new ServerAddress("::1", 7447), new ServerAddress("fe80::1", 8000)),
                ServerAddress.parseList("a.example.org, b:9000,[::1],[fe80::1]:8000", 7447));
        assertEquals("[::1]:7447", new ServerAddress("::1", 7447).toString());
        InvalidOptionException e = assertThrows(InvalidOptionException.class, () -> ServerAddress.parse("a:b", 7447));
        assertEquals("address", e.option());
        assertEquals("the server address 'a:b' has a port that is not a number", e.getMessage());
        assertEquals("is an IPv6 address without brackets: write [::1]:PORT",
                assertThrows(InvalidOptionException.class, () -> ServerAddress.parse("::1", 7447)).reason());
        assertEquals("must name at least one server",
                assertThrows(InvalidOptionException.class, () -> ServerAddress.parseList(" , ", 7447)).reason());
    }

    @Test
    void mutateMakesAChangedCopyAndLeavesTheOriginal() {
        ClientOptions a = ClientOptions.builder("alice").port(1234).autoRejoin(true).build();
        ClientOptions b = a.mutate().displayName("bob").build();
        assertEquals("alice", a.displayName());
        assertEquals("bob", b.displayName());
        assertEquals(a.addresses(), b.addresses());
        assertEquals(true, b.autoRejoin());
    }
}
