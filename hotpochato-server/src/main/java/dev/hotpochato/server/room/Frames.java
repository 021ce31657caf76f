package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;

/** Builders for the error frames that several places send. */
public final class Frames {

    private Frames() {
    }

    /** An error that leaves the connection open. */
    public static ServerFrame error(long requestId, Error.Code code, String message, String room) {
        return errorFrame(requestId, code, message, room, false);
    }

    /** An error after which the server closes the connection. */
    public static ServerFrame fatal(long requestId, Error.Code code, String message) {
        return errorFrame(requestId, code, message, "", true);
    }

    private static ServerFrame errorFrame(long requestId, Error.Code code, String message, String room,
                                          boolean fatal) {
        return ServerFrame.newBuilder()
                .setRequestId(requestId)
                .setError(Error.newBuilder()
                        .setCode(code)
                        .setMessage(message)
                        .setRoom(room == null ? "" : room)
                        .setFatal(fatal))
                .build();
    }
}
