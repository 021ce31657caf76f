package dev.hotpochato.server.room.wire;

import dev.hotpochato.protocol.v1.EndRules;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.TurnPolicy;
import dev.hotpochato.server.room.rules.FloorRules;
import dev.hotpochato.server.room.rules.RoomSettings;

/** A {@code Join}'s {@code RoomOptions} against the server's defaults and limits, and back for {@code Joined}. */
public final class WireOptions {

    private WireOptions() {
    }

    /**
     * Why {@code requested} asks for more than the server allows, or null if it does not: with a
     * cap ({@code maxTurnTimeoutMillis} above 0), a turn timeout above it, or none at all (0). Unset
     * asks for the default, which the server's options keep within the cap. Refused rather than cut
     * down, so that a room never runs with turns other than those its creator asked for.
     */
    public static String checkRequested(RoomOptions requested, long maxTurnTimeoutMillis) {
        String floor = checkFloor(requested);
        if (floor != null) {
            return floor;
        }
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

    /** Why the floor options cannot be honoured, or null if they can. */
    private static String checkFloor(RoomOptions requested) {
        if (requested.getPolicy() == TurnPolicy.UNRECOGNIZED) {
            return "unknown turn policy " + requested.getPolicyValue();
        }
        if (Integer.toUnsignedLong(requested.getMessagesPerTurn()) > FloorRules.MAX_MESSAGES_PER_TURN) {
            return "messages_per_turn may be at most " + FloorRules.MAX_MESSAGES_PER_TURN;
        }
        if (Integer.toUnsignedLong(requested.getRevokeGraceMs()) > FloorRules.MAX_REVOKE_GRACE_MILLIS) {
            return "revoke_grace_ms may be at most " + FloorRules.MAX_REVOKE_GRACE_MILLIS;
        }
        if (requested.getEnd().getStopPhrase().length() > FloorRules.MAX_STOP_PHRASE_CHARS) {
            return "stop_phrase may be at most " + FloorRules.MAX_STOP_PHRASE_CHARS + " characters";
        }
        if (requested.getEnd().getStopPhrase().isBlank() && !requested.getEnd().getStopPhrase().isEmpty()) {
            return "stop_phrase may not be only white space";
        }
        return null;
    }

    /** The floor rules a Join asks for (checked by {@link #checkRequested} first). */
    public static FloorRules floorRules(RoomOptions requested) {
        EndRules end = requested.getEnd();
        int messages = requested.getMessagesPerTurn() == 0 ? 1 : requested.getMessagesPerTurn();
        dev.hotpochato.server.room.rules.TurnPolicy policy = switch (requested.getPolicy()) {
            case QUEUE -> dev.hotpochato.server.room.rules.TurnPolicy.QUEUE;
            case MODERATED -> dev.hotpochato.server.room.rules.TurnPolicy.MODERATED;
            default -> dev.hotpochato.server.room.rules.TurnPolicy.ROUND_ROBIN;
        };
        return new FloorRules(policy, messages, Integer.toUnsignedLong(requested.getWarningMs()),
                Integer.toUnsignedLong(end.getAfterTurns()), Integer.toUnsignedLong(end.getAfterMs()),
                end.getStopPhrase(), end.getAll(), Integer.toUnsignedLong(requested.getRevokeGraceMs()));
    }

    /**
     * Applies a client's requested options to the server's {@code defaults}; a member cap cannot
     * rise above the default. Both numbers are uint32 on the wire and read as such.
     */
    public static RoomSettings resolve(RoomOptions requested, RoomSettings defaults) {
        // Capped at 2^31-1 ms (24 days) so that every field that reports it can hold it.
        long timeout = requested.hasTurnTimeoutMs()
                ? Math.min(Integer.toUnsignedLong(requested.getTurnTimeoutMs()), Integer.MAX_VALUE)
                : defaults.turnTimeoutMillis();
        long askedMembers = Integer.toUnsignedLong(requested.getMaxMembers());
        int maxMembers = askedMembers == 0
                ? defaults.maxMembers() : (int) Math.max(2, Math.min(askedMembers, defaults.maxMembers()));
        return new RoomSettings(timeout, maxMembers, requested.getPassword(), requested.getInviteOnly(),
                defaults.maxTextBytes(), defaults.historySize(), floorRules(requested));
    }

    /** The options as reported to clients in {@code Joined}; the password itself is never sent back. */
    public static RoomOptions toOptions(RoomSettings settings) {
        FloorRules f = settings.floor();
        RoomOptions.Builder b = RoomOptions.newBuilder()
                .setPolicy(TurnPolicy.valueOf(f.policy().name()))
                .setMessagesPerTurn(f.messagesPerTurn())
                .setWarningMs((int) Math.min(f.warningMillis(), Integer.MAX_VALUE))
                .setRevokeGraceMs((int) f.revokeGraceMillis());
        if (f.hasEndRules()) {
            b.setEnd(EndRules.newBuilder().setAfterTurns((int) Math.min(f.endAfterTurns(), Integer.MAX_VALUE))
                    .setAfterMs((int) Math.min(f.endAfterMillis(), Integer.MAX_VALUE)).setStopPhrase(f.stopPhrase())
                    .setAll(f.endWhenAll()));
        }
        return b
                .setTurnTimeoutMs((int) Math.min(settings.turnTimeoutMillis(), Integer.MAX_VALUE))
                .setMaxMembers(settings.maxMembers())
                .setPassword(settings.password().isEmpty() ? "" : "********")
                .setInviteOnly(settings.inviteOnly())
                .build();
    }
}
