package dev.hotpochato.client;

/** The rule that ended a room by itself ({@link RoomListener#onRoomEnded}); set with {@link JoinOptions.Builder}. */
public enum EndRule {
    /** The room's number of turns ended ({@link JoinOptions.Builder#endAfterTurns}). */
    AFTER_TURNS,
    /** The room's time ran out ({@link JoinOptions.Builder#endAfter}). */
    AFTER_TIME,
    /** Someone said the stop phrase ({@link JoinOptions.Builder#stopPhrase}). */
    STOP_PHRASE,
    /** A rule this client does not know. */
    UNKNOWN
}
