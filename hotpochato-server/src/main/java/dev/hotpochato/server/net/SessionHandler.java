package dev.hotpochato.server.net;

import dev.hotpochato.protocol.ProtocolLimits;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Pong;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.ServerLimits;
import dev.hotpochato.protocol.v1.Welcome;
import dev.hotpochato.server.Authenticator;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.metrics.ServerMetrics;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * One connection's life, as a state machine ({@link Phase}): the handshake ({@code Hello}, or
 * {@code Resume} of a lost session), which must come first, once, and within the handshake timeout
 * of the connection's accept; authentication; {@code Ping}; silence; and what becomes of its
 * session when the connection closes. Room commands go on to the {@link TurnScheduler} once the
 * handshake is done. Belongs to the connection's event loop; the session and the authenticator
 * reach it by hopping there.
 */
final class SessionHandler extends ChannelInboundHandlerAdapter implements ServerSession.Takeover {

    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
    /** The same for every token that does not resume, so that a refusal tells nothing about the token. */
    private static final String NO_SESSION = "no session to resume: the token is unknown, expired or already used";

    private enum Phase {
        /** Connected: {@code Hello} or {@code Resume} must come first, before the handshake deadline. */
        AWAITING_HANDSHAKE,
        /**
         * A {@code Hello} or {@code Resume} is being decided (the authenticator; for a Resume, the
         * session). The connection stops reading; frames read already wait in {@link #held}.
         */
        DECIDING,
        /** Resumed: Welcome sent, and the rooms are bringing the member back. Frames wait in {@link #held}. */
        REJOINING,
        /** The handshake is done: frames are handled as they come. */
        ACTIVE,
        /** Closed, or closing after a fatal error: nothing more is acted on. */
        CLOSED
    }

    private final ServerContext server;
    private ChannelHandlerContext ctx;
    private Phase phase = Phase.AWAITING_HANDSHAKE;
    /** The session on this connection: set once a Hello is accepted or a Resume is put to the session. */
    private ServerSession session;
    /** Frames read while the handshake is being decided; handled, in order, after the Welcome. */
    private ArrayDeque<ClientFrame> held;
    /**
     * Set when the Welcome answering a Resume is written: the next frame read (the client can only
     * have sent it after reading that Welcome) proves it holds the new token, so the old one dies.
     */
    private boolean tokenUnconfirmed;
    private long handshakeRequestId;
    private ScheduledFuture<?> handshakeDeadline;
    /** Frames read so far: a frame read while an idle timeout waits for the node's standing makes it void. */
    private long framesRead;

