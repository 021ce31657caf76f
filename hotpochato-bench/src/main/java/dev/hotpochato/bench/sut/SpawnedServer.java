package dev.hotpochato.bench.sut;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server in a child JVM started from this benchmark's own class path ({@link ServerProcess}).
 * Its CPU and memory are its own, and so is its file-descriptor limit.
 */
public final class SpawnedServer implements ServerUnderTest {

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;
    private final int port;
    private final int threads;

    private SpawnedServer(Process process, int threads) throws IOException {
        this.process = process;
        this.threads = threads;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        String ready = expect("READY");
        this.port = Integer.parseInt(ready.split(" ")[1]);
    }

    /**
     * Starts the child JVM with {@code jvmArgs} (heap size, profiling flags) and waits until it listens.
     */
    public static SpawnedServer start(int workerThreads, int maxMembersPerRoom, List<String> jvmArgs)
            throws IOException {
        return start(workerThreads, maxMembersPerRoom, jvmArgs, null);
    }

    /** As above, as a cluster node on the Redis at {@code cluster} ({@code redis://host:port}); null: in memory. */
    public static SpawnedServer start(int workerThreads, int maxMembersPerRoom, List<String> jvmArgs, String cluster)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("-Xmx4g");
        command.add("-Djava.net.preferIPv4Stack=true");
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ServerProcess.class.getName());
        command.add(Integer.toString(workerThreads));
        command.add(Integer.toString(Math.max(2, maxMembersPerRoom)));
        if (cluster != null) {
            command.add(cluster);
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            return new SpawnedServer(process, workerThreads);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** Reads the child's output up to the line starting with {@code word}; other lines are its logs. */
    private String expect(String word) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith(word + " ")) {
                return line;
            }
            System.err.println("[server] " + line);
        }
        throw new IOException("the server process ended before saying " + word);
    }

    private synchronized long[] stats(String command) {
        in.println(command);
        try {
            String[] f = expect("STATS").split(" ");
            long[] values = new long[f.length - 1];
            for (int i = 1; i < f.length; i++) {
                values[i - 1] = Long.parseLong(f[i]);
            }
            return values;
        } catch (IOException e) {
            throw new IllegalStateException("the server process stopped answering", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Override
    public String description() {
        return "child JVM (pid " + process.pid() + "), " + (threads == 0 ? "default (1 per core)"
                : Integer.toString(threads)) + " worker threads";
    }

    @Override
    public long cpuNanos() {
        return stats("stats")[3];
    }

    @Override
    public MemoryStats memory() {
        long[] s = stats("memory");
        return new MemoryStats(s[0], s[1], (int) s[2]);
    }

    @Override
    public long[] fileDescriptors() {
        long[] s = stats("stats");
        return new long[]{s[4], s[5]};
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    @Override
    public void close() {
        in.println("quit");
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
