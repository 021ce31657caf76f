package dev.hotpochato.server.web;

import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web port's options: off by default, checked when set. */
class WebOptionsTest {

    @Test
    void theWebPortIsOffUnlessAskedFor() {
        ServerOptions o = ServerOptions.defaults();
        assertEquals(ServerOptions.HTTP_OFF, o.httpPort());
        assertTrue(o.allowedOrigins().isEmpty());
        assertEquals(ServerOptions.HTTP_OFF, ServerOptions.builder().httpPort(7480).httpPort(-1).build().httpPort());
    }

    @Test
    void theWebPortIsAPortAndNotTheMainOne() {
        assertEquals(0, ServerOptions.builder().httpPort(0).build().httpPort());
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.builder().httpPort(65536));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.builder().httpPort(-2));
        IllegalArgumentException same = assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.builder().port(7447).httpPort(7447).build());
        assertTrue(same.getMessage().contains("httpPort must differ from port"), same.getMessage());
    }

    @Test
    void allowedOriginsAreSchemeHostAndPortInLowerCaseOrStar() {
        ServerOptions o = ServerOptions.builder()
                .allowedOrigins(List.of(" HTTPS://Chat.Example.com ", "http://localhost:3000", "*")).build();
        assertEquals(List.of("https://chat.example.com", "http://localhost:3000", "*"), o.allowedOrigins());
        for (String bad : List.of("chat.example.com", "ftp://chat.example.com", "https://chat.example.com/path",
                "https://user@chat.example.com", "https://chat.example.com?x=1", "null", "")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ServerOptions.builder().allowedOrigins(List.of(bad)), bad);
            assertTrue(e.getMessage().contains("like https://chat.example.com"), e.getMessage());
        }
    }

    @Test
    void theWebOptionsSurviveToBuilder() {
        ServerOptions o = ServerOptions.builder().httpPort(7480).allowedOrigins(List.of("https://a.example")).build();
        assertEquals(o.httpPort(), o.toBuilder().build().httpPort());
        assertEquals(o.allowedOrigins(), o.toBuilder().build().allowedOrigins());
    }
}
