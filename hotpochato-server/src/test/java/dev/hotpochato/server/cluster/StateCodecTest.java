package dev.hotpochato.server.cluster;

import dev.hotpochato.server.room.rules.EndRule;
import dev.hotpochato.server.room.rules.Floor;
import dev.hotpochato.server.room.rules.FloorRules;
import dev.hotpochato.server.room.rules.FloorState;
import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.RoomCommand;
import dev.hotpochato.server.room.rules.RoomOutcome;
import dev.hotpochato.server.room.rules.RoomRules;
import dev.hotpochato.server.room.rules.TurnPolicy;
import dev.hotpochato.server.room.rules.RoomEvent;
import dev.hotpochato.server.room.rules.RoomMember;
import dev.hotpochato.server.room.rules.RoomSettings;
import dev.hotpochato.server.room.rules.RoomState;
import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void aCommitsOriginIsReadWithoutDecodingTheRest() {
        // A node drops its own commits from the channel by this alone: it must agree with the full decoding.
        for (long origin : new long[] {1, 42, 0x1bb74f7L, 0x80L << 48 | 0xff, Long.MAX_VALUE}) {
            byte[] published = StateCodec.commit(origin, STATE, List.of());
            assertEquals(origin, StateCodec.origin(published));
            assertEquals(StateCodec.commit(published).origin(), StateCodec.origin(published));
        }
    }

    @Test
    void anUnknownFormatIsRefusedNotMisread() {
        byte[] bytes = StateCodec.state(STATE);
        bytes[0] = StateCodec.FORMAT + 1;
        assertThrows(IllegalStateException.class, () -> StateCodec.state(bytes));
    }

    // ------------------------------------------------------------------ the floor, driven by the rules

    /** Every state the rules reach in the scenarios below, and every event they make, round-tripped as they go. */
    private final List<RoomState> seen = new ArrayList<>();
    private final Set<Class<?>> eventKinds = new HashSet<>();
    private final RoomOutcome out = new RoomOutcome();
    private RoomState state;
    private long now = 1_700_000_000_000L;

    private void apply(RoomCommand c) {
        RoomRules.apply(state, c, now, out);
        state = out.state();
        for (RoomEvent e : out.events()) {
            eventKinds.add(e.getClass());
            assertEquals(e, StateCodec.event(StateCodec.event(e)), "event " + e);
        }
        if (state != null) {
            seen.add(state.copy());
            assertSameState(state, StateCodec.state(StateCodec.state(state)));
            StateCodec.Commit commit = StateCodec.commit(StateCodec.commit(3, state, out.events()));
            assertSameState(state, commit.state());
            assertEquals(out.events(), commit.events());
            if (state.isClosed()) {
                state = null; // gone, as for a store
            }
        }
    }

    private static void assertSameState(RoomState expected, RoomState actual) {
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.settings(), actual.settings(), "settings, floor rules included");
        assertEquals(expected.isPrivate(), actual.isPrivate());
        assertEquals(expected.creatorSessionId(), actual.creatorSessionId());
        assertEquals(expected.members(), actual.members());
        assertEquals(List.copyOf(expected.invited()), List.copyOf(actual.invited()));
        assertEquals(expected.holderIndex(), actual.holderIndex());
        assertEquals(expected.turn(), actual.turn());
        assertEquals(expected.deadlineMillis(), actual.deadlineMillis());
        assertEquals(expected.seq(), actual.seq());
        assertEquals(expected.isClosed(), actual.isClosed());
        assertEquals(expected.version(), actual.version());
        assertEquals(expected.floor(), actual.floor(), "the floor");
        assertEquals(expected.view(), actual.view());
        assertEquals(expected.wakeAtMillis(), actual.wakeAtMillis());
        assertEquals(expected.toString(), actual.toString());
    }

    private static RoomSettings settings(FloorRules rules) {
        return new RoomSettings(30_000, 10, "", false, 1024, 64, rules);
    }

    private void join(long id, String name, RoomSettings settings, boolean audience) {
        apply(new RoomCommand.Join(state == null ? "r" : state.name(), id, name, id * 10, "", true, settings, audience));
    }

    @Test
    void everyFloorStateTheRulesReachComesBackExactly() {
        // Round robin: audience, moves, mutes, chairs, messages per turn, a warning, and AND-ed end rules.
        RoomSettings rr = settings(new FloorRules(TurnPolicy.ROUND_ROBIN, 2, 5_000, 6, 600_000, "Good Night", true));
        join(1, "ann", rr, false);
        join(2, "ben", rr, false);
        join(3, "cat", rr, true);
        join(4, "dan", rr, false);
        apply(new RoomCommand.Say("r", 1, 11, "one"));
        now += 26_000;
        apply(new RoomCommand.Wake("r")); // the warning
        apply(new RoomCommand.Say("r", 1, 12, "two: good night"));
        apply(new RoomCommand.RaiseHand("r", 3, 13));
        apply(new RoomCommand.Move("r", 1, 14, "cat", false));
        apply(new RoomCommand.Mute("r", 1, 15, "dan", true));
        apply(new RoomCommand.AppointChair("r", 1, 16, "ben"));
        apply(new RoomCommand.Move("r", 2, 17, "ann", true));
        apply(new RoomCommand.Pass("r", 2, 18));
        apply(new RoomCommand.Away("r", 3));
        apply(new RoomCommand.Back("r", 3, 0));
        apply(new RoomCommand.Invite("r", 1, 19, "eve"));
        now += 600_000;
        apply(new RoomCommand.Wake("r")); // time is up, but the turns are not: AND waits
        apply(new RoomCommand.Remove("r", 1, 20, "dan", "bye"));
        for (int i = 0; i < 20 && state != null; i++) {
            RoomState s = state;
            apply(new RoomCommand.ExpireTurn("r", s.turn()));
        }
        assertNull(state, "the room ended once every rule held");

        // A queue, with a pending request behind the holder, withdrawals and a member away.
        state = null;
        RoomSettings queue = settings(new FloorRules(TurnPolicy.QUEUE, 1, 0, 0, 0, "", false));
        join(1, "ann", queue, false);
        join(2, "ben", queue, false);
        join(3, "cat", queue, false);
        apply(new RoomCommand.RaiseHand("r", 2, 21));
        apply(new RoomCommand.RaiseHand("r", 3, 22));
        apply(new RoomCommand.RaiseHand("r", 1, 23));
        apply(new RoomCommand.Withdraw("r", 1, 24));
        apply(new RoomCommand.Away("r", 3));
        apply(new RoomCommand.Say("r", 2, 25, "hi"));
        apply(new RoomCommand.Leave("r", 1, 26, LeaveReason.LEFT)); // the chair leaves: succession

        // Moderated: grants with talk time, a revoke, a deny, a mute of the holder, the room's time.
        state = null;
        RoomSettings moderated = settings(new FloorRules(TurnPolicy.MODERATED, 3, 1_000, 0, 60_000, "", false, 5_000));
        join(1, "ann", moderated, false);
        join(2, "ben", moderated, false);
        join(3, "cat", moderated, false);
        join(4, "dan", moderated, true);
        apply(new RoomCommand.RaiseHand("r", 2, 31));
        apply(new RoomCommand.RaiseHand("r", 3, 32));
        apply(new RoomCommand.RaiseHand("r", 4, 33));
        apply(new RoomCommand.Grant("r", 1, 34, "", 10_000));
        apply(new RoomCommand.Say("r", 2, 35, "first of three"));
        apply(new RoomCommand.Revoke("r", 1, 36, "enough")); // with a grace: ben may finish
        assertTrue(state.floor().finishing());
        apply(new RoomCommand.Pass("r", 2, 361));
        apply(new RoomCommand.Deny("r", 1, 37, "cat", "not now"));
        apply(new RoomCommand.Grant("r", 1, 38, "dan", 0));
        apply(new RoomCommand.Mute("r", 1, 39, "dan", true));
        apply(new RoomCommand.Mute("r", 1, 40, "dan", false));
        apply(new RoomCommand.StepDown("r", 1, 401)); // the last chair steps down: ben succeeds
        now += 60_000;
        apply(new RoomCommand.Wake("r"));
        assertNull(state, "the room's time ran out");

        // A member skipped, a stop phrase alone; then a pair's private room.
        state = null;
        RoomSettings phrase = settings(new FloorRules(TurnPolicy.ROUND_ROBIN, 1, 0, 0, 0, "STOP", false));
        join(1, "ann", phrase, false);
        join(2, "ben", phrase, false);
        join(3, "cat", phrase, false);
        apply(new RoomCommand.Away("r", 2));
        apply(new RoomCommand.Say("r", 1, 41, "ben is away: skipped"));
        apply(new RoomCommand.Say("r", 3, 42, "please stop"));
        assertNull(state);
        state = null;
        apply(new RoomCommand.AdmitPair("~pair-9", settings(FloorRules.DEFAULT).forPair(),
                new RoomCommand.Pairing(7, "xena", 51), new RoomCommand.Pairing(8, "yuri", 52)));
        apply(new RoomCommand.Close("~pair-9", "the server is shutting down"));

        Set<Class<?>> kinds = Set.of(RoomEvent.class.getPermittedSubclasses());
        assertEquals(kinds, eventKinds, "every kind of event was made and came back");
        assertEveryComponentVaried(Floor.class, Floor.created(0), seen.stream().map(RoomState::floor).toList());
        assertEveryComponentVaried(FloorRules.class, FloorRules.DEFAULT,
                seen.stream().map(s -> s.settings().floor()).toList());
    }

    /** A field the scenarios never set would round-trip whether or not the codec keeps it. */
    private static <T extends Record> void assertEveryComponentVaried(Class<T> type, T base, List<T> values) {
        for (RecordComponent c : type.getRecordComponents()) {
            boolean varied = values.stream().anyMatch(v -> !Objects.equals(read(c, v), read(c, base)));
            assertTrue(varied, type.getSimpleName() + "." + c.getName() + " is never set by the scenarios");
        }
    }

    private static Object read(RecordComponent c, Object record) {
        try {
            return c.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aStateWrittenBeforeTheFloorWasKeptIsReadAsRoundRobinWithItsCreatorAsChair() throws Exception {
        // Format 1, as the first cluster nodes wrote it: no floor rules, no floor.
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
            out.writeByte(1);
            writeString(out, "tea");
            out.writeLong(30_000);
            out.writeInt(8);
            writeString(out, "");
            out.writeBoolean(false);
            out.writeInt(1024);
            out.writeInt(64);
            out.writeBoolean(false);
            out.writeLong(7);
            out.writeInt(2);
            for (long id : new long[] {7, 8}) {
                out.writeLong(id);
                writeString(out, id == 7 ? "alice" : "bob");
                out.writeBoolean(false);
                out.writeLong(id == 7 ? 0 : 1);
            }
            out.writeInt(1);
            writeString(out, "alice");
            out.writeInt(1);
            out.writeLong(2);
            out.writeLong(0);
            out.writeLong(2);
            out.writeBoolean(false);
            out.writeLong(4);
        }
        RoomState back = StateCodec.state(bytes.toByteArray());
        assertEquals(FloorRules.DEFAULT, back.settings().floor());
        assertEquals(List.of(7L), back.floor().chairs());
        assertEquals(List.of(new RoomMember(7, "alice", false, 0), new RoomMember(8, "bob", false, 1)), back.members());
        assertEquals("bob", back.holder().name());
        assertEquals(4, back.version());
    }

    private static void writeString(java.io.DataOutputStream out, String s) throws java.io.IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }
}
