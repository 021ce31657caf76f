package dev.hotpochato.protocol;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Say;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProtocolLimitsTest {

    /** The largest Say a client may send: the longest request id, the longest room name of four-byte characters. */
    private static int largestSay(int textBytes) {
        String room = "\uD83D\uDE00".repeat(ProtocolLimits.MAX_ROOM_NAME_CHARS);
        return ClientFrame.newBuilder().setRequestId(-1L)
                .setSay(Say.newBuilder().setRoom(room).setText("x".repeat(textBytes)))
                .build().getSerializedSize();
    }

    @Test
    void theSayEnvelopeIsWhatALongestSayTakesBesidesItsText() {
        // Up to 16 MiB texts the lengths take at most the four bytes the allowance counts; below
        // 2^21 they take three, and below 2^14 two.
        assertEquals(4096 + ProtocolLimits.SAY_ENVELOPE_BYTES - 2 * 2, largestSay(4096));
        int large = 16 * 1024 * 1024 - ProtocolLimits.SAY_ENVELOPE_BYTES;
        assertEquals(large + ProtocolLimits.SAY_ENVELOPE_BYTES, largestSay(large));
    }
}
