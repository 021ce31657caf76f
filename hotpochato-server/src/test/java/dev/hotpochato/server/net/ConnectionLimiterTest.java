package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.server.ServerOptions;
import dev.hotpochato.server.net.NetFixture.Conn;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Places per address and in total: taken at connect, given back when the last holder is done. */
class ConnectionLimiterTest {

    private final List<Conn> conns = new ArrayList<>();

    @AfterEach
    void close() {
        conns.forEach(Conn::finishAndReleaseAll);
    }

    /** Records what the limiter lets through: an active connection, or a refusal. */
    private static final class Outcome extends ChannelInboundHandlerAdapter {
        boolean active;
        Throwable refused;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            active = true;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            refused = cause;
        }
    }

    private Outcome connect(ConnectionLimiter limiter, String ip) {
        Outcome outcome = new Outcome();
        Conn c = new Conn(NetFixture.address(ip), limiter, outcome);
        conns.add(c);
        return outcome;
    }

    private static void assertRefused(Outcome o, String message) {
        assertTrue(!o.active && o.refused instanceof ProtocolException, () -> "admitted: " + o.refused);
        assertEquals(Error.Code.TOO_MANY_CONNECTIONS, ((ProtocolException) o.refused).code());
        assertEquals(message, o.refused.getMessage());
    }

    @Test
    void eachAddressHasItsPlacesAndTheServerItsTotal() {
        ConnectionLimiter limiter = new ConnectionLimiter(new AddressLedger(3, 2, 5, 0));
        assertTrue(connect(limiter, "10.0.0.1").active);
        assertTrue(connect(limiter, "10.0.0.1").active);
        assertRefused(connect(limiter, "10.0.0.1"), "too many connections from 10.0.0.1 (at most 2, sessions away included)");
        assertTrue(connect(limiter, "10.0.0.2").active);
        assertRefused(connect(limiter, "10.0.0.3"), "the server holds its maximum of 3 connections");
    }

    @Test
    void aPlaceIsFreeWhenItsConnectionAndItsSessionAreBothDone() {
        AddressLedger ledger = new AddressLedger(10, 1, 5, 0);
        ConnectionLimiter limiter = new ConnectionLimiter(ledger);
        Outcome first = connect(limiter, "10.0.0.1");
        assertTrue(first.active);
        Conn c = conns.get(0);
        AddressLedger.Place place = c.attr(ConnectionLimiter.PLACE).get();
        assertNotNull(place);
        place.retain(); // as the session on it does
        c.drop();
        assertNull(c.attr(ConnectionLimiter.PLACE).get());
        assertEquals(1, ledger.places(), "the session, away, still holds it");
        assertRefused(connect(limiter, "10.0.0.1"), "too many connections from 10.0.0.1 (at most 1, sessions away included)");
        place.release(); // the session ends
        assertEquals(0, ledger.places());
        assertTrue(connect(limiter, "10.0.0.1").active);
    }

    @Test
    void aRefusedConnectionHoldsNothing() {
        NetFixture f = new NetFixture(ServerOptions.builder().maxConnections(1));
        AddressLedger ledger = f.addresses;
        ConnectionLimiter limiter = new ConnectionLimiter(ledger);
        connect(limiter, "10.0.0.1");
        connect(limiter, "10.0.0.2");
        conns.get(1).drop();
        assertEquals(1, ledger.places());
        f.close();
    }
}
