package dev.hotpochato.bench.jmh;

import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.net.ChannelOutput;
import dev.hotpochato.server.room.MemoryRoomStore;
import dev.hotpochato.server.room.Participant;
import io.netty.buffer.ByteBuf;
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
 * One broadcast to n members through the server's real {@code ChannelOutput}, over channels whose
 * pipelines end in a sink: the cost of the server's side of a broadcast without the kernel. Beside
 * it, the naive way (each member's copy encoded on its own) as a reference, and one whole hand-off
 * through the in-memory store (Say in; rules, Said and TurnGranted encoded once, kept, and written to
 * everyone).
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
    private MemoryRoomStore store;
    private String room;
    /** Index in {@link #sessions} of the holder: turns go round in join order. */
    private int holder;

    @Setup
    public void setUp() {
        output = new ChannelOutput();
        store = Fixtures.store(output);
        for (int i = 0; i < members; i++) {
            EmbeddedChannel ch = Fixtures.sinkChannel();
            channels.add(ch);
            sessions.add(Fixtures.session(i + 1, "b" + i, ch));
        }
        said = Fixtures.said("fanout-" + members);
        room = "fanout-" + members;
        Fixtures.room(store, room, sessions);
        output.flush();
        channels.forEach(EmbeddedChannel::runPendingTasks);
    }

    @TearDown
    public void tearDown() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** The server's broadcast: encoded once, a duplicate written and flushed to each member. */
    @Benchmark
    public void broadcast() {
        ByteBuf encoded = FrameEncoder.encode(PooledByteBufAllocator.DEFAULT, said);
        for (int i = 0; i < sessions.size(); i++) {
            encoded.retain();
            output.write(sessions.get(i), encoded.duplicate());
        }
        encoded.release();
        output.flush();
    }

    /** Reference: the same frame written to each member as a message, so encoded once per member. */
    @Benchmark
    public void broadcastEncodingPerMember() {
        for (EmbeddedChannel ch : channels) {
            ch.writeAndFlush(said, ch.voidPromise());
        }
    }

    /** One hand-off: the holder's Say through the store, then Said and TurnGranted to all members. */
    @Benchmark
    public int handoff() {
        store.say(sessions.get(holder), 0, room, Fixtures.TEXT);
        holder = (holder + 1) % members;
        return holder;
    }
}
