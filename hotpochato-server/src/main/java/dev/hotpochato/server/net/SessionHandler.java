package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.Pong;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerLimits;
import dev.hotpochato.protocol.v1.Welcome;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.room.Frames;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The connection's life: the {@code Hello}/{@code Welcome} handshake, which must come first and
 * only once, {@code Ping}, and the end of the session when the connection closes. Frames for rooms
 * go on to the {@link TurnScheduler} only once the handshake is done.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {

    private static final AtomicLong NEXT_SESSION_ID = new AtomicLong(1);

    private final ServerContext server;
    private Session session;

    SessionHandler(ServerContext server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientFrame frame = (ClientFrame) msg;
        long requestId = frame.getRequestId();
        switch (frame.getBodyCase()) {
            case HELLO -> hello(ctx, requestId, frame.getHello());
            case PING -> {
                requireSession(frame);
                ctx.writeAndFlush(ServerFrame.newBuilder().setRequestId(requestId)
                        .setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce())
                                .setTimeMs(System.currentTimeMillis()))
                        .build());
            }
            case BODY_NOT_SET -> throw new ProtocolException(Error.Code.PROTOCOL_VIOLATION,
                    "frame has no message (empty, or of a newer protocol)", requestId);
            default -> {
                requireSession(frame);
                ctx.fireChannelRead(frame);
            }
        }
    }

    private void hello(ChannelHandlerContext ctx, long requestId, Hello hello) {
        if (session != null) {
            throw new ProtocolException(Error.Code.PROTOCOL_VIOLATION, "Hello may be sent only once", requestId);
        }
        if (hello.getProtocolVersion() != ProtocolVersion.PROTOCOL_VERSION_1) {
            throw new ProtocolException(Error.Code.UNSUPPORTED_VERSION,
                    "this server speaks protocol version 1, not " + hello.getProtocolVersionValue(), requestId);
        }
        String problem = NameRules.checkDisplayName(hello.getDisplayName());
        if (problem != null) {
            throw new ProtocolException(Error.Code.INVALID_NAME, problem, requestId);
        }
        session = new Session(NEXT_SESSION_ID.getAndIncrement(), hello.getDisplayName(), ctx.channel(),
                server.rooms(), server.lobby(), server.options().maxRoomsPerClient());
        ctx.channel().attr(Session.KEY).set(session);
        ctx.writeAndFlush(ServerFrame.newBuilder().setRequestId(requestId).setWelcome(welcome()).build());
    }

    private Welcome welcome() {
        ServerOptions o = server.options();
        return Welcome.newBuilder()
                .setSessionId(Long.toHexString(session.sessionId()))
                .setServerVersion(ServerContext.VERSION)
                .setDisplayName(session.name())
                .setLimits(ServerLimits.newBuilder()
                        .setMaxFrameBytes(o.maxFrameBytes())
                        .setMaxTextBytes(o.maxTextBytes())
                        .setMaxNameChars(NameRules.MAX_NAME_CHARS)
                        .setMaxRoomNameChars(NameRules.MAX_ROOM_NAME_CHARS)
                        .setMaxRoomsPerClient(o.maxRoomsPerClient()))
                .build();
    }

    private void requireSession(ClientFrame frame) {
        if (session == null) {
            throw new ProtocolException(Error.Code.PROTOCOL_VIOLATION,
                    "the first frame must be Hello, not " + frame.getBodyCase(), frame.getRequestId());
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (session != null) {
            session.end(MemberLeft.Reason.DISCONNECTED);
        }
        ctx.fireChannelInactive();
    }
}
