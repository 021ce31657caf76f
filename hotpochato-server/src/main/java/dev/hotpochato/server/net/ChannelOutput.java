package dev.hotpochato.server.net;

import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.RoomOutput;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;

/**
 * Delivers one shard's room frames to its members' connections.
 *
 * <p>The shard hands over frames already encoded (a broadcast as duplicates of one buffer), so
 * nothing is encoded or copied here. Frames are queued until {@link #flush}, at the end of each
 * room task; then every event loop that serves some of the members gets one task that writes all
 * of its members' frames and flushes each connection once. A turn hand-off (Said and TurnGranted,
 * in one buffer) so costs each member one write and each other loop one wake-up.
 *
 * <p>Belongs to its shard's thread, like the rooms that use it.
 */
public final class ChannelOutput implements RoomOutput {

    /**
     * Frames waiting for the end of the current room task: {@code batches.get(i)} holds the
     * (channel, buffer) pairs for connections of {@code loops.get(i)}. Two lists searched in turn
     * rather than a map: there are only as many loops as cores, and no iterator or entry is made
     * per flush.
     */
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<List<Object>> batches = new ArrayList<>();
    /** The batch of this thread's own loop, written in place by {@link #flush}: kept and reused. */
    private final List<Object> spare = new ArrayList<>();

    @Override
    public void write(Participant to, ByteBuf frames) {
        Channel ch = to.channel();
        if (ch == null) {
            frames.release(); // away: the room's history keeps what it misses
            return;
        }
        List<Object> batch = batchFor(ch.eventLoop());
        batch.add(ch);
        batch.add(frames);
    }

    private List<Object> batchFor(EventLoop loop) {
        for (int i = 0; i < loops.size(); i++) {
            if (loops.get(i) == loop) {
                return batches.get(i);
            }
        }
        // This thread's own loop is written right here at the flush, so its list can be reused;
        // another loop's is handed over with the task.
        List<Object> batch = loop.inEventLoop() && spare.isEmpty() ? spare : new ArrayList<>();
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
            try {
                deliver(local);
            } finally {
                local.clear();
            }
        }
    }

    /** On the connections' own loop: writes each (channel, buffer) pair in order, then flushes the channels. */
    private static void deliver(List<Object> batch) {
        for (int i = 0; i < batch.size(); i += 2) {
            Channel ch = (Channel) batch.get(i);
            ch.write(batch.get(i + 1), ch.voidPromise());
        }
        // A connection listed twice sends both at its first flush; the second finds nothing to send
        // and returns at once, which is cheaper than a set to skip it.
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
