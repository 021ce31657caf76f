package dev.hotpochato.server;

import dev.hotpochato.server.internal.Problems;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolNegotiator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSessionContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The server's TLS context, read from a PEM certificate chain and a PEM (PKCS#8) key, checked before
 * use, and replaceable while the server runs.
 *
 * <p>{@link #load} refuses, with one line naming the file, a file that cannot be read, a certificate
 * or key that does not parse, an encrypted or PKCS#1 key, a key that does not belong to the first
 * certificate, and a certificate that has expired: each of those would otherwise start a server that
 * every client fails to reach. Messages name the files by the {@link ServerOptions} accessors
 * ({@code tlsCertificate}, {@code tlsPrivateKey}), which the command line turns into its flags.
 *
 * <p>{@link #context()} is an {@link SslContext} that hands each new connection an engine from the
 * context loaded last; {@link #reload} swaps that context, so connections made before keep theirs
 * and no connection is dropped. Thread-safe: the swap is one volatile write.
 */
final class ServerTls {

    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private final Path certificateFile;
    private final Path keyFile;
    private final Context context = new Context();
    private volatile Loaded current;

    /** What one successful load gave: the context and the server's own certificate. */
    private record Loaded(SslContext context, X509Certificate certificate) {
    }

    private ServerTls(Path certificateFile, Path keyFile) {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
    }

    /** Reads and checks both files. @throws IllegalArgumentException saying which file is wrong and how */
    static ServerTls load(Path certificateFile, Path keyFile) {
        ServerTls tls = new ServerTls(certificateFile, keyFile);
        tls.current = tls.read();
        return tls;
    }

    /**
     * Reads both files again; if they pass every check of {@link #load}, new connections get the new
     * certificate. Otherwise nothing changes. @throws IllegalArgumentException as {@link #load}
     */
    void reload() {
        current = read();
    }

    /** For the server's pipeline: an engine from the latest certificate for each new connection. */
    SslContext context() {
        return context;
    }

    /** The server's own certificate (the first of the chain) in use now. */
    X509Certificate certificate() {
        return current.certificate();
    }

    /** When the certificate in use stops being valid. */
    Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    private Loaded read() {
        List<X509Certificate> chain = readCertificates();
        PrivateKey key = readKey();
        X509Certificate leaf = chain.get(0);
        if (!matches(key, leaf.getPublicKey())) {
            throw new IllegalArgumentException("tlsPrivateKey " + keyFile
                    + " does not belong to the certificate in tlsCertificate " + certificateFile
                    + " (the first certificate of the file must be the server's own)");
        }
        try {
            leaf.checkValidity();
        } catch (CertificateExpiredException e) {
            throw new IllegalArgumentException("tlsCertificate " + certificateFile + " expired on "
                    + leaf.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            // A clock slightly behind the issuer's is common; clients with the right time will accept it.
        }
        try {
            SslContext built = SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0])).build();
            return new Loaded(built, leaf);
        } catch (SSLException e) {
            throw new IllegalArgumentException("tlsCertificate " + certificateFile + " and tlsPrivateKey " + keyFile
                    + " cannot serve TLS: " + e.getMessage(), e);
        }
    }

    private List<X509Certificate> readCertificates() {
        String pem = readText(certificateFile, "tlsCertificate");
        try {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .stream().map(X509Certificate.class::cast).toList();
            if (chain.isEmpty()) {
                throw new CertificateException("no certificate");
            }
            return chain;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("tlsCertificate " + certificateFile
                    + " holds no PEM certificate (-----BEGIN CERTIFICATE-----) that parses");
        }
    }

    private PrivateKey readKey() {
        String pem = readText(keyFile, "tlsPrivateKey");
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            switch (type) {
                case "PRIVATE KEY" -> {
                    return parsePkcs8(Base64.getMimeDecoder().decode(m.group(2)));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> throw new IllegalArgumentException("tlsPrivateKey " + keyFile
                        + " is a traditional (" + type + ") key; convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in "
                        + keyFile + " -out key.pem");
                case "ENCRYPTED PRIVATE KEY" -> throw new IllegalArgumentException("tlsPrivateKey " + keyFile
                        + " is encrypted; decrypt it: openssl pkcs8 -topk8 -nocrypt -in " + keyFile + " -out key.pem");
                default -> {
                    // another block (EC PARAMETERS, a certificate): look further
                }
            }
        }
        throw new IllegalArgumentException("tlsPrivateKey " + keyFile
                + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
    }

    private PrivateKey parsePkcs8(byte[] der) {
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException | IllegalArgumentException tryTheNext) {
                // not this algorithm
            }
        }
        throw new IllegalArgumentException("tlsPrivateKey " + keyFile + " holds a PKCS#8 key that does not parse "
                + "(RSA, EC, Ed25519, Ed448 and DSA keys are understood)");
    }

    /** Signs a random challenge with {@code key} and checks it with {@code certified}. */
    private static boolean matches(PrivateKey key, PublicKey certified) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "Ed448" -> "Ed448";
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            // RSASSA-PSS needs parameters the key may not carry; the algorithms at least must agree.
            return key.getAlgorithm().equals(certified.getAlgorithm());
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certified);
            verifier.update(challenge);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false; // e.g. an EC key against an RSA certificate
        }
    }

    private static String readText(Path file, String option) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read: " + Problems.describe(e), e);
        }
    }

    /** Delegates to the context loaded last, so that a reload reaches new connections only. */
    @SuppressWarnings("deprecation") // SslContext's abstract API still returns ApplicationProtocolNegotiator
    private final class Context extends SslContext {
        @Override
        public boolean isClient() {
            return false;
        }

        @Override
        public List<String> cipherSuites() {
            return current.context().cipherSuites();
        }

        @Override
        public ApplicationProtocolNegotiator applicationProtocolNegotiator() {
            return current.context().applicationProtocolNegotiator();
        }

        @Override
        public SSLEngine newEngine(ByteBufAllocator alloc) {
            return current.context().newEngine(alloc);
        }

        @Override
        public SSLEngine newEngine(ByteBufAllocator alloc, String peerHost, int peerPort) {
            return current.context().newEngine(alloc, peerHost, peerPort);
        }

        @Override
        public SSLSessionContext sessionContext() {
            return current.context().sessionContext();
        }
    }
}
