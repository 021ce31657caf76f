package dev.hotpochato.server.net;

import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.RoomOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers one shard's room frames to its members' connections.
 *
 * <p>A broadcast is encoded once into one buffer, and each member is queued a retained duplicate
 * of it: no per-member encoding or copying. Frames are queued until {@link #flush}, at the end of
 * each room task; then every event loop that serves some of the members gets one task that writes
 * all of its members' frames and flushes each connection once. A turn hand-off (Said, then
 * TurnGranted) so costs each member one write and each other loop one wake-up.
 *
 * <p>Belongs to its shard's thread, like the rooms that use it.
 */
public final class ChannelOutput implements RoomOutput {

    private final ByteBufAllocator alloc;
    /**
     * Frames waiting for the end of the current room task: {@code batches.get(i)} holds the
     * (channel, buffer) pairs for connections of {@code loops.get(i)}. Two lists searched in turn
     * rather than a map: there are only as many loops as cores, and no iterator or entry is made
     * per flush.
     */
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<List<Object>> batches = new ArrayList<>();

    public ChannelOutput(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    @Override
    public void broadcast(List<? extends Participant> to, ServerFrame frame) {
        if (!to.isEmpty()) {
            queueAll(to, FrameEncoder.encode(alloc, frame));
        }
    }

    @Override
    public void broadcast(List<? extends Participant> to, byte[] serializedFrame) {
        if (!to.isEmpty()) {
            queueAll(to, FrameEncoder.encodeSerialized(alloc, serializedFrame));
        }
    }

    /** Queues {@code encoded} for each of {@code to}, and releases it. */
    private void queueAll(List<? extends Participant> to, ByteBuf encoded) {
        try {
            for (Participant p : to) {
                queue(((Connected) p).channel(), encoded);
            }
        } finally {
            encoded.release();
        }
    }

    @Override
    public void send(Participant to, ServerFrame frame) {
        Channel ch = ((Connected) to).channel();
        if (ch != null) { // not even encoded for a member that is away
            queueOne(ch, FrameEncoder.encode(alloc, frame));
        }
    }

    @Override
    public void send(Participant to, byte[] serializedFrame) {
        Channel ch = ((Connected) to).channel();
        if (ch != null) {
            queueOne(ch, FrameEncoder.encodeSerialized(alloc, serializedFrame));
        }
    }

    private void queueOne(Channel ch, ByteBuf encoded) {
        try {
            queue(ch, encoded);
        } finally {
            encoded.release();
        }
    }

    /** Queues a duplicate of {@code encoded} for {@code ch}, as a (channel, buffer) pair. */
    private void queue(Channel ch, ByteBuf encoded) {
        if (ch == null) {
            return; // away: the room's history keeps what it misses
        }
        List<Object> batch = batchFor(ch.eventLoop());
        batch.add(ch);
        batch.add(encoded.retainedDuplicate());
    }

    private List<Object> batchFor(EventLoop loop) {
        for (int i = 0; i < loops.size(); i++) {
            if (loops.get(i) == loop) {
                return batches.get(i);
            }
        }
        List<Object> batch = new ArrayList<>();
        loops.add(loop);
        batches.add(batch);
        return batch;
    }

    @Override
    public void flush() {
        if (loops.isEmpty()) {
            return;
        }
        // Other loops first: handing them their task is quick, and their members then get written
        // while this thread does its own writes, instead of after them.
        List<Object> local = null;
        for (int i = 0; i < loops.size(); i++) {
            EventLoop loop = loops.get(i);
            List<Object> batch = batches.get(i);
            if (loop.inEventLoop()) {
                local = batch;
                continue;
            }
            try {
                loop.execute(() -> deliver(batch));
            } catch (RejectedExecutionException stopping) {
                release(batch);
            }
        }
        loops.clear();
        batches.clear();
        if (local != null) {
            deliver(local);
        }
    }

    /** On the connections' own loop: writes each (channel, buffer) pair in order, then flushes the channels. */
    private static void deliver(List<Object> batch) {
        for (int i = 0; i < batch.size(); i += 2) {
            Channel ch = (Channel) batch.get(i);
            ch.write(batch.get(i + 1), ch.voidPromise());
        }
        // A connection listed twice (Said, then TurnGranted) sends both at its first flush; the
        // second finds nothing to send and returns at once, which is cheaper than a set to skip it.
        for (int i = 0; i < batch.size(); i += 2) {
            ((Channel) batch.get(i)).flush();
        }
    }

    private static void release(List<Object> batch) {
        for (int i = 1; i < batch.size(); i += 2) {
            ReferenceCountUtil.release(batch.get(i));
        }
    }
}
