package dev.hotpochato.terminal;

import dev.hotpochato.client.ConnectFailedException;
import dev.hotpochato.client.ConnectionClosedException;
import dev.hotpochato.client.RequestTimeoutException;
import dev.hotpochato.client.ServerErrorException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Turns a failure into one line a person can read: the cause unwrapped, the code said once, no controls. */
public final class Failures {

    private Failures() {
    }

    /** The failure inside the wrappers that futures put around it. */
    public static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /**
     * One line saying what went wrong, without a stack trace. For a server's refusal, the server's
     * own words without the code in front ({@link #code} gives the code), so that nothing says the
     * code twice. Anything from the wire is made safe to print.
     */
    public static String message(Throwable e) {
        Throwable t = unwrap(e);
        String message = t.getMessage();
        if (message == null || message.isBlank()) {
            return t.getClass().getSimpleName();
        }
        if (t instanceof ServerErrorException s) {
            String prefix = s.code().name() + ": ";
            while (message.startsWith(prefix)) {
                message = message.substring(prefix.length());
            }
        }
        return SafeText.name(message);
    }

    /**
     * The server's error code for a refusal; for what the client itself found, a code of the same
     * form: {@code NOT_CONNECTED} (the connection is lost or closed), {@code TIMEOUT} (no reply in
     * time), {@code CANNOT_CONNECT}, else {@code CLIENT_ERROR}. Never a Java class name.
     */
    public static String code(Throwable e) {
        Throwable t = unwrap(e);
        if (t instanceof ServerErrorException s) {
            return s.code().name();
        }
        if (t instanceof ConnectionClosedException) {
            return "NOT_CONNECTED";
        }
        if (t instanceof RequestTimeoutException) {
            return "TIMEOUT";
        }
        if (t instanceof ConnectFailedException) {
            return "CANNOT_CONNECT";
        }
        return "CLIENT_ERROR";
    }
}
