package dev.hotpochato.client;

import java.time.Duration;
import java.util.List;

/**
 * A floor request changed state, in a {@link TurnPolicy#QUEUE} or {@link TurnPolicy#MODERATED} room
 * (or a round-robin holder was muted): what {@link RoomListener#onFloorUpdate} hears.
 *
 * @param member   whose request it is
 * @param queue    the pending requests after the change, head first (position = index + 1)
 * @param by       the chair who granted, revoked or denied it; empty otherwise
 * @param reason   the chair's reason, or the server's ("away", "left", "muted"); empty for none
 * @param talkTime for {@link FloorState#GRANTED}: the turn's length, zero for no limit; for
 *                 {@link FloorState#REVOKED}: the grace the holder has left to finish, zero for none
 */
public record FloorUpdate(String room, String member, FloorState state, List<String> queue, String by, String reason,
                          Duration talkTime) {

    public FloorUpdate {
        queue = List.copyOf(queue);
    }

    /** The member's place in the queue (1 for the head), or 0 if it is not queued. */
    public int position() {
        return queue.indexOf(member) + 1;
    }
}
