package dev.hotpochato.client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How a client secures its connection with TLS: which certificates it trusts, and whether the
 * server's certificate must name the host connected to. Immutable; made with {@link #builder()},
 * or {@link #defaults()} for the JDK's trust store with host name verification.
 */
public final class TlsOptions {

    private final Path trustedCertificates;
    private final boolean verifyHostname;

    private TlsOptions(Builder b) {
        this.trustedCertificates = b.trustedCertificates;
        this.verifyHostname = b.verifyHostname;
    }

    /** The JDK's default trust store, host name verification on. */
    public static TlsOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A PEM file of the certificates (a CA's, or the server's own) that are trusted instead of the
     * JDK's trust store; empty for the JDK's trust store.
     */
    public Optional<Path> trustedCertificates() {
        return Optional.ofNullable(trustedCertificates);
    }

    /**
     * Whether the server's certificate must name {@link ClientOptions#host()} (as HTTPS checks it).
     * Default true. Turn it off only for a certificate trusted on its own, e.g. a self-signed one
     * reached by IP address.
     */
    public boolean verifyHostname() {
        return verifyHostname;
    }

    @Override
    public String toString() {
        return "TLS{trust=" + (trustedCertificates == null ? "JDK default" : trustedCertificates)
                + (verifyHostname ? "" : ", no host name check") + "}";
    }

    /** Builds {@link TlsOptions}. */
    public static final class Builder {
        private Path trustedCertificates;
        private boolean verifyHostname = true;

        private Builder() {
        }

        /** See {@link TlsOptions#trustedCertificates()}; the file must exist. Null for the JDK's trust store. */
        public Builder trustedCertificates(Path pemFile) {
            if (pemFile != null && !Files.isReadable(pemFile)) {
                throw new InvalidOptionException("trustedCertificates", "the trusted certificates file " + pemFile,
                        "cannot be read");
            }
            this.trustedCertificates = pemFile;
            return this;
        }

        /** See {@link TlsOptions#verifyHostname()}. */
        public Builder verifyHostname(boolean verifyHostname) {
            this.verifyHostname = verifyHostname;
            return this;
        }

        public TlsOptions build() {
            return new TlsOptions(this);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsOptions t && Objects.equals(trustedCertificates, t.trustedCertificates)
                && verifyHostname == t.verifyHostname;
    }

    @Override
    public int hashCode() {
        return Objects.hash(trustedCertificates, verifyHostname);
    }
}
