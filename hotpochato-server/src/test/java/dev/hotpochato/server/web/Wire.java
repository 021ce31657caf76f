package dev.hotpochato.server.web;

import dev.hotpochato.testing.TestClient;

import java.net.InetSocketAddress;

/** How a test client reaches the server: the TCP port, or a WebSocket on the web port with either subprotocol. */
enum Wire {
    TCP(null), WS_PROTO(Subprotocol.PROTO), WS_JSON(Subprotocol.JSON);

    final Subprotocol subprotocol;

    Wire(Subprotocol subprotocol) {
        this.subprotocol = subprotocol;
    }

    TestClient connect(WebFixture f) throws InterruptedException {
        InetSocketAddress web = f.web;
        return subprotocol == null ? TestClient.connect(f.tcp) : TestClient.webSocket(web, subprotocol.id());
    }
}
