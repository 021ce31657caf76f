package dev.hotpochato.client;

/** {@link ErrorCode#NOT_YOUR_TURN}: Say or Pass from a member who does not hold the turn; nothing changed in the room. */
public final class NotYourTurnException extends ServerErrorException {

    private static final long serialVersionUID = 1L;

    public NotYourTurnException(String message, String room) {
        super(ErrorCode.NOT_YOUR_TURN, message, room, false);
    }
}
