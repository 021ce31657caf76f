package dev.hotpochato.bench.jmh;

import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.Said;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.net.Connected;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.Room;
import dev.hotpochato.server.room.RoomOutput;
import dev.hotpochato.server.room.RoomSettings;
import dev.hotpochato.server.room.RoomShard;
import dev.hotpochato.server.room.TurnClock;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;

import java.util.List;

/** What the microbenchmarks are made of: realistic frames, rooms on the calling thread, sink channels. */
final class Fixtures {

    static final String TEXT = "hot potato! hot potato! hot pota"; // 32 bytes, as the load scenarios say
    static final RoomSettings SETTINGS = new RoomSettings(0, 1_000_000, "", false, 4096, 256);

    private Fixtures() {
    }

    static ServerFrame said(String room) {
        return ServerFrame.newBuilder().setSaid(Said.newBuilder().setRoom(room).setSeq(123_456).setSpeaker("b7")
                .setText(TEXT).setTimeMs(1_767_225_600_000L).setTurn(61_728)).build();
    }

    /** A clock that never fires: rooms here have no turn timeout. */
    static final TurnClock CLOCK = new TurnClock() {
        @Override
        public long currentTimeMillis() {
            return 1_767_225_600_000L;
        }

        @Override
        public Cancellable schedule(Runnable task, long delayMillis) {
            return () -> { };
        }
    };

    /** A shard whose "event loop" is the calling thread, so a benchmark thread owns its rooms. */
    static RoomShard shard(RoomOutput output) {
        return new RoomShard(Runnable::run, CLOCK, output);
    }

    /** Joins {@code members} to a new room called {@code name} on {@code shard} and returns the room. */
    static Room room(RoomShard shard, String name, List<? extends Participant> members) {
        for (Participant p : members) {
            shard.join(name, RoomOptions.getDefaultInstance(), SETTINGS, p, 0, "");
        }
        return shard.findVisible(name, members.get(0));
    }

    /** A channel whose outbound end frees whatever reaches it: writes cost what the pipeline costs, no I/O. */
    static EmbeddedChannel sinkChannel() {
        return new EmbeddedChannel(Sink.INSTANCE, FrameEncoder.INSTANCE);
    }

    /** A member connected through {@code channel}: what the server's {@code ChannelOutput} writes to. */
    static Participant session(long id, String name, Channel channel) {
        return new Member(id, name, channel);
    }

    /** A participant that only is someone (and, for the output, has a channel): no bookkeeping. */
    record Member(long sessionId, String name, Channel channel) implements Connected {
        /** A member for the turn rules alone, which never write to a channel. */
        Member(long sessionId, String name) {
            this(sessionId, name, null);
        }

        @Override
        public boolean tryTakeRoomSlot() {
            return true;
        }

        @Override
        public void releaseRoomSlot() {
        }

        @Override
        public void joined(Room room) {
        }

        @Override
        public void left(Room room) {
        }
    }

    /** An output that builds nothing more and sends nothing: isolates the turn rules. */
    static final class Discard implements RoomOutput {
        long frames;

        @Override
        public void broadcast(List<? extends Participant> to, ServerFrame frame) {
            frames += to.size();
        }

        @Override
        public void send(Participant to, ServerFrame frame) {
            frames++;
        }

        @Override
        public void broadcast(List<? extends Participant> to, byte[] serializedFrame) {
            frames += to.size();
        }

        @Override
        public void send(Participant to, byte[] serializedFrame) {
            frames++;
        }
    }

    @ChannelHandler.Sharable
    private static final class Sink extends ChannelOutboundHandlerAdapter {
        static final Sink INSTANCE = new Sink();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ReferenceCountUtil.release(msg);
            promise.trySuccess();
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            // Nothing was kept, so there is nothing to flush.
        }
    }
}
