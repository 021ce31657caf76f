package dev.hotpochato.client;

/**
 * A connection to a server could not be made, or what answered is not a HotPochato server that
 * this client can talk to. {@link #reason()} says which, so that a program can give its user a
 * hint; the message is one line in plain words, and the cause (when there is one) the underlying
 * error. A server that answered and refused (a wrong token, a name it does not accept) fails with
 * {@link ServerErrorException} instead.
 */
public final class ConnectFailedException extends HotPochatoException {

    private static final long serialVersionUID = 1L;

    /** Why a connection failed. */
    public enum Reason {
        /** Nothing accepts connections at the address: no server runs there, or on another port. */
        REFUSED,
        /** The address cannot be reached: an unknown host, no route to it, or no answer within the connect timeout. */
        UNREACHABLE,
        /** The server speaks TLS there, but this client connected without it ({@link ClientOptions#tls()}). */
        TLS_REQUIRED,
        /** This client connected with TLS, but the server does not speak TLS there. */
        TLS_NOT_SUPPORTED,
        /**
         * The TLS handshake failed, typically because the server's certificate is not trusted or does
         * not name the host connected to (see {@link TlsOptions}); the cause is the TLS error.
         */
        TLS_HANDSHAKE_FAILED,
        /**
         * What listens there is not a HotPochato server: it answered with something else than a
         * {@code Welcome}, closed the connection without a word, or said nothing within
         * {@link ClientOptions#handshakeTimeout()}.
         */
        NOT_HOTPOCHATO
    }

    private final Reason reason;
    private final transient ServerAddress address;
    private final String detail;

    public ConnectFailedException(Reason reason, ServerAddress address, String detail, Throwable cause) {
        super("cannot connect to " + address + ": " + detail, cause);
        this.reason = reason;
        this.address = address;
        this.detail = detail;
    }

    /** What happened, in a few words, without the address: e.g. "no answer to the handshake within 10s". */
    public String detail() {
        return detail;
    }

    /** Why it failed. */
    public Reason reason() {
        return reason;
    }

    /** The address it failed at. */
    public ServerAddress address() {
        return address;
    }
}
