package dev.hotpochato.client.internal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.ConnectionClosedException;
import dev.hotpochato.client.ServerAddress;
import dev.hotpochato.client.ServerErrorException;
import dev.hotpochato.protocol.ErrorRules;
import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.Welcome;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Makes and keeps a session's connections, in the manner of Lettuce's {@code ConnectionWatchdog}.
 *
 * <p>Every connection starts with a handshake that this class does itself, within
 * {@link ClientOptions#handshakeTimeout()}: {@code Hello} for the first connection (tried at each
 * of {@link ClientOptions#addresses()} in turn until one welcomes it) and for a new session,
 * {@code Resume} to take the session back. A connection that ends before its {@code Welcome} is
 * classified ({@link Failures}): refused by the server, not TLS where TLS was expected, not a
 * HotPochato server at all...
 *
 * <p>When a welcomed connection is lost unexpectedly, it reconnects with backoff, to the next
 * address each time, and sends {@code Resume} with the last sequence number it saw in each room,
 * until the server welcomes the session back, refuses it, or the resume grace period the server
 * announced has passed. Then, with {@link ClientOptions#autoRejoin()}, it goes on trying and opens
 * a new session with {@code Hello} (the session joins its rooms again); without, it gives up. It
 * does not reconnect after the user closed the session, or after a fatal error whose code's rule
 * does not leave the session resumable ({@link ErrorRules}, read from the protocol:
 * {@code IDLE_TIMEOUT}, {@code SLOW_CONSUMER}, {@code INTERNAL} and {@code SERVER_SHUTTING_DOWN} do).
 *
 * <p>To know what to ask for, it watches the frames going by: the resume token and grace of each
 * {@code Welcome}, and per room the snapshot's and each numbered event's seq.
 *
 * <p>One instance per session, in the pipeline of each of its connections in turn (hence sharable).
 * Every connection of a session is made on the one event loop the session was given, so all of this
 * state belongs to that loop; {@link #start()} and {@link #close()} are called from elsewhere, and
 * hop there.
 */
@ChannelHandler.Sharable
final class ConnectionWatchdog extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionWatchdog.class);

    private enum State { CONNECTING, CONNECTED, RECONNECTING, CLOSED }

    private final ClientOptions options;
    private final SessionEvents session;
    private final EventLoop loop;
    /** Group, channel type and socket options; each connection gets its own initializer. */
    private final Bootstrap bootstrap;
    /** Null for plain TCP. */
    private final SslContext tls;
    private final Backoff backoff;
    private final List<ServerAddress> addresses;

    // Event loop only.
    private State state = State.CONNECTING;
    /** The connection in use, or the one being tried. */
    private Channel channel;
    private int addressIndex;
    /** What the current connection showed before its Welcome, to say why it failed. */
    private Handshake handshake;
    private String resumeToken = "";
    private long graceMillis;
    /** The last seq seen, per room this client is in. */
    private final Map<String, Long> lastSeq = new HashMap<>();
    /** The server sent a fatal error that rules out reconnecting. */
    private boolean dismissed;
    /** The next handshake opens a new session ({@code Hello}) instead of resuming this one. */
    private boolean renew;
    /** Why the session could not be resumed, for the listeners of the new one. */
    private Throwable renewCause;
    private Throwable lastCause;
    private long lostAtNanos;
    private int attempts;
    /** Why each address failed the first connection. */
    private final List<Throwable> firstFailures = new ArrayList<>();
    /** The next attempt, or the deadline of a handshake. */
    private ScheduledFuture<?> timer;

    /** What one connection showed before its Welcome (or its end). */
    private static final class Handshake {
        final ServerAddress address;
        ServerErrorException refusal;
        Throwable tlsFailure;
        Throwable decodeFailure;
        boolean unexpectedFrame;
        boolean timedOut;

        Handshake(ServerAddress address) {
            this.address = address;
        }
    }

    ConnectionWatchdog(ClientOptions options, SessionEvents session, EventLoop loop, Bootstrap bootstrap, SslContext tls) {
        this.options = options;
        this.session = session;
        this.loop = loop;
        this.bootstrap = bootstrap;
        this.tls = tls;
        this.addresses = options.addresses();
        this.backoff = new Backoff(options.reconnectDelay(), options.maxReconnectDelay(),
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /** Makes the first connection: the session hears {@link SessionEvents#connected} or {@link SessionEvents#connectFailed}. */
    void start() {
        loop.execute(() -> connectTo(0));
    }

    /**
     * Ends the session: closes the connection, or stops reconnecting, and the session hears
     * {@link SessionEvents#disconnected} once. Any thread.
     */
    void close() {
        loop.execute(() -> {
            switch (state) {
                case CONNECTED -> channel.close(); // channelInactive ends it: the user asked
                case RECONNECTING -> giveUp(null);
                case CONNECTING, CLOSED -> {
                }
            }
        });
    }

    // ------------------------------------------------------------------ one connection and its handshake

    private void connectTo(int index) {
        addressIndex = index;
        ServerAddress address = addresses.get(index);
        Handshake h = new Handshake(address);
        handshake = h;
        channel = null; // set as the new channel registers: it may connect before connect() returns
        ChannelFuture connecting;
        try {
            connecting = bootstrap.clone()
                    .handler(new ClientInitializer(options, address, tls, session, this))
                    .connect(address.host(), address.port());
        } catch (RuntimeException e) {
            handshakeFailed(h, Failures.connect(e, address, options.connectTimeout()));
            return;
        }
        channel = connecting.channel();
        connecting.addListener((ChannelFuture f) -> {
            if (f.channel() != channel || state == State.CLOSED) {
                f.channel().close();
            } else if (!f.isSuccess()) {
                handshakeFailed(h, Failures.connect(f.cause(), address, options.connectTimeout()));
            }
        });
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        if (channel == null && handshake != null) {
            channel = ctx.channel();
        }
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (ctx.channel() == channel && handshake != null) {
            Channel ch = ctx.channel();
            // Covers the TLS handshake too: a peer that stays silent is not what we are looking for.
            timer = loop.schedule(() -> handshakeTimedOut(ch), options.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
            if (tls == null) {
                sendHandshake(ctx);
            }
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && ctx.channel() == channel && handshake != null) {
            if (done.isSuccess()) {
                sendHandshake(ctx);
            } else {
                handshake.tlsFailure = done.cause();
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void sendHandshake(ChannelHandlerContext ctx) {
        ClientFrame.Builder frame = ClientFrame.newBuilder();
        if (state == State.RECONNECTING && !renew) {
            frame.setResume(Resume.newBuilder()
                    .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                    .setResumeToken(resumeToken)
                    .putAllLastSeq(lastSeq)
                    .setAuthToken(options.authToken()));
        } else {
            frame.setHello(Hello.newBuilder()
                    .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                    .setDisplayName(options.displayName())
                    .setAuthToken(options.authToken()));
        }
        ctx.writeAndFlush(frame.build());
    }

    private void handshakeTimedOut(Channel ch) {
        if (ch == channel && handshake != null) {
            handshake.timedOut = true;
            ch.close();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ctx.channel() != channel) {
            return; // a connection already given up: what it says no longer counts
        }
        ServerFrame frame = (ServerFrame) msg;
        if (handshake != null && !frame.hasWelcome() && !frame.hasError()) {
            // Only a Welcome or an Error answers Hello and Resume: whatever this is, it is not HotPochato.
            handshake.unexpectedFrame = true;
            ctx.close();
            return;
        }
        watch(frame);
        ctx.fireChannelRead(msg);
        if (frame.hasWelcome() && handshake != null) {
            // After the Welcome went on to the session, so that it has it before it hears this.
            welcomed(ctx.channel(), frame.getWelcome());
        }
    }

    /** Notes what a resume would need, and what the server's errors rule out. */
    private void watch(ServerFrame frame) {
        switch (frame.getBodyCase()) {
            case WELCOME -> {
                // Every resume brings a new token and voids the one it used: only the latest works.
                resumeToken = frame.getWelcome().getResumeToken();
                graceMillis = Integer.toUnsignedLong(frame.getWelcome().getResumeGraceMs());
            }
            case JOINED -> lastSeq.put(frame.getJoined().getRoom().getName(), frame.getJoined().getRoom().getLastSeq());
            case LEFT -> lastSeq.remove(frame.getLeft().getRoom());
            case ROOM_CLOSED -> lastSeq.remove(frame.getRoomClosed().getRoom());
            case ERROR -> {
                if (handshake != null) {
                    handshake.refusal = Wire.exception(frame.getError());
                }
                if (!ErrorRules.leavesSessionResumable(frame.getError())) {
                    dismissed = true;
                }
            }
            default -> {
                long seq = RoomEvents.seq(frame);
                if (seq > 0) {
                    lastSeq.computeIfPresent(RoomEvents.room(frame), (room, seen) -> Math.max(seen, seq));
                }
            }
        }
    }

    private void welcomed(Channel ch, Welcome welcome) {
        cancelTimer();
        ServerAddress address = handshake.address;
        handshake = null;
        dismissed = false;
        switch (state) {
            case CONNECTING -> {
                state = State.CONNECTED;
                firstFailures.clear();
                session.connected(ch, address);
            }
            case RECONNECTING -> {
                state = State.CONNECTED;
                attempts = 0;
                lastCause = null;
                if (welcome.getResumed()) {
                    log.debug("{}: session resumed", ch);
                    session.reconnected(ch, address);
                } else {
                    log.debug("{}: new session", ch);
                    lastSeq.clear(); // the rooms are joined again, with seqs of the new session
                    renew = false;
                    Throwable why = renewCause;
                    renewCause = null;
                    session.renewed(ch, address, why);
                }
            }
            default -> ch.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() == channel) {
            lastCause = cause;
            if (handshake != null && handshake.decodeFailure == null) {
                handshake.decodeFailure = cause;
            }
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // The handlers after this one fail the requests still waiting first.
        ctx.fireChannelInactive();
        if (ctx.channel() != channel) {
            return; // a connection already replaced
        }
        cancelTimer();
        Handshake h = handshake;
        if (h != null) {
            ended(h);
        } else if (state == State.CONNECTED) {
            lost();
        }
    }

    /** The connection {@code h} describes ended before its Welcome: classify why, then carry on. */
    private void ended(Handshake h) {
        Throwable failure = Failures.handshake(h.address, h.refusal, h.timedOut, options.handshakeTimeout(),
                h.tlsFailure, h.unexpectedFrame, h.decodeFailure);
        if (failure != null) {
            handshakeFailed(h, failure);
        } else if (tls == null && state == State.CONNECTING) {
            // Closed without a word: a TLS server does that to a plain Hello. Ask it, so that the user hears which.
            Failures.probeTls(bootstrap, h.address, options.handshakeTimeout(),
                    isTls -> handshakeFailed(h, Failures.closedSilently(h.address, isTls)));
        } else {
            handshakeFailed(h, Failures.closedSilently(h.address, false));
        }
    }

    private void handshakeFailed(Handshake h, Throwable failure) {
        if (h != handshake) {
            return;
        }
        handshake = null;
        cancelTimer();
        if (channel != null) {
            channel.close();
        }
        switch (state) {
            case CONNECTING -> firstFailed(failure);
            case RECONNECTING -> attemptFailed(failure);
            default -> {
            }
        }
    }

    /** The first connection failed at one address: try the next, or give up with the most telling failure. */
    private void firstFailed(Throwable failure) {
        firstFailures.add(failure);
        boolean refused = failure instanceof ServerErrorException e && !Failures.anotherServerMayAccept(e.code());
        if (!refused && addressIndex + 1 < addresses.size()) {
            connectTo(addressIndex + 1);
            return;
        }
        state = State.CLOSED;
        // A server's refusal is the answer; otherwise the first address's failure, with the others'.
        Throwable reported = refused ? failure : firstFailures.get(0);
        for (Throwable other : firstFailures) {
            if (other != reported) {
                reported.addSuppressed(other);
            }
        }
        firstFailures.clear();
        session.connectFailed(reported);
    }

    // ------------------------------------------------------------------ reconnecting

    /** A welcomed connection was lost. */
    private void lost() {
        if (session.closeRequested() || !options.reconnect() || dismissed) {
            giveUp(lastCause);
            return;
        }
        if (loop.isShuttingDown()) {
            giveUp(threadsShutDown());
            return;
        }
        state = State.RECONNECTING;
        lostAtNanos = System.nanoTime();
        attempts = 0;
        if (resumeToken.isEmpty() || graceMillis == 0) {
            if (!options.autoRejoin()) {
                giveUp(lastCause);
                return;
            }
            renew = true;
            renewCause = new ConnectionClosedException("the server keeps no sessions to resume", lastCause);
        }
        log.debug("{}: connection lost, {} within {} ms", channel, renew ? "opening a new session" : "resuming",
                graceMillis);
        session.reconnecting(lastCause);
        scheduleAttempt();
    }

    /** A reconnection attempt ended before its Welcome. */
    private void attemptFailed(Throwable failure) {
        lastCause = failure;
        if (failure instanceof ServerErrorException e) {
            switch (e.code()) {
                case RESUME_FAILED -> {
                    // The server no longer knows the session (it restarted, or the session expired).
                    if (!options.autoRejoin()) {
                        giveUp(e);
                        return;
                    }
                    renew = true;
                    renewCause = e;
                }
                default -> {
                    if (!Failures.anotherServerMayAccept(e.code())) {
                        giveUp(e);
                        return;
                    }
                }
            }
        }
        log.debug("reconnect attempt {} to {} failed: {}", attempts, addresses.get(addressIndex), failure.toString());
        scheduleAttempt();
    }

    private void scheduleAttempt() {
        long left = Long.MAX_VALUE;
        if (!renew) {
            left = graceMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAtNanos);
            if (left <= 0) {
                ConnectionClosedException expired = new ConnectionClosedException(
                        "could not resume the session within its grace period of " + graceMillis + " ms", lastCause);
                if (!options.autoRejoin()) {
                    giveUp(expired);
                    return;
                }
                renew = true;
                renewCause = expired;
            }
        }
        long delay = Math.min(backoff.delayMillis(attempts++), left);
        if (loop.isShuttingDown()) {
            giveUp(threadsShutDown()); // a task scheduled now might never run
            return;
        }
        try {
            timer = loop.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            giveUp(threadsShutDown());
        }
    }

    private ConnectionClosedException threadsShutDown() {
        return new ConnectionClosedException("the session's ClientResources were shut down", lastCause);
    }

    private void attempt() {
        timer = null;
        if (state != State.RECONNECTING) {
            return;
        }
        if (loop.isShuttingDown()) {
            giveUp(threadsShutDown());
            return;
        }
        // The next address: when a cluster node is lost, another one takes the session back.
        connectTo((addressIndex + 1) % addresses.size());
    }

    private void giveUp(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        handshake = null;
        cancelTimer();
        if (channel != null) {
            channel.close();
        }
        session.disconnected(cause);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }
}
