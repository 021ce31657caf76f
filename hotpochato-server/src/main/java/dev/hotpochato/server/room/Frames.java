package dev.hotpochato.server.room;

import com.google.protobuf.CodedOutputStream;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Builders for the server frames that several places send. */
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

    /**
     * The serialized {@code frame} with its request_id set to {@code requestId}, given the frame
     * serialized with request_id 0. request_id is field 1, which protobuf writes first, so this is
     * the field's tag and value followed by the rest unchanged: byte for byte what serializing the
     * frame with the id would give, without building or serializing it again.
     */
    static byte[] withRequestId(byte[] serializedWithoutId, long requestId) {
        if (requestId == 0) {
            throw new IllegalArgumentException("request id 0 is the absence of one: send the frame as it is");
        }
        int tag = CodedOutputStream.computeTagSize(ServerFrame.REQUEST_ID_FIELD_NUMBER);
        int head = tag + CodedOutputStream.computeUInt64SizeNoTag(requestId);
        byte[] out = new byte[head + serializedWithoutId.length];
        CodedOutputStream coded = CodedOutputStream.newInstance(out, 0, head);
        try {
            coded.writeUInt64(ServerFrame.REQUEST_ID_FIELD_NUMBER, requestId);
            coded.checkNoSpaceLeft();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.arraycopy(serializedWithoutId, 0, out, head, serializedWithoutId.length);
        return out;
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
