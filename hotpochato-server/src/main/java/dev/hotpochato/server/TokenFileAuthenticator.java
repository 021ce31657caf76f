package dev.hotpochato.server;

import dev.hotpochato.server.internal.Problems;

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
 * {@code #} are ignored. The file is read by {@link #load} and again by each {@link #reload} (which
 * {@link HotPochatoServer#reload()} calls, on SIGHUP for the server program): connections already
 * admitted stay, whatever the new file says.
 *
 * <p>Thread-safe: {@link #authenticate} reads the current list from any event loop without a lock;
 * a reload replaces the list as a whole.
 */
public final class TokenFileAuthenticator implements Authenticator {

    private final Path file;
    private volatile List<byte[]> tokens;

    private TokenFileAuthenticator(Path file, List<byte[]> tokens) {
        this.file = file;
        this.tokens = tokens;
    }

    /**
     * Reads {@code file}.
     *
     * @throws IOException with a message naming the file and the problem, when the file cannot be
     *                     read or holds no token
     */
    public static TokenFileAuthenticator load(Path file) throws IOException {
        return new TokenFileAuthenticator(file, read(file));
    }

    /**
     * Reads the file again and, if it can be read and holds a token, uses its tokens from now on.
     * Otherwise keeps the tokens it had and throws.
     *
     * @throws IOException as {@link #load} does
     */
    public void reload() throws IOException {
        tokens = read(file);
    }

    public Path file() {
        return file;
    }

    /** How many tokens the file held when it was last read. */
    public int tokenCount() {
        return tokens.size();
    }

    private static List<byte[]> read(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("cannot read the token file " + file + ": " + Problems.describe(e), e);
        }
        List<byte[]> tokens = new ArrayList<>();
        for (String line : lines) {
            String token = line.strip();
            if (!token.isEmpty() && !token.startsWith("#")) {
                tokens.add(token.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (tokens.isEmpty()) {
            throw new IOException("the token file " + file + " holds no tokens");
        }
        return List.copyOf(tokens);
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