    SessionHandler(ServerContext server) {
        this.server = server;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        if (ctx.channel().isActive()) {
            startHandshakeDeadline(); // added to a connection that is already open (another transport's upgrade)
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        startHandshakeDeadline();
        ctx.fireChannelActive();
    }

    private void startHandshakeDeadline() {
        if (handshakeDeadline == null && phase == Phase.AWAITING_HANDSHAKE) {
            long millis = server.options().handshakeTimeout().toMillis();
            handshakeDeadline = ctx.executor().schedule(() -> {
                if (phase == Phase.AWAITING_HANDSHAKE || phase == Phase.DECIDING) {
                    ctx.fireExceptionCaught(new ProtocolException(Error.Code.HANDSHAKE_TIMEOUT,
                            "no handshake within " + millis + " ms of connecting", 0));
                }
            }, millis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientFrame frame = (ClientFrame) msg;
        framesRead++;
        if (phase == Phase.CLOSED || closing()) {
            return; // decoded in the same read as a fatal frame: not acted on
        }
        if (tokenUnconfirmed) {
            tokenUnconfirmed = false;
            session.tokenConfirmed(ctx.channel());
        }
        switch (phase) {
            case AWAITING_HANDSHAKE -> handshake(frame);
            case DECIDING, REJOINING -> hold(frame);
            case ACTIVE -> handle(frame);
            case CLOSED -> {
            }
        }
    }

    private void handshake(ClientFrame frame) {
        long requestId = frame.getRequestId();
        switch (frame.getBodyCase()) {
            case HELLO -> hello(requestId, frame.getHello());
            case RESUME -> resume(requestId, frame.getResume());
            case BODY_NOT_SET -> throw noBody(requestId);
            default -> throw new ProtocolException(Error.Code.PROTOCOL_VIOLATION,
                    "the first frame must be Hello or Resume, not " + frame.getBodyCase(), requestId);
        }
    }

    private void hold(ClientFrame frame) {
        if (held.size() >= ProtocolLimits.MAX_FRAMES_BEFORE_WELCOME) {
            throw new ProtocolException(Error.Code.PROTOCOL_VIOLATION,
                    "more than " + ProtocolLimits.MAX_FRAMES_BEFORE_WELCOME + " frames before the handshake completed",
                    frame.getRequestId());
        }
        held.add(frame);
    }

    private void handle(ClientFrame frame) {
        long requestId = frame.getRequestId();
        switch (frame.getBodyCase()) {
            case HELLO, RESUME -> throw new ProtocolException(Error.Code.PROTOCOL_VIOLATION,
                    "the handshake may be done only once", requestId);
            case PING -> ctx.writeAndFlush(ServerFrame.newBuilder().setRequestId(requestId)
                    .setPong(Pong.newBuilder().setNonce(frame.getPing().getNonce())
                            .setTimeMs(System.currentTimeMillis()))
                    .build());
            case BODY_NOT_SET -> throw noBody(requestId);
            default -> ctx.fireChannelRead(frame);
        }
    }

    private static ProtocolException noBody(long requestId) {
        return new ProtocolException(Error.Code.PROTOCOL_VIOLATION,
                "frame has no message (empty, or of a newer protocol)", requestId);
    }

    // ------------------------------------------------------------------ Hello

    private void hello(long requestId, Hello hello) {
        checkVersion(requestId, hello.getProtocolVersionValue());
        String problem = NameRules.checkDisplayName(hello.getDisplayName());
        if (problem != null) {
            throw new ProtocolException(Error.Code.INVALID_NAME, problem, requestId);
        }
        decide(requestId);
        authenticate(hello.getDisplayName(), hello.getAuthToken()).whenComplete((ok, failure) -> onLoop(() -> {
            requireAuthenticated(ok, failure, requestId);
            whenStanding(() -> {
                session = new ServerSession(server.sessionIds().getAsLong(), hello.getDisplayName(), ctx.channel(),
                        ctx.channel().attr(ConnectionLimiter.PLACE).get(), server);
                ctx.channel().attr(ServerSession.KEY).set(session);
                ctx.writeAndFlush(welcome(false, session.resumeToken()));
                becomeActive();
            });
        }));
    }

    // ------------------------------------------------------------------ Resume

    private void resume(long requestId, Resume resume) {
        checkVersion(requestId, resume.getProtocolVersionValue());
        String presented = resume.getResumeToken();
        ServerSession lost = server.tokens().find(presented);
        if (lost != null) {
            decide(requestId);
            takeBack(lost, requestId, resume);
            return;
        }
        // In a cluster, the session may be another node's (or a dead node's): the client is
        // authenticated against the session's name first, so that a refused Resume changes nothing
        // anywhere; then the session is claimed from the shared store, and taken back here.
        CompletionStage<String> elsewhere = presented.isEmpty() ? null : server.tokens().nameElsewhere(presented);
        if (elsewhere == null) {
            server.metrics().resume(ServerMetrics.Resume.FAILED);
            throw new ProtocolException(Error.Code.RESUME_FAILED, NO_SESSION, requestId);
        }
        decide(requestId);
        elsewhere.whenComplete((name, failure) -> onLoop(() -> {
            requireShared(name, failure, requestId);
            authenticate(name, resume.getAuthToken()).whenComplete((ok, authFailure) -> onLoop(() -> {
                if (!Boolean.TRUE.equals(ok)) {
                    server.metrics().resume(ServerMetrics.Resume.FAILED);
                }
                requireAuthenticated(ok, authFailure, requestId);
                whenStanding(() -> server.tokens().claim(presented, ctx.channel())
                        .whenComplete((claimed, claimFailure) -> onLoop(() -> {
                            requireShared(claimed, claimFailure, requestId);
                            session = claimed; // from now on, this connection's loss is the session's to hear
                            claimed.resume(presented, ctx.channel(), ctx.channel().attr(ConnectionLimiter.PLACE).get(),
                                    resume.getLastSeqMap(), this);
                        })));
            }));
        }));
    }

    /** What the cluster's store answered for a Resume: refused (RESUME_FAILED), or not at all (UNAVAILABLE). */
    private void requireShared(Object found, Throwable failure, long requestId) {
        if (found != null) {
            return;
        }
        server.metrics().resume(ServerMetrics.Resume.FAILED);
        if (failure != null) {
            log.warn("a Resume could not be checked in the cluster's store: {}", failure.toString());
            throw new ProtocolException(Error.Code.UNAVAILABLE,
                    "the cluster's store did not answer; nothing changed, try the Resume again", requestId);
        }
        throw new ProtocolException(Error.Code.RESUME_FAILED, NO_SESSION, requestId);
    }

    /** Authenticates the client of {@code lost}, then puts the Resume to the session. */
    private void takeBack(ServerSession lost, long requestId, Resume resume) {
        authenticate(lost.name(), resume.getAuthToken()).whenComplete((ok, failure) -> onLoop(() -> {
            if (!Boolean.TRUE.equals(ok)) {
                server.metrics().resume(ServerMetrics.Resume.FAILED);
            }
            requireAuthenticated(ok, failure, requestId);
            whenStanding(() -> {
                session = lost; // from now on, this connection's loss is the session's to hear
                lost.resume(resume.getResumeToken(), ctx.channel(), ctx.channel().attr(ConnectionLimiter.PLACE).get(),
                        resume.getLastSeqMap(), this);
            });
        }));
    }

    /**
     * Runs {@code commit} (the step that welcomes the client) once the node is known to stand in its
     * cluster: at once, unless its liveness is in doubt (it was paused: then Redis is asked). A node
     * the cluster declared dead welcomes nobody, not even a client whose Hello it read before it
     * learnt so: the answer is its goodbye, {@code SERVER_SHUTTING_DOWN}, alone.
     */
    private void whenStanding(Runnable commit) {
        CompletableFuture<Boolean> standing = server.standing().confirmed().toCompletableFuture();
        if (standing.isDone()) {
            standingKnown(standing.getNow(true), commit);
        } else {
            standing.whenComplete((alive, failure) -> onLoop(() -> standingKnown(alive, commit)));
        }
    }

    private void standingKnown(Boolean alive, Runnable commit) {
        if (Boolean.FALSE.equals(alive)) {
            throw new ProtocolException(Error.Code.SERVER_SHUTTING_DOWN, NodeStanding.FENCED_GOODBYE, 0);
        }
        commit.run();
    }

    @Override
    public void welcome(String token) {
        onLoop(() -> {
            if (phase != Phase.DECIDING) {
                return;
            }
            ctx.channel().attr(ServerSession.KEY).set(session);
            server.metrics().resume(ServerMetrics.Resume.RESUMED);
            ctx.writeAndFlush(welcome(true, token));
            cancelHandshakeDeadline();
            phase = Phase.REJOINING;
            tokenUnconfirmed = true; // frames read before this point were sent before the client could know
        });
    }

    @Override
    public void rejoined() {
        onLoop(() -> {
            if (phase == Phase.REJOINING) {
                becomeActive();
            }
        });
    }

    @Override
    public void refused() {
        onLoop(() -> {
            session = null;
            server.metrics().resume(ServerMetrics.Resume.FAILED);
            throw new ProtocolException(Error.Code.RESUME_FAILED, NO_SESSION, handshakeRequestId);
        });
    }

    // ------------------------------------------------------------------ steps

    private void checkVersion(long requestId, int version) {
        if (version != ProtocolVersion.PROTOCOL_VERSION_1_VALUE) {
            throw new ProtocolException(Error.Code.UNSUPPORTED_VERSION,
                    "this server speaks protocol version 1, not " + version, requestId);
        }
    }

    /**
     * The handshake is being decided: frames read meanwhile are held, and the connection stops
     * reading, so that what it holds stays within one read.
     */
    private void decide(long requestId) {
        handshakeRequestId = requestId;
        phase = Phase.DECIDING;
        held = new ArrayDeque<>();
        ctx.channel().config().setAutoRead(false);
    }

    /** The handshake is done: held frames are handled in order, then reading resumes. */
    private void becomeActive() {
        cancelHandshakeDeadline();
        phase = Phase.ACTIVE;
        ArrayDeque<ClientFrame> waiting = held;
        held = null;
        while (!waiting.isEmpty() && phase == Phase.ACTIVE && !closing()) {
            handle(waiting.poll());
        }
        if (!closing()) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    /**
     * The authenticator's verdict; without one, everyone is let in. Each failure is an attempt taken
     * from the address's allowance, and once that is spent the authenticator is not even asked.
     */
    private CompletionStage<Boolean> authenticate(String name, String token) {
        Authenticator authenticator = server.options().authenticator();
        if (authenticator == null) {
            return CompletableFuture.completedFuture(true);
        }
        AddressLedger.Place place = ctx.channel().attr(ConnectionLimiter.PLACE).get();
        if (!AddressLedger.tryAttempt(null, place, ctx.executor().ticker().nanoTime())) {
            throw new ProtocolException(Error.Code.TOO_MANY_ATTEMPTS,
                    "too many failed attempts to authenticate from this address; try again in a minute",
                    handshakeRequestId);
        }
        CompletionStage<Boolean> verdict;
        try {
            verdict = authenticator.authenticate(name, token, ctx.channel().remoteAddress());
        } catch (RuntimeException e) {
            verdict = CompletableFuture.failedFuture(e);
        }
        return verdict.thenApply(ok -> {
            if (Boolean.TRUE.equals(ok)) {
                AddressLedger.attemptSucceeded(null, place);
            }
            return ok;
        });
    }

    /**
     * A refusal says nothing about why, or about anything on the server; a failing authenticator is
     * logged. Each refusal is counted, and logged at INFO with the address and why (never the token).
     */
    private void requireAuthenticated(Boolean ok, Throwable failure, long requestId) {
        if (failure != null) {
            log.warn("the authenticator failed; the client is refused", failure);
        }
        if (!Boolean.TRUE.equals(ok)) {
            server.metrics().authFailure(failure == null ? ServerMetrics.AuthFailure.REFUSED : ServerMetrics.AuthFailure.ERROR);
            log.info("authentication failed: {} reason={}", ctx.channel().remoteAddress(),
                    failure == null ? "refused by the authenticator" : "the authenticator failed (" + failure.getClass().getSimpleName() + ")");
            throw new ProtocolException(Error.Code.UNAUTHENTICATED, "authentication failed", requestId);
        }
    }

    /**
     * Runs {@code step} on the connection's loop (at once if already there), unless the connection
     * has closed or is closing meanwhile; what it throws closes the connection.
     */
    private void onLoop(Runnable step) {
        if (ctx.executor().inEventLoop()) {
            runStep(step);
        } else {
            ctx.executor().execute(() -> runStep(step));
        }
    }

    private void runStep(Runnable step) {
        if (phase == Phase.CLOSED || closing()) {
            return;
        }
        try {
            step.run();
        } catch (RuntimeException e) {
            ctx.fireExceptionCaught(e);
        }
    }

    /** A fatal error was sent: nothing more the client sent is acted on. */
    private boolean closing() {
        return ctx.channel().attr(ErrorHandler.FATAL).get() != null;
    }

    private void cancelHandshakeDeadline() {
        if (handshakeDeadline != null) {
            handshakeDeadline.cancel(false);
        }
    }

    private ServerFrame welcome(boolean resumed, String resumeToken) {
        ServerOptions o = server.options();
        return ServerFrame.newBuilder().setRequestId(handshakeRequestId).setWelcome(Welcome.newBuilder()
                .setSessionId(Long.toHexString(session.sessionId()))
                .setServerVersion(HotPochatoServer.VERSION)
                .setDisplayName(session.name())
                .setResumeToken(o.resumeGrace().isZero() ? "" : resumeToken)
                .setResumeGraceMs((int) o.resumeGrace().toMillis())
                .setHeartbeatIntervalMs((int) o.heartbeatInterval().toMillis())
                .setResumed(resumed)
                .setLimits(ServerLimits.newBuilder()
                        .setMaxFrameBytes(o.maxFrameBytes())
                        .setMaxTextBytes(o.maxTextBytes())
                        .setMaxNameChars(ProtocolLimits.MAX_NAME_CHARS)
                        .setMaxRoomNameChars(ProtocolLimits.MAX_ROOM_NAME_CHARS)
                        .setMaxRoomsPerClient(o.maxRoomsPerClient())
                        .setMaxFramesPerSecond(o.maxFramesPerSecond())
                        .setMaxTurnTimeoutMs((int) o.maxTurnTimeout().toMillis())))
                .build();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // In a cluster the silence may be the node's own (a pause past the node timeout): then
            // fencing, not the idle timeout, closes the client (SERVER_SHUTTING_DOWN, resumable).
            CompletableFuture<Boolean> standing = server.standing().confirmed().toCompletableFuture();
            long readBefore = framesRead;
            if (standing.isDone()) {
                idle(standing.getNow(true), readBefore);
            } else {
                standing.whenComplete((alive, failure) -> ctx.executor().execute(() -> idle(alive, readBefore)));
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    /** The idle timeout ran out with {@code readBefore} frames read, and the node's standing is known. */
    private void idle(Boolean standing, long readBefore) {
        if (Boolean.FALSE.equals(standing) || framesRead != readBefore || phase == Phase.CLOSED || closing()
                || !ctx.channel().isActive()) {
            return; // fenced (its closing says goodbye), or no longer idle
        }
        ctx.fireExceptionCaught(new ProtocolException(Error.Code.IDLE_TIMEOUT,
                "no complete frame received for " + server.options().idleTimeout().toMillis() + " ms", 0));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        phase = Phase.CLOSED;
        held = null;
        cancelHandshakeDeadline();
        if (session != null) {
            session.lost(ctx.channel(), ctx.channel().attr(ErrorHandler.FATAL).get());
        }
        ctx.fireChannelInactive();
    }
}
