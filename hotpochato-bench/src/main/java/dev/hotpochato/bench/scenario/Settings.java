package dev.hotpochato.bench.scenario;

import java.util.List;

/**
 * What every scenario shares: where the server is, how it is run and how big the load generator is.
 *
 * @param host           a running server's host, or null to start one
 * @param port           a running server's port (with {@code host})
 * @param serverMode     how to run the server when none is given by host and port
 * @param serverThreads  the server's worker event loops; 0 for its default (one per core)
 * @param clientThreads  the load generator's event loops
 * @param textBytes      size of each {@code Say.text} (and of each Redis payload)
 * @param serverJvmArgs  extra JVM flags for a spawned server, e.g. a JFR recording
 */
public record Settings(String host, int port, ServerMode serverMode, int serverThreads, int clientThreads,
                       int textBytes, List<String> serverJvmArgs) {

    /** Where the server under test runs. */
    public enum ServerMode {
        /** Each scenario's own choice: in-process, except where the file-descriptor limit calls for a child JVM. */
        AUTO,
        /** In this JVM, on its own event loops. */
        INPROCESS,
        /** In a child JVM started from this jar. */
        SPAWN
    }

    public static Settings defaults() {
        return new Settings(null, 0, ServerMode.AUTO, 0, 1, 32, List.of());
    }
}
