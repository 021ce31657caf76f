package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.ServerFrame;

import java.util.List;

/**
 * Where a room's frames go. The room decides what is said to whom; the implementation decides how
 * it reaches the wire, and must encode a broadcast once however many members receive it. Frames may
 * be held back until {@link #flush}, which the shard calls at the end of every room task.
 */
public interface RoomOutput {

    /** Sends {@code frame} to every participant in {@code to}; the list is not kept. */
    void broadcast(List<? extends Participant> to, ServerFrame frame);

    /** Sends {@code frame} to one participant. */
    void send(Participant to, ServerFrame frame);

    /** Delivers whatever is held back; frames to one participant keep their order. */
    default void flush() {
    }
}
