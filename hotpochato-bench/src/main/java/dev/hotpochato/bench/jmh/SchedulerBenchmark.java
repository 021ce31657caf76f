package dev.hotpochato.bench.jmh;

import dev.hotpochato.server.room.Room;
import dev.hotpochato.server.room.RoomShard;
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
 * One scheduler step: a holder's Say through the room's turn rules (who may speak, the next
 * holder, sequence numbers) including building the Said and TurnGranted frames, with an output
 * that sends nothing. The part of a hand-off that is pure rules.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SchedulerBenchmark {

    @Param({"2", "64"})
    public int members;

    private Room room;

    @Setup
    public void setUp() {
        RoomShard shard = Fixtures.shard(new Fixtures.Discard());
        List<Fixtures.Member> list = new ArrayList<>();
        for (int i = 0; i < members; i++) {
            list.add(new Fixtures.Member(i + 1, "b" + i));
        }
        room = Fixtures.room(shard, "sched-" + members, list);
    }

    @Benchmark
    public long sayStep() {
        room.say(room.holder(), 0, Fixtures.TEXT);
        return room.turn();
    }
}
