package dev.hotpochato.client;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * A room this client is in: says, passes and leaves, and tells who is there, whose turn it is and
 * what was said. Its view is updated from the server's events before listeners hear of them.
 *
 * <p><b>Threading:</b> every method may be called from any thread; getters return immutable
 * values. Futures, listeners and the {@link TurnHandler} run on the session's callback executor
 * (see {@link Session}). Waiting for one of its futures inside a callback of the same session
 * throws {@link BlockingInCallbackException} instead of deadlocking.
 */
public interface RoomHandle {

    /** The room's name ({@code ~pair-N} for a private room made by matching). */
    String name();

    /** The session this room belongs to. */
    Session session();

    /** True for a private room made by {@link Session#match()}. */
    boolean isPrivate();

    /**
     * True until this client leaves, the room closes, or the session ends. It stays true while the
     * session reconnects.
     */
    boolean isOpen();

    /** The members in turn order, this client included. */
    List<String> members();

    /**
     * The members whose connection is lost but who may still come back (their turns are skipped);
     * a subset of {@link #members()}.
     */
    Set<String> awayMembers();

    /** True if {@code name} is a member that is away now. */
    default boolean isAway(String name) {
        return awayMembers().contains(name);
    }

    /** The current turn; empty while the room waits for a second member or between two turns. */
    Optional<Turn> turn();

    /** The display name of the turn holder, if a turn is running. */
    default Optional<String> holder() {
        return turn().map(Turn::holder);
    }

    /** True if this client holds the turn now. */
    default boolean isMyTurn() {
        return turn().map(Turn::isMine).orElse(false);
    }

    /** How long the current turn has left; empty if no turn runs or turns have no limit. */
    default Optional<Duration> timeLeft() {
        return turn().flatMap(Turn::timeLeft);
    }

    /** The turn length of this room; empty for no limit. */
    Optional<Duration> turnTimeout();

    /** The most recent messages since this client joined, oldest first (at most {@link ClientOptions#historySize()}). */
    List<Message> history();

    /**
     * The latest message said since this client joined, however long ago: after turns that were
     * passed or expired it is still the same message. A turn handler wants {@link MyTurn#heard()}.
     */
    Optional<Message> lastSaid();

    /**
     * Says {@code text}, which ends this client's turn (once it has said {@link #messagesPerTurn()}
     * things in it). Completes with the message as the server broadcast it (its time and turn
     * number) once listeners have heard {@link RoomListener#onSaid};
     * fails with {@link NotYourTurnException} if this client does not hold the turn, or with
     * {@link ServerErrorException} ({@code EMPTY_TEXT}, {@code TEXT_TOO_LONG}).
     */
    CompletableFuture<Message> say(String text);

    /** Gives up the turn; fails with {@link NotYourTurnException} if this client does not hold it. */
    CompletableFuture<Void> pass();

    /** Leaves the room; the others see {@link LeaveReason#LEFT}. Completes when the server confirmed. */
    CompletableFuture<Void> leave();

    /** Adds a listener for this room's events. */
    void addListener(RoomListener listener);

    void removeListener(RoomListener listener);

    /**
     * Sets the handler called each time the turn comes to this client (replacing any earlier one;
     * null removes it). If this client holds the turn already, the handler is called for that turn.
     */
    void onMyTurn(TurnHandler handler);

    // ------------------------------------------------------------------ floor control

    /** The room's turn policy. */
    TurnPolicy policy();

    /**
     * The room's rules in force, as the server reported them when this client joined or resumed:
     * policy, turn length, messages per turn, warning, revoke grace, end rules, most members and
     * invite-only (never the password, empty here). They are fixed when the room is created, so a
     * join of a room that existed may have asked for others.
     */
    JoinOptions rules();

    /** How many things a holder may say in one turn (1 unless the room's creator chose more). */
    int messagesPerTurn();

    /**
     * How many more things the holder of the current turn may say before the turn ends:
     * {@link #messagesPerTurn()} less what it said so far (counted from when this client joined, if
     * it joined mid-turn), 1 while a revoked turn's grace runs ({@link Turn#isRevoked()}), 0 when no
     * turn runs. The holder may end its turn earlier with {@link #pass()}.
     */
    int messagesLeft();

    /** The chairs, the first chair first; empty in a private room. */
    List<String> chairs();

    /** True if this client is a chair of the room. */
    default boolean isChair() {
        return chairs().contains(session().name());
    }

    /** The raised hands (pending floor requests), head first. */
    List<String> queue();

    /** The muted members. */
    Set<String> muted();

    /** The members in the audience (listening, not taking turns). */
    Set<String> audience();

    /** True if this client is in the audience. */
    default boolean isAudience() {
        return audience().contains(session().name());
    }

    /** Chair: moves {@code member} to the audience ({@code toAudience}) or to the speakers. */
    CompletableFuture<Void> move(String member, boolean toAudience);

    /**
     * Asks for the floor ({@link TurnPolicy#QUEUE}, {@link TurnPolicy#MODERATED}). Completes when the
     * request is queued; the turn itself comes as usual ({@link #onMyTurn}). Fails with
     * {@link ServerErrorException}: {@code WRONG_POLICY}, {@code ALREADY_REQUESTED}, {@code MUTED}.
     */
    CompletableFuture<Void> raiseHand();

    /** Takes back this client's raised hand; fails with {@code NOT_REQUESTED} if there is none. */
    CompletableFuture<Void> withdraw();

    /**
     * Chair of a {@link TurnPolicy#MODERATED} room: gives the floor to {@code member} (whether or not
     * it raised a hand) for the room's turn length. Fails with {@code NOT_A_CHAIR}, {@code WRONG_POLICY},
     * {@code FLOOR_TAKEN}, {@code UNKNOWN_MEMBER}, {@code MUTED}, {@code MEMBER_AWAY}.
     */
    default CompletableFuture<Void> grant(String member) {
        return grant(member, Duration.ZERO);
    }

    /**
     * As {@link #grant(String)}, for {@code talkTime} ({@link Duration#ZERO}: the room's turn length;
     * more than it fails with {@code INVALID_OPTION}). An empty {@code member} is the head of the queue.
     */
    CompletableFuture<Void> grant(String member, Duration talkTime);

    /** Chair: gives the floor to the head of the queue; fails with {@code NOT_REQUESTED} if nobody is queued. */
    default CompletableFuture<Void> grantNext() {
        return grant("", Duration.ZERO);
    }

    /** Chair of a moderated room: takes the floor back from its holder, telling everyone {@code reason}. */
    CompletableFuture<Void> revoke(String reason);

    /** Chair of a moderated room: turns down {@code member}'s raised hand, telling everyone {@code reason}. */
    CompletableFuture<Void> deny(String member, String reason);

    /** Chair: makes {@code member} a chair too. */
    CompletableFuture<Void> appointChair(String member);

    /**
     * Chair: stops being one ({@link RoomListener#onChairSteppedDown}); if it was the last, the
     * longest-present other member becomes chair. The room's only member stays chair (completes,
     * nothing changes). Fails with {@code NOT_A_CHAIR}.
     */
    CompletableFuture<Void> stepDown();

    /** Chair: mutes {@code member} (it stays and listens, but never gets the floor), or unmutes it. */
    CompletableFuture<Void> mute(String member, boolean muted);

    /**
     * Chair: removes {@code member} from the room, telling everyone {@code reason}
     * ({@link RoomListener#onMemberRemoved}).
     */
    CompletableFuture<Void> remove(String member, String reason);

    /** This room with blocking methods, for simple programs (see {@link Session#sync()}). */
    SyncRoom sync();
}
