package dev.hotpochato.bench.sut;

import java.net.InetSocketAddress;

/** A server someone else started, reached by host and port; only its address is known. */
public final class RemoteServer implements ServerUnderTest {

    private final InetSocketAddress address;

    public RemoteServer(String host, int port) {
        this.address = new InetSocketAddress(host, port);
    }

    @Override
    public InetSocketAddress address() {
        return address;
    }

    @Override
    public String description() {
        return "running server at " + address.getHostString() + ":" + address.getPort();
    }

    @Override
    public long cpuNanos() {
        return -1;
    }

    @Override
    public MemoryStats memory() {
        return null;
    }

    @Override
    public long[] fileDescriptors() {
        return new long[]{-1, -1};
    }

    @Override
    public boolean inProcess() {
        return false;
    }

    @Override
    public void close() {
        // Not ours to stop.
    }
}
