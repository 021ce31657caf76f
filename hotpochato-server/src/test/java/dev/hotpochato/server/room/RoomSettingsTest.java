package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.RoomOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which room options a Join may ask for under the server's cap on turn timeouts. */
class RoomSettingsTest {

    private static final long CAP = 600_000;

    private static RoomOptions turns(int millis) {
        return RoomOptions.newBuilder().setTurnTimeoutMs(millis).build();
    }

    @Test
    void anUnsetTimeoutAsksForTheDefaultAndIsAlwaysAllowed() {
        assertNull(RoomSettings.checkRequested(RoomOptions.getDefaultInstance(), CAP));
        assertNull(RoomSettings.checkRequested(RoomOptions.newBuilder().setMaxMembers(3).build(), CAP));
    }

    @Test
    void aTimeoutUpToTheCapIsAllowed() {
        assertNull(RoomSettings.checkRequested(turns(1), CAP));
        assertNull(RoomSettings.checkRequested(turns(30_000), CAP));
        assertNull(RoomSettings.checkRequested(turns((int) CAP), CAP));
    }

    @Test
    void aTimeoutAboveTheCapIsRefused() {
        assertNotNull(RoomSettings.checkRequested(turns((int) CAP + 1), CAP));
        assertNotNull(RoomSettings.checkRequested(turns(Integer.MAX_VALUE), CAP));
        assertNotNull(RoomSettings.checkRequested(turns(-1), CAP), "uint32 4294967295 ms, not -1");
    }

    @Test
    void noTimeLimitIsRefusedWhileThereIsACap() {
        assertNotNull(RoomSettings.checkRequested(turns(0), CAP));
    }

    @Test
    void withoutACapAnyTimeoutIsAllowedIncludingNoLimit() {
        assertNull(RoomSettings.checkRequested(turns(0), 0));
        assertNull(RoomSettings.checkRequested(turns(Integer.MAX_VALUE), 0));
        assertNull(RoomSettings.checkRequested(turns(-1), 0));
    }
}
