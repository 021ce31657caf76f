package dev.hotpochato.client;

/**
 * Called when the turn in a room comes to this client; the convenience for programs that take turns,
 * such as bots: {@code room.onMyTurn(turn -> turn.say(reply(turn.lastSaid())))}.
 *
 * <p>Runs on the session's callback executor (never on a network thread), after the
 * {@link RoomListener#onTurnGranted} listeners. It may say or pass at once, or later from another
 * thread. If it throws, the exception is logged and the turn is passed, so the room does not stall.
 */
@FunctionalInterface
public interface TurnHandler {

    void onMyTurn(MyTurn turn) throws Exception;
}
