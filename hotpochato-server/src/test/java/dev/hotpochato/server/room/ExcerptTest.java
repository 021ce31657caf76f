package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one rule for quoting a request back: at most 64 code points, then "…". */
class ExcerptTest {

    @Test
    void shortTextIsQuotedWholeAndLongTextCutAtACodePoint() {
        String fits = "x".repeat(64);
        assertSame(fits, Frames.excerpt(fits));
        assertEquals("x".repeat(64) + "…", Frames.excerpt("x".repeat(65)));
        String smileys = "\uD83D\uDE00".repeat(64); // 128 chars, 64 code points: fits
        assertEquals(smileys, Frames.excerpt(smileys));
        assertEquals(smileys + "…", Frames.excerpt(smileys + "!"), "never half a surrogate pair");
    }

    @Test
    void everyErrorFrameQuotesItsRoomAsAnExcerptAndBoundsItsMessage() {
        ServerFrame e = Frames.error(1, Error.Code.UNKNOWN_ROOM, "m".repeat(10_000), "r".repeat(10_000));
        assertEquals("r".repeat(64) + "…", e.getError().getRoom());
        assertEquals(257, e.getError().getMessage().length(), "256 code points and the ellipsis");
        assertTrue(e.getSerializedSize() < 400);
    }
}
