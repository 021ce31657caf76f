package dev.hotpochato.client;

import java.time.Duration;
import java.util.Optional;

/**
 * A {@link RoomHandle} with blocking methods, from {@link RoomHandle#sync()} or {@link SyncSession}.
 * Waiting and exceptions are as for {@link SyncSession}: each floor method returns once the server
 * has done it, or throws the {@link ServerErrorException} it answered with (its
 * {@link ServerErrorException#code()} says why: {@code NOT_A_CHAIR}, {@code WRONG_POLICY}, ...).
 *
 * <pre>{@code
 * SyncRoom room = session.join("panel", JoinOptions.builder().policy(TurnPolicy.MODERATED).build());
 * room.raiseHand();                 // or, as the chair: room.grant("bob", Duration.ofSeconds(30))
 * MyTurn turn = room.awaitMyTurn();
 * room.say("my point");
 * }</pre>
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

    // ------------------------------------------------------------------ floor control

    /**
     * Raises this client's hand, returning once the request is queued. The turn itself comes as
     * usual: {@link #awaitMyTurn()}. See {@link RoomHandle#raiseHand()}.
     */
    void raiseHand();

    /** Takes back this client's raised hand. See {@link RoomHandle#withdraw()}. */
    void withdraw();

    /** Chair of a moderated room: gives the floor to {@code member}. See {@link RoomHandle#grant(String)}. */
    default void grant(String member) {
        grant(member, Duration.ZERO);
    }

    /** As {@link #grant(String)}, for {@code talkTime}. See {@link RoomHandle#grant(String, Duration)}. */
    void grant(String member, Duration talkTime);

    /** Chair of a moderated room: gives the floor to the head of the queue. See {@link RoomHandle#grantNext()}. */
    default void grantNext() {
        grant("", Duration.ZERO);
    }

    /** Chair of a moderated room: takes the floor back, telling everyone {@code reason}. See {@link RoomHandle#revoke}. */
    void revoke(String reason);

    /** Chair of a moderated room: turns down {@code member}'s raised hand. See {@link RoomHandle#deny}. */
    void deny(String member, String reason);

    /** Chair: makes {@code member} a chair too. See {@link RoomHandle#appointChair}. */
    void appointChair(String member);

    /** Chair: stops being one. See {@link RoomHandle#stepDown()}. */
    void stepDown();

    /** Chair: mutes {@code member}, or unmutes it. See {@link RoomHandle#mute}. */
    void mute(String member, boolean muted);

    /** Chair: removes {@code member} from the room, telling everyone {@code reason}. See {@link RoomHandle#remove}. */
    void remove(String member, String reason);

    /** Chair: moves {@code member} to the audience ({@code toAudience}) or to the speakers. See {@link RoomHandle#move}. */
    void move(String member, boolean toAudience);

    /**
     * Waits for this client's next turn and returns it: the turn running now, if it is this
     * client's and no earlier call returned it, else the next one granted to it. Throws
     * {@link RoomClosedException} if the room closes for this client first.
     */
    MyTurn awaitMyTurn();

    /** {@link #awaitMyTurn()} for at most {@code timeout}; empty if no turn came by then. */
    Optional<MyTurn> awaitMyTurn(Duration timeout);
}
