package dev.hotpochato.client;

/**
 * The connection closed before a request was answered, or a request was made on a closed session.
 * The cause, when there is one, says why: a fatal {@link ServerErrorException}, or an I/O error.
 */
public final class ConnectionClosedException extends HotPochatoException {

    private static final long serialVersionUID = 1L;

    private final boolean mayHaveBeenActedOn;

    public ConnectionClosedException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /**
     * @param mayHaveBeenActedOn the request had been sent and the connection closed before its
     *        answer: the server may have acted on it (see {@link #mayHaveBeenActedOn()})
     */
    public ConnectionClosedException(String message, Throwable cause, boolean mayHaveBeenActedOn) {
        super(message, cause);
        this.mayHaveBeenActedOn = mayHaveBeenActedOn;
    }

    /**
     * Whether the server may have acted on the request: it was sent, and the connection closed
     * before its answer came (a crash, a network failure). False for a request never sent (made while
     * the session was reconnecting or closed, or whose write failed); a request left unanswered by a
     * server that said it was stopping ({@code SERVER_SHUTTING_DOWN}, the cause) was not acted on
     * either, since a stopping server answers what it did before its goodbye.
     */
    public boolean mayHaveBeenActedOn() {
        return mayHaveBeenActedOn;
    }
}
