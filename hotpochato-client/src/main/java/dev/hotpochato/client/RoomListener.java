package dev.hotpochato.client;

/**
 * Receives the events of a room. Every method has an empty default, so a listener overrides only
 * what it needs.
 *
 * <p><b>Threading:</b> methods are called on the session's callback executor, one at a time and in
 * the order the server sent the events (see {@link ClientResources}); never on a Netty event loop,
 * so a slow listener delays later events of its session but cannot stall the network. When a
 * method runs, the {@link RoomHandle} already reflects the event. Never wait in a listener for one
 * of its session's futures: they complete on the same executor, so waiting throws
 * {@link BlockingInCallbackException}. Chain with {@code thenAccept} instead. An exception thrown by
 * a listener is logged and otherwise ignored.
 */
public interface RoomListener {

    /** The turn went to someone; {@link Turn#isMine()} says if it is this client. */
    default void onTurnGranted(RoomHandle room, Turn turn) {
    }

    /** Someone (possibly this client) said something. */
    default void onSaid(RoomHandle room, Message message) {
    }

    /** The holder of turn {@code turn} gave it up. */
    default void onPassed(RoomHandle room, String name, long turn) {
    }

    /** The holder of turn {@code turn} let its time run out. */
    default void onTurnExpired(RoomHandle room, String name, long turn) {
    }

    /** Another member joined the room. */
    default void onMemberJoined(RoomHandle room, String name) {
    }

    /**
     * Another member left the room, for {@code reason}. For {@link LeaveReason#REMOVED},
     * {@link #onMemberRemoved} follows with the chair and its reason.
     */
    default void onMemberLeft(RoomHandle room, String name, LeaveReason reason) {
    }

    /**
     * A chair ({@code by}) removed {@code name} from the room ({@link RoomHandle#remove}), saying
     * {@code message} (empty for no reason). Every member hears it: the others right after
     * {@link #onMemberLeft} ({@link LeaveReason#REMOVED}); the removed client itself with its own
     * name, just before {@link #onRoomClosed} (reason {@code "removed by BY: MESSAGE"}).
     */
    default void onMemberRemoved(RoomHandle room, String name, String by, String message) {
    }

    /**
     * A member lost its connection but may still come back: it keeps its place, and its turns are
     * skipped until it does ({@link #onMemberBack}) or leaves ({@link #onMemberLeft}). After this
     * client itself resumed, the replay can include its own name.
     */
    default void onMemberAway(RoomHandle room, String name) {
    }

    /** A member that was away resumed its session. */
    default void onMemberBack(RoomHandle room, String name) {
    }

    /** Turn {@code turn} came to {@code name} while it was away, so it passed on to the next member. */
    default void onTurnSkipped(RoomHandle room, String name, long turn) {
    }

    /**
     * After a reconnect, the server no longer had all the events this client missed in the room,
     * so some are lost for good. The room's view has already been replaced by a fresh snapshot
     * (members, away members, turn); {@link RoomHandle#history()} keeps the messages from before
     * the gap.
     */
    default void onHistoryLost(RoomHandle room) {
    }

    /**
     * The session could not be resumed, and this client joined the room again in a new session
     * ({@link ClientOptions#autoRejoin()}): the room's view has been replaced by the new snapshot,
     * and what happened in the room in between is lost (see {@link SessionListener#onNewSession}).
     * The handle is the same as before, with its listeners and turn handler; a room the server closed
     * as it stopped ({@link #onRoomClosed}) is open again.
     */
    default void onRejoined(RoomHandle room) {
    }

    /**
     * The session could not be resumed, and joining the room again in a new session failed
     * ({@link ClientOptions#autoRejoin()}): {@code cause} says why (a {@link ServerErrorException}
     * such as {@link NameTakenException} or {@code ROOM_FULL}, or a {@link RoomClosedException} for a
     * private room, which cannot be joined again). The room is closed for this client;
     * {@link #onRoomClosed} is not called for it again.
     */
    default void onRejoinFailed(RoomHandle room, HotPochatoException cause) {
    }

    /**
     * A floor request changed state (someone raised a hand, withdrew, was granted, released,
     * revoked or denied the floor); {@link RoomHandle#queue()} already shows the queue after it.
     */
    default void onFloorUpdate(RoomHandle room, FloorUpdate update) {
    }

    /** Nobody holds the floor of a queue or moderated room (and, in a queue room, nobody is queued). */
    default void onFloorIdle(RoomHandle room) {
    }

    /**
     * {@code name} became a chair: appointed by {@code by}, or (by empty) because the last chair
     * left or stepped down.
     */
    default void onChairChanged(RoomHandle room, String name, String by) {
    }

    /** {@code name} stepped down: it is no longer a chair ({@link RoomHandle#stepDown()}). */
    default void onChairSteppedDown(RoomHandle room, String name) {
    }

    /**
     * {@code name} moved to the audience ({@code audience}) or to the speakers: by a chair
     * ({@code by}), or (by empty) because its raised hand was granted.
     */
    default void onMemberMoved(RoomHandle room, String name, boolean audience, String by) {
    }

    /** A chair ({@code by}) muted or unmuted {@code name}. */
    default void onMemberMuted(RoomHandle room, String name, boolean muted, String by) {
    }

    /**
     * A chair request of this client's changed nothing, and the server said so (to this client
     * only): {@code name} already is {@code state}, one of {@code "muted"}, {@code "unmuted"} (a
     * mute or unmute), {@code "audience"}, {@code "speakers"} (a move), or {@code "chair"} (a step
     * down by the room's only member, who stays chair). The request's future completes after this.
     */
    default void onUnchanged(RoomHandle room, String name, String state) {
    }

    /** This client holds the turn, and it runs out in {@code remaining} ({@link JoinOptions.Builder#warning}). */
    default void onTurnWarning(RoomHandle room, java.time.Duration remaining) {
    }

    /**
     * The room ended by one of its end rules; {@link #onRoomClosed} follows with the same reason.
     */
    default void onRoomEnded(RoomHandle room, EndRule rule, String reason) {
    }

    /**
     * The room is gone for this client without it having asked to leave: the server closed it (a
     * private room whose partner left, or the server stopping), or the connection was lost.
     */
    default void onRoomClosed(RoomHandle room, String reason) {
    }
}
