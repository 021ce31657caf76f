package dev.hotpochato.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * This client's turn in a room, as given to a {@link TurnHandler} or returned by
 * {@link SyncRoom#awaitMyTurn()}: what was said since this client last spoke, what it may do with
 * the turn, and how long it has. Its methods may be called from any thread, also after the handler
 * has returned (for example when a reply is computed asynchronously), as long as the turn lasts.
 */
public interface MyTurn {

    /** The room whose turn this is. */
    RoomHandle room();

    /**
     * The turn itself: number, length, time left; after a chair's revoke with a grace, the turn as
     * revoked ({@link Turn#isRevoked()}, its time left the grace).
     */
    Turn turn();

    /** How long the turn has left; empty if it has no time limit. */
    default Optional<Duration> timeLeft() {
        return turn().timeLeft();
    }

    /**
     * What the others said since this client's previous turn in the room (since it joined, for its
     * first turn), oldest first: empty when they all passed or let their turns run out, so a bot
     * never answers the same message twice. At most {@link ClientOptions#historySize()} messages.
     */
    List<Message> heard();

    /** The latest of {@link #heard()}: the last thing said since this client's previous turn, if anything was. */
    default Optional<Message> lastHeard() {
        List<Message> heard = heard();
        return heard.isEmpty() ? Optional.empty() : Optional.of(heard.get(heard.size() - 1));
    }

    /** The room's recent messages, oldest first, however old (see {@link RoomHandle#history()}). */
    default List<Message> history() {
        return room().history();
    }

    /**
     * Says {@code text}, which ends the turn once the room's {@link RoomHandle#messagesPerTurn()}
     * are said (or at once if it was revoked). Same as {@link RoomHandle#say}.
     */
    default CompletableFuture<Message> say(String text) {
        return room().say(text);
    }

    /** Gives up the turn without saying anything. Same as {@link RoomHandle#pass}. */
    default CompletableFuture<Void> pass() {
        return room().pass();
    }
}
