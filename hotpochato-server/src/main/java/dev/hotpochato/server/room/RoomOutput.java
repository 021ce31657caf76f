package dev.hotpochato.server.room;

import com.google.protobuf.InvalidProtocolBufferException;
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

    /**
     * Sends a frame the room has already serialized (a numbered event, which it also keeps for
     * replay) to every participant in {@code to}, so it is not serialized a second time. The array
     * is not changed by either side. The default parses it back, which suits test doubles.
     */
    default void broadcast(List<? extends Participant> to, byte[] serializedFrame) {
        broadcast(to, parse(serializedFrame));
    }

    /** Sends an already serialized frame to one participant; see {@link #broadcast(List, byte[])}. */
    default void send(Participant to, byte[] serializedFrame) {
        send(to, parse(serializedFrame));
    }

    /** Delivers whatever is held back; frames to one participant keep their order. */
    default void flush() {
    }

    private static ServerFrame parse(byte[] serializedFrame) {
        try {
            return ServerFrame.parseFrom(serializedFrame);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("not a serialized ServerFrame", e);
        }
    }
}
