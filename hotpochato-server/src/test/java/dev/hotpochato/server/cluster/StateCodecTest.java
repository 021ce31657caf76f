package dev.hotpochato.server.cluster;

import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.RoomEvent;
import dev.hotpochato.server.room.rules.RoomMember;
import dev.hotpochato.server.room.rules.RoomSettings;
import dev.hotpochato.server.room.rules.RoomState;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StateCodecTest {

    private static final RoomState STATE = RoomState.restore("tea ☕", new RoomSettings(30_000, 8, "s3cret", true, 1024, 64),
            false, 7, List.of(new RoomMember(7, "alice", false, 0), new RoomMember(1L << 33, "bøb", true, 2)),
            List.of("alice", "bøb", "carol"), 1, 5, 1_700_000_000_000L, 12, false, 9);

    @Test
    void aStateComesBackAsItWas() {
        RoomState back = StateCodec.state(StateCodec.state(STATE));
        assertEquals(STATE.toString(), back.toString());
        assertEquals(STATE.settings(), back.settings());
        assertEquals(STATE.members(), back.members());
        assertEquals(List.copyOf(STATE.invited()), List.copyOf(back.invited()));
        assertEquals(STATE.creatorSessionId(), back.creatorSessionId());
        assertEquals(STATE.deadlineMillis(), back.deadlineMillis());
        assertEquals(STATE.version(), back.version());
    }

    @Test
    void everyKindOfEventComesBackAsItWas() {
        List<RoomEvent> events = List.of(
                new RoomEvent.MemberJoined(1, 7, "alice"),
                new RoomEvent.MemberLeft(2, 8, "bob", LeaveReason.TIMED_OUT),
                new RoomEvent.TurnGranted(3, 7, "alice", 4, 1_700_000_000_000L, 30_000),
                new RoomEvent.Said(4, 7, "alice", "héllo\n\u0000 world", 1_700_000_000_001L, 4),
                new RoomEvent.Passed(5, 7, "alice", 5),
                new RoomEvent.TurnExpired(6, 7, "alice", 6),
                new RoomEvent.TurnSkipped(7, 7, "alice", 7),
                new RoomEvent.MemberAway(8, 7, "alice"),
                new RoomEvent.MemberBack(9, 7, "alice"),
                new RoomEvent.RoomClosed(10, "the server is shutting down"),
                new RoomEvent.RoomClosed(11, null));
        for (RoomEvent e : events) {
            assertEquals(e, StateCodec.event(StateCodec.event(e)));
        }
        StateCodec.Commit c = StateCodec.commit(StateCodec.commit(42, STATE, events));
        assertEquals(42, c.origin());
        assertEquals(events, c.events());
        assertEquals(STATE.toString(), c.state().toString());
        assertNull(StateCodec.commit(StateCodec.commit(1, null, events)).state());
    }

    @Test
    void anUnknownFormatIsRefusedNotMisread() {
        byte[] bytes = StateCodec.state(STATE);
        bytes[0] = 2;
        assertThrows(IllegalStateException.class, () -> StateCodec.state(bytes));
    }
}
