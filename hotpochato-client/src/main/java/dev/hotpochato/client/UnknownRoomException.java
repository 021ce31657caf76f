package dev.hotpochato.client;

/** {@link ErrorCode#UNKNOWN_ROOM}: No such room, or it is a private room this client is not in. */
public final class UnknownRoomException extends ServerErrorException {

    private static final long serialVersionUID = 1L;

    public UnknownRoomException(String message, String room) {
        super(ErrorCode.UNKNOWN_ROOM, message, room, false);
    }
}
