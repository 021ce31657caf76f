package dev.hotpochato.bench.load;

import dev.hotpochato.protocol.ProtocolDefaults;
import dev.hotpochato.protocol.codec.FrameDecoder;
import io.netty.channel.socket.SocketChannel;

import java.net.InetSocketAddress;

/**
 * How a bot's connection carries frames: TCP with the varint length prefix, or a WebSocket (the
 * server's web port) with either subprotocol. Whatever the framing, the {@link Bot} reads frame
 * bodies (or decoded frames) and writes length-prefixed frames.
 */
public enum Framing {
    TCP, WEBSOCKET_PROTO, WEBSOCKET_JSON;

    void install(SocketChannel ch, InetSocketAddress server) {
        if (this == TCP) {
            ch.pipeline().addLast("frameDecoder", new FrameDecoder(ProtocolDefaults.MAX_FRAME_BYTES));
        } else {
            WebSocketFraming.install(ch, server, this == WEBSOCKET_JSON);
        }
    }
}
