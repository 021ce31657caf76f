package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.Error;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps connections in total and per remote address. Counts are shared by every event loop, so
 * they are atomic; only connection setup and teardown touch them.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    private final int maxTotal;
    private final int maxPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    /** Open connections by address; an address with none has no entry. Updated atomically by compute. */
    private final ConcurrentMap<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(int maxTotal, int maxPerAddress) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        String refusal = admit(address);
        if (refusal != null) {
            // Not counted, so nothing to give back at close: the limiter steps out of this pipeline
            // instead of marking the channel, which would cost every admitted connection an attribute.
            ctx.pipeline().remove(this);
            ctx.fireExceptionCaught(new ProtocolException(Error.Code.TOO_MANY_CONNECTIONS, refusal, 0));
            return;
        }
        ctx.fireChannelActive();
    }

    private String admit(InetAddress address) {
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            return "the server holds its maximum of " + maxTotal + " connections";
        }
        boolean[] full = new boolean[1];
        perAddress.compute(address, (a, count) -> {
            int open = count == null ? 0 : count;
            full[0] = open >= maxPerAddress;
            return full[0] ? count : open + 1;
        });
        if (full[0]) {
            total.decrementAndGet();
            return "too many connections from " + address.getHostAddress() + " (at most " + maxPerAddress + ")";
        }
        return null;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release(((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
        ctx.fireChannelInactive();
    }

    private void release(InetAddress address) {
        total.decrementAndGet();
        perAddress.computeIfPresent(address, (a, count) -> count == 1 ? null : count - 1);
    }
}
