package dev.hotpochato.bench.jmh;

import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.Said;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.MemoryRoomStore;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.RoomOutput;
import dev.hotpochato.server.room.RoomShard;
import dev.hotpochato.server.room.TurnClock;
import dev.hotpochato.server.room.rules.RoomSettings;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
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

    /** A store of one shard whose "event loop" is the calling thread, so a benchmark thread owns its rooms. */
    static MemoryRoomStore store(RoomOutput output) {
        return new MemoryRoomStore(List.of(new RoomShard(Runnable::run, CLOCK, output, PooledByteBufAllocator.DEFAULT)),
                SETTINGS);
    }

    /** Joins {@code members} to a new room called {@code name}, in order: the first holds the first turn. */
    static void room(MemoryRoomStore store, String name, List<? extends Participant> members) {
        for (Participant p : members) {
            store.join(p, 0, name, SETTINGS, "");
        }
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
    record Member(long sessionId, String name, Channel channel) implements Participant {
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
        public void joined(String room) {
        }

        @Override
        public void left(String room) {
        }
    }

    /**
     * An output that sends nothing: isolates the store's own work (rules, encoding, history, a
     * duplicate of the encoded events per member). It keeps the last buffer it was given, so that
     * the JIT cannot optimise the duplicates away in some runs and not in others.
     */
    static final class Discard implements RoomOutput {
        long writes;
        ByteBuf last;

        @Override
        public void write(Participant to, ByteBuf frames) {
            writes++;
            last = frames;
            frames.release();
        }

        @Override
        public void flush() {
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
