package dev.hotpochato.client;

/** {@link ErrorCode#NAME_TAKEN}: Another member of the room already uses this client's display name. */
public final class NameTakenException extends ServerErrorException {

    private static final long serialVersionUID = 1L;

    public NameTakenException(String message, String room) {
        super(ErrorCode.NAME_TAKEN, message, room, false);
    }
}
