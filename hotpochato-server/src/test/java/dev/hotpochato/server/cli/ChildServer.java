package dev.hotpochato.server.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The server program in a child JVM, as an operator runs it, with its output read line by line.
 * Every wait has a deadline; {@link #close} kills what is left.
 */
final class ChildServer implements AutoCloseable {

    /** Generous: a loaded machine starts a JVM slowly. A deadline for "eventually", never for "fast". */
    static final Duration PATIENCE = Duration.ofSeconds(60);
    static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    final Process process;
    private final Thread reader;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer seen = new StringBuffer();

    private ChildServer(Process process) {
        this.process = process;
        reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    seen.append(line).append('\n');
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "child-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** {@code java -cp <tests' class path> ServerCommand args}, with the program's own log configuration. */
    static List<String> javaCommand(String... args) {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java, "-Dlog4j2.configurationFile=log4j2.xml",
                "-cp", System.getProperty("java.class.path"), ServerCommand.class.getName()));
        command.addAll(List.of(args));
        return command;
    }

    static ChildServer launch(String... args) throws IOException {
        return launch(Map.of(), args);
    }

    /** Launches the server with {@code env} added to this process's environment. */
    static ChildServer launch(Map<String, String> env, String... args) throws IOException {
        return start(new ProcessBuilder(javaCommand(args)), env);
    }

    /** Starts any command (a pseudo-terminal around the server, say) and reads its output. */
    static ChildServer start(ProcessBuilder builder, Map<String, String> env) throws IOException {
        builder.environment().keySet().removeIf(k -> k.startsWith("HOTPOCHATO_"));
        builder.environment().putAll(env);
        return new ChildServer(builder.redirectErrorStream(true).start());
    }

    /** Waits for a line matching {@code pattern} and returns its match; fails with all output after the deadline. */
    Matcher await(Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null) {
                Matcher m = pattern.matcher(line);
                if (m.find()) {
                    return m;
                }
            } else if (!process.isAlive() && lines.isEmpty()) {
                break;
            }
        }
        return fail("no line matching " + pattern + " in the output:\n" + seen);
    }

    /** The port from the start line (the server was started with --bind 127.0.0.1). */
    int port() throws InterruptedException {
        return Integer.parseInt(await(LISTENING).group(1));
    }

    /** Waits for the exit; returns its status. */
    int exitValue() throws InterruptedException {
        if (!process.waitFor(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("did not exit; output:\n" + seen);
        }
        return process.exitValue();
    }

    /** All output so far; after {@link #exitValue()}, all of it. */
    String output() throws InterruptedException {
        if (!process.isAlive()) {
            reader.join(TimeUnit.SECONDS.toMillis(10)); // the rest of the output is on its way
        }
        return seen.toString();
    }

    /** Types {@code text} on the child's standard input. */
    void type(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Sends {@code signal} (HUP, TERM, ...) to {@code pid} with kill(1). */
    static void kill(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            fail("kill -" + signal + " " + pid + " failed");
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
