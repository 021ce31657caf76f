package dev.hotpochato.server.room.wire;

import dev.hotpochato.protocol.v1.RoomOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which room options a Join may ask for under the server's cap on turn timeouts. */
class WireOptionsTest {

    private static final long CAP = 600_000;

    private static RoomOptions turns(int millis) {
        return RoomOptions.newBuilder().setTurnTimeoutMs(millis).build();
    }

    @Test
    void anUnsetTimeoutAsksForTheDefaultAndIsAlwaysAllowed() {
        assertNull(WireOptions.checkRequested(RoomOptions.getDefaultInstance(), CAP));
        assertNull(WireOptions.checkRequested(RoomOptions.newBuilder().setMaxMembers(3).build(), CAP));
    }

    @Test
    void aTimeoutUpToTheCapIsAllowed() {
        assertNull(WireOptions.checkRequested(turns(1), CAP));
        assertNull(WireOptions.checkRequested(turns(30_000), CAP));
        assertNull(WireOptions.checkRequested(turns((int) CAP), CAP));
    }

    @Test
    void aTimeoutAboveTheCapIsRefused() {
        assertNotNull(WireOptions.checkRequested(turns((int) CAP + 1), CAP));
        assertNotNull(WireOptions.checkRequested(turns(Integer.MAX_VALUE), CAP));
        assertNotNull(WireOptions.checkRequested(turns(-1), CAP), "uint32 4294967295 ms, not -1");
    }

    @Test
    void noTimeLimitIsRefusedWhileThereIsACap() {
        assertNotNull(WireOptions.checkRequested(turns(0), CAP));
    }

    @Test
    void withoutACapAnyTimeoutIsAllowedIncludingNoLimit() {
        assertNull(WireOptions.checkRequested(turns(0), 0));
        assertNull(WireOptions.checkRequested(turns(Integer.MAX_VALUE), 0));
        assertNull(WireOptions.checkRequested(turns(-1), 0));
    }
}
