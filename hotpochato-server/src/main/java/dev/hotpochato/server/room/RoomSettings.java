package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.RoomOptions;

/**
 * The options in force for one room, resolved against the server's defaults when the room is
 * created and fixed for its life.
 *
 * @param turnTimeoutMillis how long a holder may keep the turn; 0 for no limit
 * @param maxMembers        most members at once
 * @param password          needed to join; empty for none
 * @param inviteOnly        only the creator and those it invites may join
 * @param maxTextBytes      longest {@code Say.text} in UTF-8 bytes
 * @param historySize       how many recent events the room keeps for members that resume
 */
public record RoomSettings(long turnTimeoutMillis, int maxMembers, String password, boolean inviteOnly,
                           int maxTextBytes, int historySize) {

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
    }

    /** The settings of a private room made by pairing: two members, otherwise the defaults. */
    public RoomSettings forPair() {
        return new RoomSettings(turnTimeoutMillis, 2, "", false, maxTextBytes, historySize);
    }

    /**
     * Why {@code requested} asks for more than the server allows, or null if it does not: with a
     * cap ({@code maxTurnTimeoutMillis} above 0), a turn timeout above it, or none at all (0). Unset
     * asks for the default, which the server's options keep within the cap. Refused rather than cut
     * down, so that a room never runs with turns other than those its creator asked for.
     */
    public static String checkRequested(RoomOptions requested, long maxTurnTimeoutMillis) {
        if (maxTurnTimeoutMillis == 0 || !requested.hasTurnTimeoutMs()) {
            return null;
        }
        long asked = Integer.toUnsignedLong(requested.getTurnTimeoutMs());
        if (asked == 0) {
            return "turns without a time limit are not allowed here; turn_timeout_ms may be at most "
                    + maxTurnTimeoutMillis;
        }
        if (asked > maxTurnTimeoutMillis) {
            return "turn_timeout_ms " + asked + " is above this server's limit of " + maxTurnTimeoutMillis;
        }
        return null;
    }

    /** Applies a client's requested options to the server's {@code defaults}; a member cap cannot rise above the default. */
    public static RoomSettings resolve(RoomOptions requested, RoomSettings defaults) {
        // Capped at 2^31-1 ms (24 days) so that every field that reports it can hold it.
        long timeout = requested.hasTurnTimeoutMs()
                ? Math.min(Integer.toUnsignedLong(requested.getTurnTimeoutMs()), Integer.MAX_VALUE)
                : defaults.turnTimeoutMillis();
        long askedMembers = Integer.toUnsignedLong(requested.getMaxMembers()); // uint32: 2^31 and more are not negative
        int maxMembers = askedMembers == 0
                ? defaults.maxMembers() : (int) Math.max(2, Math.min(askedMembers, defaults.maxMembers()));
        return new RoomSettings(timeout, maxMembers, requested.getPassword(), requested.getInviteOnly(),
                defaults.maxTextBytes(), defaults.historySize());
    }

    /** The options as reported to clients in {@code Joined}; the password itself is never sent back. */
    RoomOptions toOptions() {
        return RoomOptions.newBuilder()
                .setTurnTimeoutMs((int) Math.min(turnTimeoutMillis, Integer.MAX_VALUE))
                .setMaxMembers(maxMembers)
                .setPassword(password.isEmpty() ? "" : "********")
                .setInviteOnly(inviteOnly)
                .build();
    }
}
