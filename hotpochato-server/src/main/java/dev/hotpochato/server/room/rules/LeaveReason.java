package dev.hotpochato.server.room.rules;

/** Why a member left a room; reported in {@code MemberLeft.reason}. */
public enum LeaveReason {
    /** It sent {@code Leave}; only this reason gets a reply ({@code Left}, or a refusal). */
    LEFT,
    /** Its connection closed and its session was not resumed in time. */
    DISCONNECTED,
    /** Its connection went silent (or stopped reading) and its session was not resumed in time. */
    TIMED_OUT,
    /** It was closed for breaking the protocol or a limit; not resumable. */
    KICKED
}
