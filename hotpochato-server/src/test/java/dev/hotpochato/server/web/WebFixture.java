package dev.hotpochato.server.web;

import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.testing.TestClient;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A server with its web port on, both on ephemeral loopback ports, and the test clients of either transport. */
final class WebFixture implements AutoCloseable {

    final HotPochatoServer server;
    final InetSocketAddress tcp;
    final InetSocketAddress web;
    private final List<TestClient> clients = new ArrayList<>();

    WebFixture(ServerOptions.Builder options) throws InterruptedException {
        server = HotPochatoServer.start(options.bindAddress("127.0.0.1").port(0).httpPort(0).build());
        tcp = new InetSocketAddress("127.0.0.1", server.port());
        web = new InetSocketAddress("127.0.0.1", server.webAddress().getPort());
    }

    /** Connected over {@code wire}, nothing said yet. */
    TestClient connect(Wire wire) throws InterruptedException {
        return track(wire.connect(this));
    }

    /** Connected over {@code wire} and welcomed as {@code name}. */
    TestClient client(Wire wire, String name) throws InterruptedException {
        TestClient c = connect(wire);
        c.hello(name, "");
        return c;
    }

    TestClient track(TestClient c) {
        clients.add(c);
        return c;
    }

    /** {@code names[i]} over {@code wires[i]}, all in {@code room} in order, with everything up to the first turn read. */
    List<TestClient> room(String room, Wire[] wires, String... names) throws InterruptedException {
        List<TestClient> members = new ArrayList<>();
        for (int i = 0; i < names.length; i++) {
            TestClient c = client(wires[i % wires.length], names[i]);
            c.join(room);
            c.expect(ServerFrame.BodyCase.JOINED);
            members.add(c);
        }
        for (TestClient c : members) {
            c.drain(room);
        }
        return members;
    }

    @Override
    public void close() {
        clients.forEach(TestClient::close);
        server.close();
    }
}
