package dev.hotpochato.server.room;

import dev.hotpochato.server.metrics.ServerMetrics;
import dev.hotpochato.server.room.rules.RoomCommand;
import dev.hotpochato.server.room.rules.RoomEvent;
import dev.hotpochato.server.room.rules.RoomOutcome;
import dev.hotpochato.server.room.rules.RoomReply;
import dev.hotpochato.server.room.wire.RoomFrames;

/**
 * What a store counts of an outcome it applied itself, whichever store: refusals sent, turns
 * expired and skipped, and a hand-off by a {@code Say} or {@code Pass} with its latency up to now.
 * Members and rooms are counted by each store where it keeps them. Allocates nothing.
 */
public final class OutcomeMetrics {

    private OutcomeMetrics() {
    }

    /** @param arrivedNanos when the command reached the store ({@link System#nanoTime}); 0 if unknown */
    public static void count(ServerMetrics metrics, RoomCommand command, RoomOutcome outcome, long arrivedNanos) {
        for (int i = 0; i < outcome.replies().size(); i++) {
            if (outcome.replies().get(i) instanceof RoomReply.Refused refused) {
                metrics.errorSent(RoomFrames.code(refused.refusal()));
            }
        }
        boolean granted = false;
        for (int i = 0; i < outcome.events().size(); i++) {
            RoomEvent e = outcome.events().get(i);
            if (e instanceof RoomEvent.TurnGranted) {
                granted = true;
            } else if (e instanceof RoomEvent.TurnExpired) {
                metrics.turnExpired();
            } else if (e instanceof RoomEvent.TurnSkipped) {
                metrics.turnSkipped();
            }
        }
        if (granted && arrivedNanos != 0
                && (command instanceof RoomCommand.Say || command instanceof RoomCommand.Pass)) {
            metrics.handOff(command instanceof RoomCommand.Say ? ServerMetrics.HandOff.SAID : ServerMetrics.HandOff.PASSED,
                    System.nanoTime() - arrivedNanos);
        }
    }
}
