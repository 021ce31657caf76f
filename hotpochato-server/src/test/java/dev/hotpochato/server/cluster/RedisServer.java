package dev.hotpochato.server.cluster;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server for a test class, on 127.0.0.1 and a free port, with no persistence (or an
 * append-only file in a temporary directory when asked), stopped after the class. Skips the class
 * with a clear message if {@code redis-server} is not installed ({@code .ci/run} installs it:
 * {@code apt-get install redis-server}).
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

    private static final Path[] CANDIDATES = {Path.of("/usr/bin/redis-server"), Path.of("/usr/local/bin/redis-server")};

    private final boolean appendOnly;
    private final List<String> extraArguments;
    private Process process;
    private int port;
    private Path dir;
    private Path binary;

    /** A Redis that keeps nothing on disk. */
    public RedisServer() {
        this(false);
    }

    /** @param appendOnly keep an append-only file, written through on every command ({@code appendfsync always}) */
    public RedisServer(boolean appendOnly) {
        this(appendOnly, List.of());
    }

    /**
     * A Redis that keeps nothing on disk, started with these arguments too ({@code --requirepass},
     * {@code --tls-port}, ...); its plain port stays open, for {@link #command}.
     */
    public RedisServer(List<String> extraArguments) {
        this(false, extraArguments);
    }

    private RedisServer(boolean appendOnly, List<String> extraArguments) {
        this.appendOnly = appendOnly;
        this.extraArguments = List.copyOf(extraArguments);
    }

    /** The redis-server binary, or null if there is none. */
    public static Path binary() {
        for (Path p : CANDIDATES) {
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        Path binary = binary();
        Assumptions.assumeTrue(binary != null,
                "redis-server is not installed (apt-get install redis-server): the cluster tests need a real Redis");
        this.binary = binary;
        dir = Files.createTempDirectory("hotpochato-redis");
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            port = freePort();
            try {
                launch();
                return;
            } catch (IOException e) {
                last = e;
                stopProcess(); // the port was taken between looking and binding: try another
            }
        }
        throw last;
    }

    private void launch() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", appendOnly ? "yes" : "no",
                "--appendfsync", "always", "--enable-debug-command", "local", "--dir", dir.toString(), "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(extraArguments);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        awaitPing(30_000);
    }

    /** Kills Redis at once (SIGKILL), as a crash would: nothing is flushed that was not already. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        process = null;
    }

    /** Stops Redis without ending it (SIGSTOP), as a long pause would: commands wait unanswered. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a paused Redis run again (SIGCONT): it answers what waited, in order. */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    /** Starts Redis again on the same port and directory: from its append-only file, if it keeps one. */
    public void restart() throws IOException, InterruptedException {
        launch();
    }

    /** A port free on 127.0.0.1 a moment ago (for a second port of a Redis, say its TLS port). */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void awaitPing(long timeoutMillis) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("redis-server exited: " + Files.readString(dir.resolve("stdout.log")));
            }
            try {
                String pong = command("PING");
                if (pong.startsWith("+PONG") || pong.startsWith("-NOAUTH")) { // answering, though it wants a password
                    return;
                }
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("redis-server did not answer on port " + port, notYet);
                }
            }
            Thread.sleep(20); // polling a process that is starting: not a timing assumption of a test
        }
    }

    /** Sends one inline command and returns the first line of the answer. */
    public String command(String inline) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                line.append((char) c);
            }
            return line.toString().trim();
        }
    }

    /** Sends one inline command whose answer is a bulk string (UTF-8) and returns it; null for a nil answer. */
    public String bulk(String inline) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write((inline + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
            StringBuilder head = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                head.append((char) c);
            }
            String h = head.toString().trim();
            if (!h.startsWith("$")) {
                throw new IOException("not a bulk string: " + h);
            }
            int n = Integer.parseInt(h.substring(1));
            if (n < 0) {
                return null;
            }
            byte[] value = new byte[n];
            in.readFully(value);
            return new String(value, StandardCharsets.UTF_8);
        }
    }

    public int port() {
        return port;
    }

    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        stopProcess();
    }

    private void stopProcess() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            process = null;
        }
    }
}
