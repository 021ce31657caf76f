package dev.hotpochato.server.room.rules;

/**
 * The options in force for one room, resolved against the server's defaults when the room is
 * created and fixed for its life. A plain value: the wire's {@code RoomOptions} are mapped to it
 * outside the rules ({@code server.room.wire.WireOptions}).
 *
 * @param turnTimeoutMillis how long a holder may keep the turn; 0 for no limit
 * @param maxMembers        most members at once
 * @param password          needed to join; empty for none
 * @param inviteOnly        only the creator and those it invites may join
 * @param maxTextBytes      longest {@code Say.text} in UTF-8 bytes
 * @param historySize       how many recent events the room keeps for members that resume
 * @param floor             the turn policy, messages per turn, talk-time warning and end rules
 */
public record RoomSettings(long turnTimeoutMillis, int maxMembers, String password, boolean inviteOnly,
                           int maxTextBytes, int historySize, FloorRules floor) {

    /** Settings with {@link FloorRules#DEFAULT}: round robin, one message a turn, no end rules. */
    public RoomSettings(long turnTimeoutMillis, int maxMembers, String password, boolean inviteOnly,
                        int maxTextBytes, int historySize) {
        this(turnTimeoutMillis, maxMembers, password, inviteOnly, maxTextBytes, historySize, FloorRules.DEFAULT);
    }

    public RoomSettings {
        if (turnTimeoutMillis < 0) {
            throw new IllegalArgumentException("turnTimeoutMillis must be >= 0: " + turnTimeoutMillis);
        }
        if (maxMembers < 2) {
            throw new IllegalArgumentException("maxMembers must be >= 2: " + maxMembers);
        }
        if (maxTextBytes < 1) {
            throw new IllegalArgumentException("maxTextBytes must be >= 1: " + maxTextBytes);
        }
        if (historySize < 0) {
            throw new IllegalArgumentException("historySize must be >= 0: " + historySize);
        }
        password = password == null ? "" : password;
        floor = floor == null ? FloorRules.DEFAULT : floor;
    }

    /** The same settings with other floor rules. */
    public RoomSettings withFloor(FloorRules rules) {
        return new RoomSettings(turnTimeoutMillis, maxMembers, password, inviteOnly, maxTextBytes, historySize, rules);
    }

    /** The settings of a private room made by pairing: two members, otherwise the defaults. */
    public RoomSettings forPair() {
        return new RoomSettings(turnTimeoutMillis, 2, "", false, maxTextBytes, historySize);
    }

    /** The password is never printed, not even in a log line. */
    @Override
    public String toString() {
        return "RoomSettings[turnTimeoutMillis=" + turnTimeoutMillis + ", maxMembers=" + maxMembers
                + ", password=" + (password.isEmpty() ? "none" : "set") + ", inviteOnly=" + inviteOnly
                + ", maxTextBytes=" + maxTextBytes + ", historySize=" + historySize + ", floor=" + floor + "]";
    }
}
