package dev.hotpochato.client.internal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.ConnectionClosedException;
import dev.hotpochato.protocol.ErrorRules;
import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a session connected, in the manner of Lettuce's {@code ConnectionWatchdog}: when its
 * connection is lost unexpectedly, it reconnects with backoff and sends {@code Resume} with the last
 * sequence number it saw in each room, until the server welcomes the session back, refuses it, or
 * the resume grace period the server announced has passed. It does not reconnect after the user
 * closed the session, after a fatal error whose code's rule does not leave the session resumable
 * ({@link ErrorRules}, read from the protocol: {@code IDLE_TIMEOUT}, {@code SLOW_CONSUMER} and
 * {@code INTERNAL} do), or before the first {@code Welcome}.
 *
 * <p>To know what to ask for, it watches the frames going by: the resume token and grace of each
 * {@code Welcome}, and per room the snapshot's and each numbered event's seq.
 *
 * <p>One instance per session, in the pipeline of each of its connections in turn (hence
 * sharable). Every connection of a session is made on the event loop of its first one, so all of
 * this state belongs to that loop; only {@link #close()} is called from elsewhere, and hops there.
 */
@ChannelHandler.Sharable
final class ConnectionWatchdog extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionWatchdog.class);

    private enum State { CONNECTING, CONNECTED, RECONNECTING, CLOSED }

    private final ClientOptions options;
    private final SessionEvents session;
    private final Bootstrap bootstrap;
    private final Backoff backoff;

    // Event loop only, from the first connection on.
    private EventLoop loop;
    private Bootstrap reconnector;
    private State state = State.CONNECTING;
    /** The connection in use, or the one being tried. */
    private Channel channel;
    private String resumeToken = "";
    private long graceMillis;
    /** The last seq seen, per room this client is in. */
    private final Map<String, Long> lastSeq = new HashMap<>();
    /** The server sent a fatal error that rules out resuming. */
    private boolean dismissed;
    private Throwable lastCause;
    private long lostAtNanos;
    private int attempts;
    /** The next attempt, or the wait for an attempt's Welcome. */
    private ScheduledFuture<?> timer;

    ConnectionWatchdog(ClientOptions options, SessionEvents session, Bootstrap bootstrap) {
        this.options = options;
        this.session = session;
        this.bootstrap = bootstrap;
        this.backoff = new Backoff(options.reconnectDelay(), options.maxReconnectDelay(),
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
    }

    /**
     * Ends the session: closes the connection, or stops reconnecting, and the session hears
     * {@link SessionEvents#disconnected} once. Any thread.
     */
    void close() {
        EventLoop l = loop;
        if (l == null) {
            return;
        }
        l.execute(() -> {
            switch (state) {
                case CONNECTING, CONNECTED -> channel.close(); // channelInactive ends it: the user asked
                case RECONNECTING -> giveUp(null);
                case CLOSED -> {
                }
            }
        });
    }

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        if (loop == null) {
            loop = ctx.channel().eventLoop();
            channel = ctx.channel();
            reconnector = bootstrap.clone(loop);
        }
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ServerFrame frame = (ServerFrame) msg;
        boolean resumed = watch(frame) && ctx.channel() == channel && state == State.RECONNECTING;
        ctx.fireChannelRead(msg);
        if (resumed) {
            // After the Welcome went on to the session, so that it has it before it hears this.
            cancelTimer();
            state = State.CONNECTED;
            attempts = 0;
            lastCause = null;
            log.debug("{}: session resumed", channel);
            session.reconnected(channel);
        }
    }

    /** Notes what a resume would need; returns true for a Welcome that resumed the session. */
    private boolean watch(ServerFrame frame) {
        switch (frame.getBodyCase()) {
            case WELCOME -> {
                // Every resume brings a new token and voids the one it used: only the latest works.
                resumeToken = frame.getWelcome().getResumeToken();
                graceMillis = Integer.toUnsignedLong(frame.getWelcome().getResumeGraceMs());
                if (state == State.CONNECTING) {
                    state = State.CONNECTED;
                }
                return frame.getWelcome().getResumed();
            }
            case JOINED -> lastSeq.put(frame.getJoined().getRoom().getName(), frame.getJoined().getRoom().getLastSeq());
            case LEFT -> lastSeq.remove(frame.getLeft().getRoom());
            case ROOM_CLOSED -> lastSeq.remove(frame.getRoomClosed().getRoom());
            case ERROR -> {
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
        return false;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel() == channel) {
            lastCause = cause;
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
        switch (state) {
            case CONNECTING, CLOSED -> giveUp(lastCause);
            case CONNECTED -> {
                if (!mayResume()) {
                    giveUp(lastCause);
                    return;
                }
                log.debug("{}: connection lost, resuming within {} ms", channel, graceMillis);
                state = State.RECONNECTING;
                lostAtNanos = System.nanoTime();
                attempts = 0;
                session.reconnecting(lastCause);
                scheduleAttempt();
            }
            case RECONNECTING -> {
                cancelTimer();
                if (mayResume()) {
                    scheduleAttempt(); // the attempt's connection closed before the session was back
                } else {
                    giveUp(lastCause);
                }
            }
        }
    }

    private boolean mayResume() {
        return options.reconnect() && !session.closeRequested() && !dismissed && !resumeToken.isEmpty()
                && graceMillis > 0;
    }

    private void scheduleAttempt() {
        long left = graceMillis - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lostAtNanos);
        if (left <= 0) {
            giveUp(new ConnectionClosedException("could not resume the session within its grace period of "
                    + graceMillis + " ms", lastCause));
            return;
        }
        long delay = Math.min(backoff.delayMillis(attempts++), left);
        timer = loop.schedule(this::attempt, delay, TimeUnit.MILLISECONDS);
    }

    private void attempt() {
        timer = null;
        if (state != State.RECONNECTING) {
            return;
        }
        ChannelFuture connecting = reconnector.connect(options.host(), options.port());
        channel = connecting.channel();
        connecting.addListener((ChannelFuture f) -> {
            if (f.channel() != channel || state != State.RECONNECTING) {
                f.channel().close();
                return;
            }
            if (!f.isSuccess()) {
                log.debug("reconnect attempt {} failed: {}", attempts, f.cause().toString());
                lastCause = f.cause();
                scheduleAttempt();
                return;
            }
            f.channel().writeAndFlush(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                    .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                    .setResumeToken(resumeToken)
                    .putAllLastSeq(lastSeq)
                    .setAuthToken(options.authToken())).build());
            // A server that accepts but never answers must not stall the attempts.
            timer = loop.schedule(() -> f.channel().close(), options.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        });
    }

    private void giveUp(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
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
