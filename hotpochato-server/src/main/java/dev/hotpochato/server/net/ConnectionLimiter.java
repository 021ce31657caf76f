package dev.hotpochato.server.net;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Caps connections in total and per remote address, counting with them the sessions that are away
 * for their resume grace period (a session keeps its connection's place: {@link AddressLedger.Place}).
 * A connection over a cap is refused with TOO_MANY_CONNECTIONS before it may send anything.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {

    /** The place an admitted connection holds; the session on it holds it too. */
    static final AttributeKey<AddressLedger.Place> PLACE = AttributeKey.valueOf(ConnectionLimiter.class, "place");

    private final AddressLedger ledger;

    ConnectionLimiter(AddressLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        AddressLedger.Place place;
        try {
            place = ledger.admit(addressOf(ctx.channel().remoteAddress()), ctx.executor().ticker().nanoTime());
        } catch (ProtocolException refused) {
            // Holds nothing, so it has nothing to give back at close: the limiter steps out.
            ctx.pipeline().remove(this);
            ctx.fireExceptionCaught(refused);
            return;
        }
        ctx.channel().attr(PLACE).set(place);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        AddressLedger.Place place = ctx.channel().attr(PLACE).getAndSet(null);
        if (place != null) {
            place.release();
        }
        ctx.fireChannelInactive();
    }

    /** The client's IP address; a transport without one (in-process, in tests) counts as the loopback address. */
    private static InetAddress addressOf(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress() : InetAddress.getLoopbackAddress();
    }
}
