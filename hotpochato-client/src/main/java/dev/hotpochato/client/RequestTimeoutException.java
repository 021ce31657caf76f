package dev.hotpochato.client;

import java.time.Duration;

/**
 * No reply to a request came within {@link ClientOptions#requestTimeout()}. The connection stays
 * open; a late reply, if one ever comes, is ignored.
 */
public final class RequestTimeoutException extends HotPochatoException {

    private static final long serialVersionUID = 1L;

    public RequestTimeoutException(String request, Duration timeout) {
        super("no reply to " + request + " within " + timeout.toMillis() + " ms");
    }
}
