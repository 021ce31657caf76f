package dev.hotpochato.server;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.testing.TestClient;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/** A server on an ephemeral loopback port and the test clients connected to it; closes them all. */
final class ServerFixture implements AutoCloseable {

    final HotPochatoServer server;
    final InetSocketAddress address;
    private final List<TestClient> clients = new ArrayList<>();

    ServerFixture(ServerOptions.Builder options) throws InterruptedException {
        server = HotPochatoServer.start(options.bindAddress("127.0.0.1").port(0).build());
        address = new InetSocketAddress("127.0.0.1", server.port());
    }

    TestClient client(String name) throws InterruptedException {
        return track(TestClient.hello(address, name));
    }

    TestClient track(TestClient c) {
        clients.add(c);
        return c;
    }

    /** Clients that have all joined {@code room}, in order, with everything up to then read. */
    List<TestClient> room(String room, RoomOptions options, String... names) throws InterruptedException {
        List<TestClient> members = new ArrayList<>();
        for (String name : names) {
            TestClient c = client(name);
            c.send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room).setOptions(options)));
            c.expect(dev.hotpochato.protocol.v1.ServerFrame.BodyCase.JOINED);
            members.add(c);
        }
        for (TestClient c : members) {
            c.drain(room);
        }
        return members;
    }

    List<TestClient> room(String room, String... names) throws InterruptedException {
        return room(room, RoomOptions.getDefaultInstance(), names);
    }

    @Override
    public void close() {
        clients.forEach(TestClient::close);
        server.close();
    }
}
