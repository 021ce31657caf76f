package dev.hotpochato.terminal;

import dev.hotpochato.client.ConnectionClosedException;
import dev.hotpochato.client.ErrorCode;
import dev.hotpochato.client.RequestTimeoutException;
import dev.hotpochato.client.ServerErrorException;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;

/**
 * Why a session could not be opened, as one line saying what to do, and the exit code for it.
 *
 * @param exit  {@link ExitCode#CANNOT_CONNECT} or {@link ExitCode#REFUSED}
 * @param line  one line for standard error, without the program's name
 */
public record ConnectFailure(ExitCode exit, String line) {

    /**
     * Reads the failure of {@link dev.hotpochato.client.HotPochatoClient#connect}.
     *
     * @param tls whether the client asked for TLS
     */
    public static ConnectFailure of(Throwable failure, String host, int port, boolean tls) {
        Throwable e = Failures.unwrap(failure);
        String where = host + ":" + port;
        if (e instanceof ServerErrorException s) {
            return refused(s, where);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return cannot("unknown host '" + host + "': check --host");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                String message = String.valueOf(t.getMessage());
                if (message.contains("timed out")) {
                    return cannot("no answer from " + where + ": check --host, --port and any firewall between");
                }
                return cannot("nothing is listening at " + where + ": is the server running? (check --host and --port)");
            }
            if (t instanceof SSLException ssl) {
                if (String.valueOf(ssl.getMessage()).contains("not an SSL/TLS record")) {
                    return cannot(where + " does not speak TLS: connect without --tls (and --trust)");
                }
                if (ssl instanceof SSLHandshakeException) {
                    return cannot("the TLS certificate of " + where + " is not trusted or does not name '" + host
                            + "': give its certificate or its CA with --trust FILE, and connect by the name it carries");
                }
                return cannot("TLS with " + where + " failed (" + SafeText.name(String.valueOf(ssl.getMessage()))
                        + "): check --tls and --trust");
            }
        }
        if (e instanceof ConnectionClosedException) {
            return cannot(where + " closed the connection before welcoming us: "
                    + (tls ? "it is probably not a HotPochato server (check --port)"
                           : "if it uses TLS, add --tls (or --trust FILE); else it is not a HotPochato server"));
        }
        if (e instanceof RequestTimeoutException) {
            return cannot("no HotPochato welcome from " + where + ": it is probably not a HotPochato server"
                    + (tls ? "" : ", or it expects TLS (--tls)") + " (check --port)");
        }
        return cannot(where + " did not open a session: " + Failures.message(e)
                + " (is it a HotPochato server? check --host, --port and --tls)");
    }

    private static ConnectFailure refused(ServerErrorException s, String where) {
        String why = Failures.message(s);
        String line = switch (s.code()) {
            case INVALID_NAME -> "the server refused the name given by --name: " + why;
            case UNAUTHENTICATED -> "the server wants a valid token: " + why
                    + " (give it with --token-file FILE or HOTPOCHATO_TOKEN)";
            case UNSUPPORTED_VERSION -> where + " speaks another protocol version: " + why;
            case SERVER_SHUTTING_DOWN -> where + " is shutting down; try again later";
            default -> "the server refused the connection: " + why;
        };
        return new ConnectFailure(s.code() == ErrorCode.SERVER_SHUTTING_DOWN ? ExitCode.CANNOT_CONNECT : ExitCode.REFUSED,
                line);
    }

    private static ConnectFailure cannot(String line) {
        return new ConnectFailure(ExitCode.CANNOT_CONNECT, line);
    }
}
