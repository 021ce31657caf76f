package dev.hotpochato.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * This client's turn in a room, as given to a {@link TurnHandler}: what it may do with it and how
 * long it has. Its methods may be called from any thread, also after the handler has returned
 * (for example when a reply is computed asynchronously), as long as the turn lasts.
 */
public interface MyTurn {

    /** The room whose turn this is. */
    RoomHandle room();

    /** The turn itself: number, length, time left. */
    Turn turn();

    /** How long the turn has left; empty if it has no time limit. */
    default Optional<Duration> timeLeft() {
        return turn().timeLeft();
    }

    /** The latest message said in the room before this turn, if any. */
    default Optional<Message> lastSaid() {
        return room().lastSaid();
    }

    /** The room's recent messages, oldest first. */
    default List<Message> history() {
        return room().history();
    }

    /** Says {@code text}, which ends the turn. Same as {@link RoomHandle#say}. */
    default CompletableFuture<Void> say(String text) {
        return room().say(text);
    }

    /** Gives up the turn without saying anything. Same as {@link RoomHandle#pass}. */
    default CompletableFuture<Void> pass() {
        return room().pass();
    }
}
