package dev.hotpochato.bench.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Idle clients held by a child JVM ({@link IdleClientsProcess}): a load generator past this
 * process's file-descriptor limit, since each process gets a limit of its own.
 */
public final class SpawnedIdleClients implements AutoCloseable {

    private final Process process;
    private final BufferedReader out;
    private final PrintWriter in;

    /** What the child reported once it stopped connecting. */
    public record Connected(int held, double seconds, int failures, String firstFailure) {
    }

    private SpawnedIdleClients(Process process) {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /** Starts connecting {@code count} clients named {@code prefix<i>} to {@code server}; returns at once. */
    public static SpawnedIdleClients start(InetSocketAddress server, int count, int sourceAddresses, String prefix)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx1g", "-Djava.net.preferIPv4Stack=true",
                "-cp", System.getProperty("java.class.path"), IdleClientsProcess.class.getName(),
                server.getHostString(), Integer.toString(server.getPort()), Integer.toString(count),
                Integer.toString(sourceAddresses), prefix))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new SpawnedIdleClients(process);
    }

    /** Waits until the child has stopped connecting; its other output lines are its logs. */
    public Connected awaitConnected() throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            if (line.startsWith("CONNECTED ")) {
                String[] f = line.split(" ", 5);
                return new Connected(Integer.parseInt(f[1]), Double.parseDouble(f[2]), Integer.parseInt(f[3]),
                        f.length > 4 && !f[4].isBlank() ? f[4] : null);
            }
            System.err.println("[clients] " + line);
        }
        throw new IOException("the load process ended before it had connected (exit " + exitCode() + ")");
    }

    private String exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "none yet";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() {
        in.println("quit");
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
