package dev.hotpochato.server.net;

import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.Participant;
import dev.hotpochato.server.room.RoomOutput;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.List;

/**
 * Delivers room frames to sessions' channels. A broadcast is encoded once into one buffer, and each
 * member is written a retained duplicate of it: no per-member encoding or copying.
 */
public final class ChannelOutput implements RoomOutput {

    private final ByteBufAllocator alloc;

    public ChannelOutput(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    @Override
    public void broadcast(List<? extends Participant> to, ServerFrame frame) {
        if (to.isEmpty()) {
            return;
        }
        ByteBuf encoded = FrameEncoder.encode(alloc, frame);
        try {
            for (Participant p : to) {
                ((Session) p).send(encoded.retainedDuplicate());
            }
        } finally {
            encoded.release();
        }
    }

    @Override
    public void send(Participant to, ServerFrame frame) {
        ((Session) to).send(frame);
    }
}
