package dev.hotpochato.client;

/**
 * The connection closed before a request was answered, or a request was made on a closed session.
 * The cause, when there is one, says why: a fatal {@link ServerErrorException}, or an I/O error.
 */
public final class ConnectionClosedException extends HotPochatoException {

    private static final long serialVersionUID = 1L;

    public ConnectionClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
