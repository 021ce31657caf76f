package dev.hotpochato.server.net;

import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.room.Lobby;
import dev.hotpochato.server.room.Rooms;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.protobuf.ProtobufDecoder;

/** The pipeline of every client connection, in order. */
public final class ServerInitializer extends ChannelInitializer<SocketChannel> {

    private final ServerContext server;
    private final ChannelGroup channels;
    private final TurnScheduler turnScheduler;
    private final ProtobufDecoder protobufDecoder = new ProtobufDecoder(ClientFrame.getDefaultInstance());

    /** Connections are added to {@code channels} so that the server can say goodbye to them all. */
    public ServerInitializer(ServerOptions options, Rooms rooms, Lobby lobby, ChannelGroup channels) {
        this.server = new ServerContext(options, rooms, lobby);
        this.channels = channels;
        this.turnScheduler = new TurnScheduler(server.rooms(), server.lobby());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        channels.add(ch);
        ChannelPipeline p = ch.pipeline();
        p.addLast("frameDecoder", new FrameDecoder(server.options().maxFrameBytes()));
        p.addLast("protobufDecoder", protobufDecoder);
        p.addLast("frameEncoder", FrameEncoder.INSTANCE);
        p.addLast("session", new SessionHandler(server));
        p.addLast("turnScheduler", turnScheduler);
        p.addLast("errors", ErrorHandler.INSTANCE);
    }
}
