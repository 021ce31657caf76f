package dev.hotpochato.server.room;

import io.netty.buffer.ByteBuf;

/**
 * Where a shard's frames go: the store decides what each participant gets, already encoded; the
 * implementation gets it onto the wire. Frames may be held back until {@link #flush}, which the
 * shard calls at the end of every room task.
 */
public interface RoomOutput {

    /**
     * Queues {@code frames} (one or more complete frames, length prefixes included) for {@code to},
     * after everything queued for it before. Takes the buffer over: it is released once written,
     * or at once if {@code to} has no connection.
     */
    void write(Participant to, ByteBuf frames);

    /** Delivers whatever is held back; frames to one participant keep their order. */
    void flush();
}
