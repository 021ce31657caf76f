package dev.hotpochato.terminal;

import dev.hotpochato.client.ConnectFailedException;
import dev.hotpochato.client.ErrorCode;
import dev.hotpochato.client.ServerErrorException;

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
     * Reads the failure of {@link dev.hotpochato.client.HotPochatoClient#connect}: the library's
     * {@link ConnectFailedException} says why no server could be talked to, a
     * {@link ServerErrorException} that a server refused the client.
     *
     * @param hosts what --host and --port named, for a failure that names no address
     */
    public static ConnectFailure of(Throwable failure, String hosts) {
        Throwable e = Failures.unwrap(failure);
        if (e instanceof ServerErrorException s) {
            return refused(s, hosts);
        }
        if (e instanceof ConnectFailedException c) {
            return of(c, hosts);
        }
        return cannot(hosts + " did not open a session: " + Failures.message(e)
                + " (is it a HotPochato server? check --host, --port and --tls)");
    }

    /** The library says why; the line says what to do about it. */
    private static ConnectFailure of(ConnectFailedException e, String hosts) {
        String where = e.address() == null ? hosts : e.address().toString();
        String host = e.address() == null ? hosts : e.address().host();
        return cannot(switch (e.reason()) {
            case REFUSED -> "nothing is listening at " + where + ": is the server running? (check --host and --port)";
            case UNREACHABLE -> causedBy(e, UnknownHostException.class) || causedBy(e, UnresolvedAddressException.class)
                    ? "unknown host '" + host + "': check --host"
                    : "cannot reach " + where + ": check --host, --port and any firewall between";
            case TLS_REQUIRED -> where + " expects TLS: add --tls (and --trust FILE if its certificate is its own)";
            case TLS_NOT_SUPPORTED -> where + " does not speak TLS: connect without --tls (and --trust)";
            case TLS_HANDSHAKE_FAILED -> "the TLS certificate of " + where + " is not trusted or does not name '" + host
                    + "': give its certificate or its CA with --trust FILE, and connect by the name it carries";
            case NOT_HOTPOCHATO -> where + " did not answer as a HotPochato server (" + e.detail()
                    + "): check --host and --port; a server that is overloaded may answer on a second try";
        });
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
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
