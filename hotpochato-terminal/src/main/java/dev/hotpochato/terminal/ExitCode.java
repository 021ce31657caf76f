package dev.hotpochato.terminal;

/**
 * How the client ended, as its process exit code: each end has its own, so a script can tell
 * them apart. docs/client.md lists them; the numbers never change meaning.
 */
public enum ExitCode {
    /** Everything was said and the client left cleanly (scripted), or the user quit (interactive). */
    DONE(0, "done"),
    /** An unexpected failure inside the client (a bug): the message says what. */
    SOFTWARE(1, "internal error"),
    /** A bad option, option value or configuration file. */
    USAGE(2, "bad option or configuration"),
    /** No session could be opened: no server listening, a TLS mismatch, not a HotPochato server, unknown host, no answer. */
    CANNOT_CONNECT(3, "cannot connect"),
    /** The server refused this client or its room: the name, the token, a full room, a wrong password... */
    REFUSED(4, "refused by the server"),
    /** The connection was lost and could be neither resumed nor replaced by a new session. */
    CONNECTION_LOST(5, "connection lost"),
    /** The server shut down and did not come back in time. */
    SERVER_SHUT_DOWN(6, "server shut down"),
    /** Input lines were left unsaid: the others left, the room closed, or --max-wait passed first. */
    UNSAID(7, "lines left unsaid"),
    /** --max-wait passed after everything was said, before this client's turn came round again. */
    MAX_WAIT(8, "gave up waiting (--max-wait)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    /** The process exit code. */
    public int code() {
        return code;
    }

    /** A few words for people. */
    public String meaning() {
        return meaning;
    }
}
