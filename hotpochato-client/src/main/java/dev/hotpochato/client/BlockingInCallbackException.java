package dev.hotpochato.client;

/**
 * Thrown instead of a deadlock: a callback of a session (a listener, a turn handler, a dependent
 * stage of one of its futures) waited for one of that session's results, with {@code join()},
 * {@code get()} or the {@link Session#sync()} facade. Those results are completed by the same
 * callback thread, which would wait for itself forever. Chain instead
 * ({@code turn.say(text).thenAccept(...)}), or wait outside callbacks.
 */
public final class BlockingInCallbackException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    public BlockingInCallbackException(String what) {
        super("waiting for " + what + " inside a callback of its own session would deadlock: callbacks run one"
                + " at a time, and this one would wait for a later one. Chain with thenAccept/thenCompose instead,"
                + " or wait outside callbacks");
    }
}
