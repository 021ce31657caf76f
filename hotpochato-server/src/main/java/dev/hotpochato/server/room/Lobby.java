package dev.hotpochato.server.room;

/**
 * Where strangers wait to be paired ({@code Match}, {@code CancelMatch}): {@link Matchmaker} on one
 * server, a lobby in Redis for a cluster's nodes. Every method may be called from any thread and
 * returns at once; what the participant is told (a {@code Paired} from the room, an error, a
 * {@code MatchCancelled}) reaches it as frames.
 */
public interface Lobby {

    /** Handles {@code Match}: pairs {@code p} with the longest waiter it can be paired with, or has it wait. */
    void match(Participant p, long requestId);

    /** Handles {@code CancelMatch}. */
    void cancel(Participant p, long requestId);

    /** Stops {@code p} waiting, if it was, without a reply: its connection is gone. */
    void drop(Participant p);
}
