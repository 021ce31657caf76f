package dev.hotpochato.client.internal;

import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;

/**
 * The pipeline of a client connection, in order.
 *
 * <p>Two handlers are planned and have their place here: a {@code keepAlive} handler (an
 * {@code IdleStateHandler} plus one that sends {@code Ping} every {@code Welcome.heartbeat_interval_ms})
 * between {@code frameEncoder} and {@code requests}; and, for reconnecting with {@code Resume}, a
 * watchdog in front of {@code requests} that reconnects with backoff when the channel goes inactive,
 * in the manner of Lettuce's {@code ConnectionWatchdog}.
 */
final class ClientInitializer extends ChannelInitializer<SocketChannel> {

    private static final ProtobufDecoder PROTOBUF_DECODER = new ProtobufDecoder(ServerFrame.getDefaultInstance());

    private final int maxFrameBytes;
    private final SessionEvents session;

    ClientInitializer(int maxFrameBytes, SessionEvents session) {
        this.maxFrameBytes = maxFrameBytes;
        this.session = session;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ChannelPipeline p = ch.pipeline();
        p.addLast("frameDecoder", new FrameDecoder(maxFrameBytes));
        p.addLast("protobufDecoder", PROTOBUF_DECODER);
        p.addLast("frameEncoder", FrameEncoder.INSTANCE);
        p.addLast("requests", new RequestHandler(session));
    }
}
