package dev.hotpochato.bench.sut;

import java.net.InetSocketAddress;

/**
 * The HotPochato server a scenario drives: in this process, in a child JVM, or already running
 * elsewhere on this machine. Each says what it can about its own CPU and memory.
 */
public interface ServerUnderTest extends AutoCloseable {

    InetSocketAddress address();

    /** For the report: how and where the server runs. */
    String description();

    /** CPU used by the server so far in nanoseconds, or -1 if it cannot be known from here. */
    long cpuNanos();

    /** Heap and direct memory in use after a full collection, or null if it cannot be known from here. */
    MemoryStats memory();

    /** {max, open} file descriptors of the server's process, or {-1, -1}. */
    long[] fileDescriptors();

    /** True if the server shares this process (and so its file-descriptor limit) with the load generator. */
    boolean inProcess();

    @Override
    void close();

    /** Memory in use, in bytes, and the connections open at the time. */
    record MemoryStats(long heapBytes, long directBytes, int connections) {
    }
}
