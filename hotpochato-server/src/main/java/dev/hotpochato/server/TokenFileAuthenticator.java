package dev.hotpochato.server;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Lets in clients whose token is one of the lines of a file. Blank lines and lines starting with
 * {@code #} are ignored; the file is read once, when the server starts.
 */
public final class TokenFileAuthenticator implements Authenticator {

    private final List<byte[]> tokens;

    private TokenFileAuthenticator(List<byte[]> tokens) {
        this.tokens = tokens;
    }

    public static TokenFileAuthenticator load(Path file) throws IOException {
        List<byte[]> tokens = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String token = line.strip();
            if (!token.isEmpty() && !token.startsWith("#")) {
                tokens.add(token.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (tokens.isEmpty()) {
            throw new IOException(file + " holds no tokens");
        }
        return new TokenFileAuthenticator(tokens);
    }

    @Override
    public CompletionStage<Boolean> authenticate(String displayName, String token, SocketAddress remote) {
        byte[] given = token.getBytes(StandardCharsets.UTF_8);
        boolean ok = false;
        for (byte[] known : tokens) {
            // Constant-time comparison, and every token is tried: timing reveals nothing.
            ok |= MessageDigest.isEqual(known, given);
        }
        return CompletableFuture.completedFuture(ok);
    }
}
