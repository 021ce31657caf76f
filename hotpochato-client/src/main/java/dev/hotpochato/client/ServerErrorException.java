package dev.hotpochato.client;

/**
 * The server refused a request with an {@code Error} frame. {@link #code()} says why; the most
 * common refusals have subclasses of their own ({@link NotYourTurnException},
 * {@link NameTakenException}, {@link UnknownRoomException}) so they can be caught by type.
 */
public class ServerErrorException extends HotPochatoException {

    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final String room;
    private final boolean fatal;

    public ServerErrorException(ErrorCode code, String message, String room, boolean fatal) {
        super(code + ": " + message);
        this.code = code;
        this.room = room == null ? "" : room;
        this.fatal = fatal;
    }

    /** Why the server refused. */
    public ErrorCode code() {
        return code;
    }

    /** The room concerned, or an empty string. */
    public String room() {
        return room;
    }

    /** True if the server closed the connection after this error. */
    public boolean fatal() {
        return fatal;
    }

    /** The exception for {@code code}: one of the subclasses where there is one. */
    public static ServerErrorException of(ErrorCode code, String message, String room, boolean fatal) {
        return switch (code) {
            case NOT_YOUR_TURN -> new NotYourTurnException(message, room);
            case NAME_TAKEN -> new NameTakenException(message, room);
            case UNKNOWN_ROOM -> new UnknownRoomException(message, room);
            default -> new ServerErrorException(code, message, room, fatal);
        };
    }
}
