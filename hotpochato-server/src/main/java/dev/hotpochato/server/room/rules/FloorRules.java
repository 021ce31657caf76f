package dev.hotpochato.server.room.rules;

import java.util.Locale;

/**
 * How a room shares its floor and when it ends: part of its {@link RoomSettings}, fixed when it is
 * created. A plain value (protocol {@code RoomOptions.policy}, {@code messages_per_turn},
 * {@code warning_ms} and {@code end}).
 *
 * @param policy          who gets the turn
 * @param messagesPerTurn how many things a holder may say in one turn (Pass ends it earlier); at least 1
 * @param warningMillis   the holder of a timed turn is warned this long before it runs out; 0 for never
 * @param endAfterTurns   the room ends once this many turns have ended; 0: not a rule
 * @param endAfterMillis  the room ends this long after it was created; 0: not a rule
 * @param stopPhrase      the room ends when a Say contains this, ignoring case; empty: not a rule
 * @param endWhenAll      true: the room ends when every rule set holds (AND); false: when any does (OR)
 * @param revokeGraceMillis after a chair's Revoke, the holder may still finish (one Say, or a Pass) for
 *                        this long before its turn ends (MCPTT's grace); 0: the turn ends at once
 */
public record FloorRules(TurnPolicy policy, int messagesPerTurn, long warningMillis, long endAfterTurns,
                         long endAfterMillis, String stopPhrase, boolean endWhenAll, long revokeGraceMillis) {

    /** The most messages per turn a room may allow. */
    public static final int MAX_MESSAGES_PER_TURN = 100;
    /** The longest grace after a revoke, in ms. */
    public static final long MAX_REVOKE_GRACE_MILLIS = 60_000;
    /** The longest stop phrase, in chars. */
    public static final int MAX_STOP_PHRASE_CHARS = 100;

    /** Round robin, one message a turn, no warning, no end rules: the rooms HotPochato always had. */
    public static final FloorRules DEFAULT = new FloorRules(TurnPolicy.ROUND_ROBIN, 1, 0, 0, 0, "", false);

    /** As the canonical constructor, with no grace after a revoke. */
    public FloorRules(TurnPolicy policy, int messagesPerTurn, long warningMillis, long endAfterTurns,
                      long endAfterMillis, String stopPhrase, boolean endWhenAll) {
        this(policy, messagesPerTurn, warningMillis, endAfterTurns, endAfterMillis, stopPhrase, endWhenAll, 0);
    }

    public FloorRules {
        if (policy == null) {
            throw new IllegalArgumentException("policy must be set");
        }
        if (messagesPerTurn < 1 || messagesPerTurn > MAX_MESSAGES_PER_TURN) {
            throw new IllegalArgumentException("messagesPerTurn must be 1.." + MAX_MESSAGES_PER_TURN + ": "
                    + messagesPerTurn);
        }
        if (warningMillis < 0 || endAfterTurns < 0 || endAfterMillis < 0 || revokeGraceMillis < 0) {
            throw new IllegalArgumentException("negative time or count");
        }
        if (revokeGraceMillis > MAX_REVOKE_GRACE_MILLIS) {
            throw new IllegalArgumentException("revoke grace above " + MAX_REVOKE_GRACE_MILLIS + " ms");
        }
        stopPhrase = stopPhrase == null ? "" : stopPhrase;
        if (stopPhrase.length() > MAX_STOP_PHRASE_CHARS) {
            throw new IllegalArgumentException("stop phrase above " + MAX_STOP_PHRASE_CHARS + " chars");
        }
    }

    /** Whether any end rule is set. */
    public boolean hasEndRules() {
        return endAfterTurns > 0 || endAfterMillis > 0 || !stopPhrase.isEmpty();
    }

    /** Whether {@code text} contains the stop phrase, ignoring case (false if there is none). */
    public boolean isStopPhraseIn(String text) {
        return !stopPhrase.isEmpty()
                && text.toLowerCase(Locale.ROOT).contains(stopPhrase.toLowerCase(Locale.ROOT));
    }
}
