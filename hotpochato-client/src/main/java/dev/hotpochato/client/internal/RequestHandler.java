package dev.hotpochato.client.internal;

import dev.hotpochato.client.ConnectionClosedException;
import dev.hotpochato.client.RequestTimeoutException;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * The one place where requests are matched to replies. Outbound, it numbers each
 * {@link PendingRequest}, remembers it and starts its timeout; inbound, it finds the request a frame
 * answers (by the echoed {@code request_id}) and reports both to the session. When the connection
 * closes, everything still waiting is reported unanswered: requests are never sent again on
 * another connection, since the server may or may not have acted on them.
 *
 * <p>One per connection; all state belongs to the channel's event loop.
 */
final class RequestHandler extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    private final SessionEvents session;
    private final Map<Long, PendingRequest<?>> pending = new HashMap<>();
    private long nextId = 1;
    private Throwable failure;

    RequestHandler(SessionEvents session) {
        this.session = session;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof PendingRequest<?> request)) {
            ctx.write(msg, promise);
            return;
        }
        long id = nextId++;
        request.id = id;
        pending.put(id, request);
        if (request.timeoutMillis > 0) {
            request.timeout = ctx.executor().schedule(() -> timedOut(id), request.timeoutMillis, TimeUnit.MILLISECONDS);
        }
        ClientFrame frame = request.frame.setRequestId(id).build();
        ctx.write(frame, promise).addListener(f -> {
            if (!f.isSuccess() && forget(id) != null) {
                session.requestFailed(request, new ConnectionClosedException("could not send " + request.describe(),
                        f.cause()));
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ServerFrame frame = (ServerFrame) msg;
        long now = System.nanoTime();
        PendingRequest<?> answered = frame.getRequestId() == 0 ? null : forget(frame.getRequestId());
        if (frame.getRequestId() != 0 && answered == null) {
            log.debug("{}: reply to request #{} that is no longer waiting: {}", ctx.channel(),
                    frame.getRequestId(), frame.getBodyCase());
        }
        session.frameReceived(frame, answered, now);
        if (frame.hasMatchCancelled() && answered != null) {
            // The protocol answers Match only with Paired, so CancelMatch's reply also ends it.
            for (Iterator<PendingRequest<?>> it = pending.values().iterator(); it.hasNext(); ) {
                PendingRequest<?> r = it.next();
                if (r.kind() == ClientFrame.BodyCase.MATCH) {
                    it.remove();
                    cancelTimeout(r);
                    session.requestFailed(r, new CancellationException("match cancelled"));
                }
            }
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A corrupt or oversized frame, or an I/O error: the stream cannot be trusted any more.
        log.debug("{}: closing after {}", ctx.channel(), cause.toString());
        if (failure == null) {
            failure = cause;
        }
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        List<PendingRequest<?>> unanswered = new ArrayList<>(pending.values());
        pending.clear();
        unanswered.forEach(RequestHandler::cancelTimeout);
        session.connectionLost(unanswered, failure);
        ctx.fireChannelInactive();
    }

    private void timedOut(long id) {
        PendingRequest<?> request = pending.remove(id);
        if (request != null) {
            request.timeout = null;
            session.requestFailed(request, new RequestTimeoutException(request.describe(),
                    Duration.ofMillis(request.timeoutMillis)));
        }
    }

    private PendingRequest<?> forget(long id) {
        PendingRequest<?> request = pending.remove(id);
        if (request != null) {
            cancelTimeout(request);
        }
        return request;
    }

    private static void cancelTimeout(PendingRequest<?> request) {
        if (request.timeout != null) {
            request.timeout.cancel(false);
            request.timeout = null;
        }
    }
}
