package dev.hotpochato.server.room.rules;

/** A rule that may end a room by itself (protocol {@code EndRule}), reported when it fires. */
public enum EndRule {
    /** {@link FloorRules#endAfterTurns()} turns have ended. */
    AFTER_TURNS,
    /** {@link FloorRules#endAfterMillis()} have passed since the room was created. */
    AFTER_TIME,
    /** Someone said {@link FloorRules#stopPhrase()}. */
    STOP_PHRASE
}
