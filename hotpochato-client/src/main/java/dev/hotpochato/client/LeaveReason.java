package dev.hotpochato.client;

/** Why a member left a room, as {@link RoomListener#onMemberLeft} reports it. */
public enum LeaveReason {
    /** It left on purpose (sent Leave, or quit cleanly). */
    LEFT,
    /** Its connection closed. */
    DISCONNECTED,
    /** Its connection went silent past the heartbeat limit. */
    TIMED_OUT,
    /** The server closed it for breaking the protocol or a limit. */
    KICKED,
    /** A chair removed it ({@link RoomHandle#remove}). */
    REMOVED,
    /** A reason this client does not know. */
    UNKNOWN
}
