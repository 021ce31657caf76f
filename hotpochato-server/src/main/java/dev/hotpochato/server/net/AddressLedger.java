package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.Error;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server keeps for each remote address: the places its clients hold (a connection, or a
 * session away for its resume grace period) and its allowance of failed attempts (wrong room
 * passwords, failed authentication). Shared by every event loop, hence concurrent; connection setup
 * and teardown, handshakes and Joins carrying a password touch it, the turn path never does.
 *
 * <p>An address's entry lives while it holds a place, and afterwards until its allowance is whole
 * again, so that closing every connection does not renew the allowance. Entries without places are
 * swept once a minute, from {@link #admit}: their number is bounded by the addresses that failed an
 * attempt in the last minute or two.
 */
final class AddressLedger {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final int maxTotal;
    private final int maxPerAddress;
    private final int failuresPerAddress;
    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentMap<InetAddress, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong nextSweep;

    /**
     * @param failuresPerAddress failed attempts an address may make at once, and per minute after that
     */
    AddressLedger(int maxTotal, int maxPerAddress, int failuresPerAddress, long now) {
        this.maxTotal = maxTotal;
        this.maxPerAddress = maxPerAddress;
        this.failuresPerAddress = failuresPerAddress;
        this.nextSweep = new AtomicLong(now + MINUTE);
    }

    /** One address's account. Its place count changes only inside {@link ConcurrentMap#compute}. */
    private final class Entry {
        int places;
        final AttemptBudget failures;

        Entry(long now) {
            failures = new AttemptBudget(failuresPerAddress, 1, TimeUnit.MINUTES, now);
        }
    }

    /**
     * One place of an address, taken for a connection and shared with the session on it: each holder
     * {@link #retain retains} it and {@link #release releases} it once, and the place is free when
     * the last one has. So a session that is away keeps its connection's place until it ends.
     */
    final class Place {
        private final InetAddress address;
        private final Entry entry;
        private final AtomicInteger holders = new AtomicInteger(1);

        private Place(InetAddress address, Entry entry) {
            this.address = address;
            this.entry = entry;
        }

        InetAddress address() {
            return address;
        }

        /** Another holder; only while one already holds it. */
        void retain() {
            if (holders.getAndIncrement() <= 0) {
                throw new IllegalStateException("retained a place already given back");
            }
        }

        void release() {
            if (holders.decrementAndGet() == 0) {
                free(address);
            }
        }
    }

    /**
     * Takes one attempt from {@code own} (a session's allowance, or null) and from {@code place}'s
     * address (or none, if null); false, taking nothing, if either is spent. A failed attempt keeps
     * what it took; one that succeeds gives it back with {@link #attemptSucceeded}.
     */
    static boolean tryAttempt(AttemptBudget own, Place place, long now) {
        if (own != null && !own.tryTake(now)) {
            return false;
        }
        if (place != null && !place.entry.failures.tryTake(now)) {
            if (own != null) {
                own.giveBack();
            }
            return false;
        }
        return true;
    }

    /** The attempt {@link #tryAttempt} took succeeded: it does not count. */
    static void attemptSucceeded(AttemptBudget own, Place place) {
        if (own != null) {
            own.giveBack();
        }
        if (place != null) {
            place.entry.failures.giveBack();
        }
    }

    /** Takes a place for a new connection from {@code address}, or refuses it with TOO_MANY_CONNECTIONS. */
    Place admit(InetAddress address, long now) {
        sweepIfDue(now);
        if (total.incrementAndGet() > maxTotal) {
            total.decrementAndGet();
            throw new ProtocolException(Error.Code.TOO_MANY_CONNECTIONS,
                    "the server holds its maximum of " + maxTotal + " connections", 0);
        }
        boolean[] full = new boolean[1];
        Entry entry = entries.compute(address, (a, e) -> {
            Entry account = e == null ? new Entry(now) : e;
            full[0] = account.places >= maxPerAddress;
            if (!full[0]) {
                account.places++;
            }
            return account;
        });
        if (full[0]) {
            total.decrementAndGet();
            throw new ProtocolException(Error.Code.TOO_MANY_CONNECTIONS, "too many connections from "
                    + address.getHostAddress() + " (at most " + maxPerAddress + ", sessions away included)", 0);
        }
        return new Place(address, entry);
    }

    private void free(InetAddress address) {
        total.decrementAndGet();
        entries.computeIfPresent(address, (a, e) -> {
            e.places--;
            return e; // kept until swept: its allowance must outlive its connections
        });
    }

    private void sweepIfDue(long now) {
        long due = nextSweep.get();
        if (now - due < 0 || !nextSweep.compareAndSet(due, now + MINUTE)) {
            return;
        }
        for (InetAddress address : entries.keySet()) {
            entries.computeIfPresent(address, (a, e) -> e.places == 0 && e.failures.isWhole(now) ? null : e);
        }
    }

    /** Places held now: connections, and sessions away for their grace period. */
    int places() {
        return total.get();
    }

    /** Addresses the ledger keeps an account for. */
    int addresses() {
        return entries.size();
    }
}
