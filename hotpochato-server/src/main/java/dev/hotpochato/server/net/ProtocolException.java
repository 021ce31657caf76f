package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.Error;

/**
 * A client broke the protocol in a way that ends its connection. Thrown by handlers and turned
 * into a fatal {@code Error} frame and a close by {@link ErrorHandler}.
 */
class ProtocolException extends RuntimeException {

    private final Error.Code code;
    private final long requestId;

    ProtocolException(Error.Code code, String message, long requestId) {
        super(message, null, false, false);
        this.code = code;
        this.requestId = requestId;
    }

    Error.Code code() {
        return code;
    }

    long requestId() {
        return requestId;
    }
}
