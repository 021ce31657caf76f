package dev.hotpochato.server.cli;

import dev.hotpochato.testing.TestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The server in a real terminal: a pseudo-terminal made by script(1), a bash with job control in
 * it, and the server in its foreground or its background. What the test types goes to the terminal.
 */
@EnabledOnOs(OS.LINUX)
class ConsoleTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void needsScriptAndBash() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")) && Files.isExecutable(Path.of("/bin/bash")),
                "script(1) (util-linux) and bash are needed to run the server in a pseudo-terminal; skipped");
    }

    /** Runs {@code lines} as a bash script in a new pseudo-terminal, bash having job control ({@code set -m}). */
    private ChildServer inTerminal(String... lines) throws IOException {
        Path script = Files.writeString(dir.resolve("run.sh"), "set -m\n" + String.join("\n", lines) + "\n");
        return ChildServer.start(new ProcessBuilder("script", "-qfec", "/bin/bash " + script, "/dev/null"), Map.of());
    }

    /** The server's command line, quoted for bash. */
    private static String server(String... args) {
        return ChildServer.javaCommand(args).stream().map(a -> "'" + a.replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    /** The state letter of a Linux process (R, S, T for stopped, ...), from /proc. */
    private static String state(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }

    @Test
    void inTheBackgroundOfATerminalTheServerKeepsServingAndLeavesTheTerminalToTheShell() throws Exception {
        try (ChildServer terminal = inTerminal(
                server("--port", "0", "--bind", "127.0.0.1") + " &",
                "echo \"server pid $!\"",
                "read -r line",
                "echo \"shell read: $line\"",
                "wait %1",
                "echo \"server exit $?\"")) {
            long pid = Long.parseLong(terminal.await(Pattern.compile("server pid (\\d+)")).group(1));
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", terminal.port());

            // Before the fix the server read the terminal from the background: SIGTTIN stopped the
            // whole JVM ("Stopped (tty input)") and this Hello was never answered.
            try (TestClient alice = TestClient.hello(address, "alice")) {
                terminal.type("quit\n");
                terminal.await(Pattern.compile("shell read: quit")); // the shell got the line, not the server
                assertNotEquals("T", state(pid), "the server is not stopped");
                try (TestClient bob = TestClient.hello(address, "bob")) {
                    assertEquals("bob", bob.name());
                }
            }
            ChildServer.kill("TERM", pid);
            terminal.await(Pattern.compile("server exit 0"));
        }
    }

    @Test
    void inTheForegroundQuitStopsTheServer() throws Exception {
        try (ChildServer terminal = inTerminal(
                server("--port", "0", "--bind", "127.0.0.1"),
                "echo \"server exit $?\"")) {
            terminal.port();
            terminal.type("hello\n");
            terminal.await(Pattern.compile("type 'quit' to stop the server"));
            terminal.type("quit\n");
            terminal.await(Pattern.compile("server exit 0"));
        }
    }

    @Test
    void withNoConsoleTheServerLeavesTheTerminalAlone() throws Exception {
        try (ChildServer terminal = inTerminal(
                server("--port", "0", "--bind", "127.0.0.1", "--no-console") + " &",
                "echo \"server pid $!\"",
                "fg %1",
                "echo \"server exit $?\"",
                "read -r line",
                "echo \"left for the shell: $line\"")) {
            long pid = Long.parseLong(terminal.await(Pattern.compile("server pid (\\d+)")).group(1));
            int port = terminal.port();
            terminal.type("quit\n"); // in the foreground now, but the server does not read its terminal
            try (TestClient alice = TestClient.hello(new InetSocketAddress("127.0.0.1", port), "alice")) {
                assertEquals("alice", alice.name());
            }
            ChildServer.kill("TERM", pid);
            terminal.await(Pattern.compile("server exit 0"));
            // The line typed while the server ran is still in the terminal, for the shell.
            terminal.await(Pattern.compile("left for the shell: quit"));
            assertFalse(terminal.output().contains("type 'quit'"), terminal.output());
        }
    }
}
