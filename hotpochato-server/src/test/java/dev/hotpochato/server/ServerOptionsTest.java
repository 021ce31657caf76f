package dev.hotpochato.server;

import dev.hotpochato.protocol.ProtocolLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The options refuse a server whose own defaults break its own limits. */
class ServerOptionsTest {

    @Test
    void byDefaultTurnsAreCappedAtTenMinutes() {
        assertEquals(Duration.ofMinutes(10), ServerOptions.defaults().maxTurnTimeout());
    }

    @Test
    void aDefaultTurnTimeoutAboveTheCapIsRefusedSayingWhatToChange() {
        var e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.builder()
                .turnTimeout(Duration.ofMinutes(11)).build());
        assertEquals("turnTimeout (660000 ms) must not exceed maxTurnTimeout (600000 ms); "
                + "raise maxTurnTimeout, or set it to 0 for no cap", e.getMessage());
        ServerOptions.builder().turnTimeout(Duration.ofMinutes(10)).build();
        ServerOptions.builder().turnTimeout(Duration.ofMinutes(11)).maxTurnTimeout(Duration.ofMinutes(11)).build();
    }

    @Test
    void noDefaultTurnLimitNeedsNoCap() {
        var e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.builder()
                .turnTimeout(Duration.ZERO).build());
        assertEquals("turnTimeout 0 (no limit) needs maxTurnTimeout 0 (no cap), not 600000 ms", e.getMessage());
        ServerOptions.builder().turnTimeout(Duration.ZERO).maxTurnTimeout(Duration.ZERO).build();
    }

    @Test
    void theCapIsAPlainDuration() {
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.builder().maxTurnTimeout(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class,
                () -> ServerOptions.builder().maxTurnTimeout(Duration.ofMillis(Integer.MAX_VALUE + 1L)));
        assertEquals(Duration.ofHours(1),
                ServerOptions.builder().maxTurnTimeout(Duration.ofHours(1)).build().toBuilder().build().maxTurnTimeout());
    }

    @Test
    void theLongestTextFitsInAFrameWithTheLongestSayEnvelope() {
        int frame = 4096;
        ServerOptions.builder().maxFrameBytes(frame).maxTextBytes(frame - ProtocolLimits.SAY_ENVELOPE_BYTES).build();
        var e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.builder().maxFrameBytes(frame)
                .maxTextBytes(frame - ProtocolLimits.SAY_ENVELOPE_BYTES + 1).build());
        assertEquals("maxTextBytes (3817) must leave room for the 280 bytes of a Say frame's envelope within "
                + "maxFrameBytes (4096)", e.getMessage());
    }
}
