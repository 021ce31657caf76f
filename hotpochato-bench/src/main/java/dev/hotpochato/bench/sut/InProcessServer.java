package dev.hotpochato.bench.sut;

import dev.hotpochato.bench.load.Cpu;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;

import java.net.InetSocketAddress;
import java.time.Duration;

/** A server started in this JVM on a free loopback port, on its own event loops. */
public final class InProcessServer implements ServerUnderTest {

    private final HotPochatoServer server;

    private InProcessServer(HotPochatoServer server) {
        this.server = server;
    }

    /** Starts a server with no turn timeout, {@code workerThreads} loops (0: the server's default). */
    public static InProcessServer start(int workerThreads, int maxMembersPerRoom) throws InterruptedException {
        return new InProcessServer(HotPochatoServer.start(options(workerThreads, maxMembersPerRoom)));
    }

    /** As {@link #start}, with the web port open too, for WebSocket clients ({@link #webAddress()}). */
    public static InProcessServer startWithWebPort(int workerThreads, int maxMembersPerRoom) throws InterruptedException {
        return new InProcessServer(HotPochatoServer.start(options(workerThreads, maxMembersPerRoom).toBuilder()
                .httpPort(0).build()));
    }

    /** The web port's address, or null if it is not open. */
    public InetSocketAddress webAddress() {
        InetSocketAddress web = server.webAddress();
        return web == null ? null : new InetSocketAddress("127.0.0.1", web.getPort());
    }

    /** The options every benchmark server runs with: no turn timeout, no abuse limits (one client machine). */
    public static ServerOptions options(int workerThreads, int maxMembersPerRoom) {
        return ServerOptions.builder()
                .bindAddress("127.0.0.1")
                .port(0)
                .turnTimeout(Duration.ZERO)
                .maxTurnTimeout(Duration.ZERO) // no cap: a default of no limit needs it
                .maxMembersPerRoom(Math.max(2, maxMembersPerRoom))
                .workerThreads(workerThreads)
                // The load generator is one client machine with many connections, each of which
                // sends as fast as it can: the abuse limits would (rightly) cut it off.
                .maxConnections(10_000_000)
                .maxConnectionsPerAddress(10_000_000)
                .maxFramesPerSecond(1_000_000)
                .frameBurst(1_000_000)
                .idleTimeout(Duration.ofHours(1))
                .build();
    }

    @Override
    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", server.port());
    }

    @Override
    public String description() {
        int threads = server.options().workerThreads();
        return "in-process, " + (threads == 0 ? "default (1 per core)" : Integer.toString(threads))
                + " worker threads";
    }

    @Override
    public long cpuNanos() {
        return Cpu.threadsNamed("hotpochato-io", "hotpochato-accept");
    }

    @Override
    public MemoryStats memory() {
        return new MemoryStats(Memory.heapAfterGc(), Memory.direct(), server.connectionCount());
    }

    @Override
    public long[] fileDescriptors() {
        return Cpu.fileDescriptors();
    }

    @Override
    public boolean inProcess() {
        return true;
    }

    @Override
    public void close() {
        server.close();
    }
}
