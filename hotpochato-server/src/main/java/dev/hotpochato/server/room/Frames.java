package dev.hotpochato.server.room;

import dev.hotpochato.protocol.ProtocolLimits;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ServerFrame;

/** Builders for the error frames that several places send. */
public final class Frames {

    /**
     * The most of a client's request a reply quotes, in code points: as long as the longest valid
     * name (a room name), so a valid name is always quoted whole. See {@link #excerpt}.
     */
    public static final int MAX_EXCERPT_CHARS = ProtocolLimits.MAX_ROOM_NAME_CHARS;

    /** The longest error message, in code points: room for a sentence and a few excerpts. */
    static final int MAX_MESSAGE_CHARS = 256;

    private Frames() {
    }

    /**
     * What a reply may quote of {@code text} taken from a request: all of it if it is at most
     * {@link #MAX_EXCERPT_CHARS} code points, else that many followed by "…". The one rule for every
     * name echoed back, so that what the server queues for a client never grows with what it sent.
     */
    public static String excerpt(String text) {
        return cut(text, MAX_EXCERPT_CHARS);
    }

    private static String cut(String text, int maxChars) {
        if (text.length() <= maxChars) {
            return text; // chars >= code points
        }
        int end = 0;
        for (int i = 0; i < maxChars && end < text.length(); i++) {
            end += Character.charCount(text.codePointAt(end));
        }
        return end == text.length() ? text : text.substring(0, end) + "…";
    }

    /** An error that leaves the connection open. {@code room} may come from the request: it is quoted as an {@link #excerpt}. */
    public static ServerFrame error(long requestId, Error.Code code, String message, String room) {
        return errorFrame(requestId, code, message, room, false);
    }

    /** An error after which the server closes the connection. */
    public static ServerFrame fatal(long requestId, Error.Code code, String message) {
        return errorFrame(requestId, code, message, "", true);
    }

    /** Every error frame: the room as an {@link #excerpt}, the message cut to {@link #MAX_MESSAGE_CHARS}. */
    private static ServerFrame errorFrame(long requestId, Error.Code code, String message, String room,
                                          boolean fatal) {
        return ServerFrame.newBuilder()
                .setRequestId(requestId)
                .setError(Error.newBuilder()
                        .setCode(code)
                        .setMessage(cut(message, MAX_MESSAGE_CHARS))
                        .setRoom(room == null ? "" : excerpt(room))
                        .setFatal(fatal))
                .build();
    }
}
