package dev.hotpochato.bench.jmh;

import dev.hotpochato.server.room.MemoryRoomStore;
import dev.hotpochato.server.room.rules.RoomCommand;
import dev.hotpochato.server.room.rules.RoomOutcome;
import dev.hotpochato.server.room.rules.RoomRules;
import dev.hotpochato.server.room.rules.RoomState;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One scheduler step: a holder's Say. {@code sayStep} goes through the in-memory store with an
 * output that sends nothing: the turn rules, encoding Said and TurnGranted once and keeping them in
 * the history. {@code rulesStep} is the pure rules alone ({@code RoomRules.apply} on a room's state).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchedulerBenchmark {

    @Param({"2", "64"})
    public int members;

    private final List<Fixtures.Member> list = new ArrayList<>();
    private MemoryRoomStore store;
    private String room;
    private int holder;
    private RoomState state;
    private final RoomOutcome outcome = new RoomOutcome();

    @Setup
    public void setUp() {
        store = Fixtures.store(new Fixtures.Discard());
        for (int i = 0; i < members; i++) {
            list.add(new Fixtures.Member(i + 1, "b" + i));
        }
        room = "sched-" + members;
        Fixtures.room(store, room, list);
        state = store.inspect(room).join(); // a copy, stepped by rulesStep alone
    }

    @Benchmark
    public int sayStep() {
        store.say(list.get(holder), 0, room, Fixtures.TEXT);
        holder = (holder + 1) % members;
        return holder;
    }

    @Benchmark
    public long rulesStep() {
        RoomRules.apply(state, new RoomCommand.Say(room, state.holder().sessionId(), 0, Fixtures.TEXT),
                Fixtures.CLOCK.currentTimeMillis(), outcome);
        return outcome.events().size();
    }
}
