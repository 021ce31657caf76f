package dev.hotpochato.bench.jmh;

import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.net.ChannelOutput;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.Room;
import dev.hotpochato.server.room.RoomShard;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One broadcast to n members through the server's real {@code ChannelOutput} and sessions, over
 * channels whose pipelines end in a sink: the cost of the server's side of a broadcast without the
 * kernel. Beside it, the naive way (each member's copy encoded on its own) as a reference, and one
 * whole hand-off (Say in, Said and TurnGranted out to everyone).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class BroadcastBenchmark {

    @Param({"10", "100", "1000"})
    public int members;

    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final List<Participant> sessions = new ArrayList<>();
    private ChannelOutput output;
    private ServerFrame said;
    private Room room;

    @Setup
    public void setUp() {
        output = new ChannelOutput(PooledByteBufAllocator.DEFAULT);
        RoomShard shard = Fixtures.shard(output);
        for (int i = 0; i < members; i++) {
            EmbeddedChannel ch = Fixtures.sinkChannel();
            channels.add(ch);
            sessions.add(Fixtures.session(i + 1, "b" + i, ch));
        }
        said = Fixtures.said("fanout-" + members);
        room = Fixtures.room(shard, "fanout-" + members, sessions);
        output.flush();
        channels.forEach(EmbeddedChannel::runPendingTasks);
    }

    @TearDown
    public void tearDown() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** The server's broadcast: encoded once, a retained duplicate written and flushed to each member. */
    @Benchmark
    public void broadcast() {
        output.broadcast(sessions, said);
        output.flush();
    }

    /** Reference: the same frame written to each member as a message, so encoded once per member. */
    @Benchmark
    public void broadcastEncodingPerMember() {
        for (EmbeddedChannel ch : channels) {
            ch.writeAndFlush(said, ch.voidPromise());
        }
    }

    /** One hand-off: the holder's Say through the turn rules, then Said and TurnGranted to all members. */
    @Benchmark
    public long handoff() {
        room.say(room.holder(), 0, Fixtures.TEXT);
        output.flush();
        return room.turn();
    }
}
