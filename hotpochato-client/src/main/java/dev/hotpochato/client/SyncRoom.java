package dev.hotpochato.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@link RoomHandle} with blocking methods, from {@link RoomHandle#sync()} or {@link SyncSession}.
 * Waiting and exceptions are as for {@link SyncSession}.
 */
public interface SyncRoom {

    /** The room this facade waits on, for its view (members, turn, history) and listeners. */
    RoomHandle async();

    /** Says {@code text} on this client's turn; returns it as the server broadcast it. See {@link RoomHandle#say}. */
    Message say(String text);

    /** See {@link RoomHandle#pass()}. */
    void pass();

    /** See {@link RoomHandle#leave()}. */
    void leave();

    /**
     * Waits for this client's next turn and returns it: the turn running now, if it is this
     * client's and no earlier call returned it, else the next one granted to it. Throws
     * {@link RoomClosedException} if the room closes for this client first.
     */
    MyTurn awaitMyTurn();

    /** {@link #awaitMyTurn()} for at most {@code timeout}; empty if no turn came by then. */
    Optional<MyTurn> awaitMyTurn(Duration timeout);
}
