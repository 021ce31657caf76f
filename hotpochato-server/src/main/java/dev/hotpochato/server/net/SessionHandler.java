package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.Pong;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerLimits;
import dev.hotpochato.protocol.v1.Welcome;
import dev.hotpochato.server.Authenticator;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The connection's life: the handshake ({@code Hello}, or {@code Resume} of a lost session), which
 * must come first and only once, authentication, {@code Ping}, silence, and what becomes of the
 * session when the connection closes. Room commands go on to the {@link TurnScheduler} only after
 * the handshake.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
    /** A client pipelining its first commands behind the handshake needs only a few. */
    private static final int MAX_HELD_FRAMES = 64;
    /** The same for every token that does not resume, so that a refusal tells nothing about the token. */
    private static final String NO_SESSION = "no session to resume: the token is unknown, expired or already used";

    private final ServerContext server;
    private ServerSession session;
    /** Frames that arrived while the handshake was being decided; handled, in order, after it. */
    private ArrayDeque<ClientFrame> held;
    /** Resumed here, and no frame read since: the client may not have the new token yet. */
    private boolean awaitingTokenConfirmation;

    SessionHandler(ServerContext server) {
        this.server = server;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientFrame frame = (ClientFrame) msg;
        if (closing(ctx)) {
            return; // decoded in the same read as a fatal frame: not acted on
        }
        if (held != null) {
            if (held.size() >= MAX_HELD_FRAMES) {
                throw new ProtocolException(Error.Code.PROTOCOL_VIOLATION,
                        "too many frames before the handshake completed", frame.getRequestId());
            }
            held.add(frame);
            return;
        }
        if (awaitingTokenConfirmation) {
            awaitingTokenConfirmation = false;
            session.tokenConfirmed(ctx.channel());
        }
        long requestId = frame.getRequestId();
        switch (frame.getBodyCase()) {
            case HELLO -> hello(ctx, requestId, frame.getHello());
            case RESUME -> resume(ctx, requestId, frame.getResume());
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
        checkHandshake(requestId, hello.getProtocolVersionValue());
        String problem = NameRules.checkDisplayName(hello.getDisplayName());
        if (problem != null) {
            throw new ProtocolException(Error.Code.INVALID_NAME, problem, requestId);
        }
        hold();
        authenticate(ctx, hello.getDisplayName(), hello.getAuthToken()).whenComplete((ok, failure) ->
                onLoop(ctx, () -> {
                    requireAuthenticated(ok, failure, requestId);
                    session = new ServerSession(server.sessionIds().getAsLong(), hello.getDisplayName(), ctx.channel(),
                            server);
                    ctx.channel().attr(ServerSession.KEY).set(session);
                    server.sessions().add(session.resumeToken(), session);
                    ctx.writeAndFlush(welcome(session, requestId, false, session.resumeToken()));
                    release(ctx);
                }));
    }

    private void resume(ChannelHandlerContext ctx, long requestId, Resume resume) {
        checkHandshake(requestId, resume.getProtocolVersionValue());
        ServerSession lost = server.sessions().find(resume.getResumeToken());
        if (lost == null) {
            throw new ProtocolException(Error.Code.RESUME_FAILED, NO_SESSION, requestId);
        }
        hold();
        authenticate(ctx, lost.name(), resume.getAuthToken()).whenComplete((ok, failure) -> onLoop(ctx, () -> {
            requireAuthenticated(ok, failure, requestId);
            session = lost;
            ctx.channel().attr(ServerSession.KEY).set(lost);
            lost.resume(resume.getResumeToken(), ctx.channel(), resume.getLastSeqMap(),
                            token -> welcome(lost, requestId, true, token))
                    .whenComplete((resumed, error) -> onLoop(ctx, () -> {
                        if (!Boolean.TRUE.equals(resumed)) {
                            session = null;
                            ctx.channel().attr(ServerSession.KEY).set(null);
                            throw new ProtocolException(Error.Code.RESUME_FAILED, NO_SESSION, requestId);
                        }
                        release(ctx);
                        // Set only now: frames pipelined behind the Resume were sent before the
                        // client could read the new token, so they prove nothing.
                        awaitingTokenConfirmation = true;
                    }));
        }));
    }

    private void checkHandshake(long requestId, int version) {
        if (session != null || held != null) {
            throw new ProtocolException(Error.Code.PROTOCOL_VIOLATION, "the handshake may be done only once", requestId);
        }
        if (version != ProtocolVersion.PROTOCOL_VERSION_1_VALUE) {
            throw new ProtocolException(Error.Code.UNSUPPORTED_VERSION,
                    "this server speaks protocol version 1, not " + version, requestId);
        }
    }

    /** The authenticator's verdict; without one, everyone is let in. */
    private CompletionStage<Boolean> authenticate(ChannelHandlerContext ctx, String name, String token) {
        Authenticator authenticator = server.options().authenticator();
        if (authenticator == null) {
            return CompletableFuture.completedFuture(true);
        }
        try {
            return authenticator.authenticate(name, token, ctx.channel().remoteAddress());
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A refusal says nothing about why, or about anything on the server; a failing authenticator is logged. */
    private static void requireAuthenticated(Boolean ok, Throwable failure, long requestId) {
        if (failure != null) {
            log.warn("the authenticator failed; the client is refused", failure);
        }
        if (!Boolean.TRUE.equals(ok)) {
            throw new ProtocolException(Error.Code.UNAUTHENTICATED, "authentication failed", requestId);
        }
    }

    /**
     * Runs a continuation of the handshake back on the connection's thread, unless the connection
     * has closed or is closing meanwhile; what it throws closes the connection.
     */
    private static void onLoop(ChannelHandlerContext ctx, Runnable step) {
        ctx.executor().execute(() -> {
            if (closing(ctx)) {
                return;
            }
            try {
                step.run();
            } catch (RuntimeException e) {
                ctx.fireExceptionCaught(e);
            }
        });
    }

    /** The connection is gone, or going after a fatal error: nothing more it sent is acted on. */
    private static boolean closing(ChannelHandlerContext ctx) {
        return !ctx.channel().isActive() || ctx.channel().attr(ErrorHandler.LEFT_REASON).get() != null;
    }

    /** Frames that arrive from now on wait until {@link #release}: the handshake is being decided. */
    private void hold() {
        held = new ArrayDeque<>();
    }

    private void release(ChannelHandlerContext ctx) {
        ArrayDeque<ClientFrame> waiting = held;
        held = null;
        while (!waiting.isEmpty() && ctx.channel().isActive()) {
            channelRead(ctx, waiting.poll());
        }
    }

    /** Made on the session's thread for a Resume: touches nothing of this handler's. */
    private ServerFrame welcome(ServerSession s, long requestId, boolean resumed, String resumeToken) {
        ServerOptions o = server.options();
        return ServerFrame.newBuilder().setRequestId(requestId).setWelcome(Welcome.newBuilder()
                .setSessionId(Long.toHexString(s.sessionId()))
                .setServerVersion(HotPochatoServer.VERSION)
                .setDisplayName(s.name())
                .setResumeToken(o.resumeGrace().isZero() ? "" : resumeToken)
                .setResumeGraceMs((int) o.resumeGrace().toMillis())
                .setHeartbeatIntervalMs((int) o.heartbeatInterval().toMillis())
                .setResumed(resumed)
                .setLimits(ServerLimits.newBuilder()
                        .setMaxFrameBytes(o.maxFrameBytes())
                        .setMaxTextBytes(o.maxTextBytes())
                        .setMaxNameChars(NameRules.MAX_NAME_CHARS)
                        .setMaxRoomNameChars(NameRules.MAX_ROOM_NAME_CHARS)
                        .setMaxRoomsPerClient(o.maxRoomsPerClient())
                        .setMaxFramesPerSecond(o.maxFramesPerSecond())
                        .setMaxTurnTimeoutMs((int) o.maxTurnTimeout().toMillis())))
                .build();
    }

    private void requireSession(ClientFrame frame) {
        if (session == null) {
            throw new ProtocolException(Error.Code.PROTOCOL_VIOLATION,
                    "the first frame must be Hello or Resume, not " + frame.getBodyCase(), frame.getRequestId());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            ctx.fireExceptionCaught(new ProtocolException(Error.Code.IDLE_TIMEOUT,
                    "nothing received for " + server.options().idleTimeout().toMillis() + " ms", 0));
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (held != null) {
            held.clear();
        }
        if (session != null) {
            MemberLeft.Reason reason = ctx.channel().attr(ErrorHandler.LEFT_REASON).get();
            session.connectionLost(ctx.channel(), reason == null ? MemberLeft.Reason.DISCONNECTED : reason);
        }
        ctx.fireChannelInactive();
    }
}
