package dev.hotpochato.server.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The POSIX signals the server program answers, through {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}, in every JDK since 9). A signal this platform lacks (Windows has no
 * SIGHUP), or one the JVM keeps for itself ({@code -Xrs}), is skipped: the server then simply does
 * not answer it.
 */
final class Signals {

    private Signals() {
    }

    /** SIGINT (Ctrl-C) and SIGTERM run {@code stop}, on a thread of the JVM's. */
    static void onStop(Runnable stop) {
        handle("INT", stop);
        handle("TERM", stop);
    }

    /** SIGHUP runs {@code reload} (as nginx, HAProxy and Prometheus do), instead of ending the JVM. */
    static void onReload(Runnable reload) {
        handle("HUP", reload);
    }

    /**
     * Ignores SIGTTIN and SIGTTOU, which a terminal sends to a background process that reads it (or
     * writes to it, with {@code stty tostop}) and which by default stop the whole JVM: the server,
     * and every client it serves. Ignored, a background read fails at once with EIO instead (the
     * {@link ConsoleWatcher} waits and tries again) and a background write goes through.
     */
    static void ignoreTerminalStops() {
        for (String name : new String[] {"TTIN", "TTOU"}) {
            try {
                Signal.handle(new Signal(name), SignalHandler.SIG_IGN);
            } catch (IllegalArgumentException notHere) {
                // no job control on this platform: nothing can stop us through the terminal either
            }
        }
    }

    private static void handle(String name, Runnable action) {
        try {
            Signal.handle(new Signal(name), signal -> action.run());
        } catch (IllegalArgumentException notHere) {
            // not a signal of this platform, or reserved by the JVM
        }
    }
}
