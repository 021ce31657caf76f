package dev.hotpochato.server.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.Charset;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Reads the terminal for {@code quit} on a daemon thread of its own, never on a server thread.
 *
 * <p>It reads only while the server is in the terminal's foreground: with SIGTTIN ignored
 * ({@link Signals#ignoreTerminalStops}), a read from the background fails with EIO instead of
 * stopping the process, and the watcher then waits half a second and tries again, so {@code fg}
 * brings {@code quit} back. A read already waiting when the shell moves the server to the background
 * is not left waiting: the shell can only do that by stopping the process (Ctrl-Z), after which the
 * kernel restarts the read, which then fails with EIO like any other background read. The end of
 * input (Ctrl-D, or the terminal closing) stops the server, as {@code quit} does.
 */
final class ConsoleWatcher {

    private static final long BACKGROUND_RETRY_MILLIS = 500;

    private ConsoleWatcher() {
    }

    /** Whether standard input and output are a terminal. */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From JDK 22 System.console() may return a console when neither stream is a terminal;
        // Console.isTerminal() (22+) says which. Java 17 has neither the problem nor the method.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** Starts the watcher: {@code quit} or the end of input runs {@code stop}; other lines print a hint. */
    static void start(Runnable stop, PrintWriter hints) {
        Thread watcher = new Thread(() -> watch(stop, hints), "hotpochato-console");
        watcher.setDaemon(true);
        watcher.start();
    }

    private static void watch(Runnable stop, PrintWriter hints) {
        Charset charset = System.console() != null ? System.console().charset() : Charset.defaultCharset();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, charset));
        while (true) {
            String line;
            try {
                line = in.readLine();
            } catch (IOException backgroundOrGone) {
                // EIO: we are not in the terminal's foreground (or the terminal has gone). Never stall:
                // look again a little later.
                try {
                    TimeUnit.MILLISECONDS.sleep(BACKGROUND_RETRY_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                continue;
            }
            if (line == null || line.trim().toLowerCase(Locale.ROOT).equals("quit")) {
                stop.run();
                return;
            }
            if (!line.isBlank()) {
                hints.println("type 'quit' to stop the server");
                hints.flush();
            }
        }
    }
}
