package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.Said;
import dev.hotpochato.protocol.v1.ServerFrame;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

class FramesTest {

    @Test
    void requestIdPrependedToASerializedFrameIsWhatSerializingWithTheIdGives() {
        ServerFrame said = ServerFrame.newBuilder().setSaid(Said.newBuilder()
                .setRoom("lobby").setSeq(12).setSpeaker("alice").setText("héllo").setTimeMs(1_700_000_000_000L).setTurn(9))
                .build();
        byte[] withoutId = said.toByteArray();
        for (long id : new long[] {1, 127, 128, 300, 1L << 35, Long.MAX_VALUE, -1}) {
            assertArrayEquals(said.toBuilder().setRequestId(id).build().toByteArray(),
                    Frames.withRequestId(withoutId, id), "request id " + id);
        }
    }
}
