package dev.hotpochato.server.metrics;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.server.HotPochatoServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every HotPochato metric: its name, help text, unit and labels, and one small method to record it.
 * Nothing else in the server names a metric; docs/operations.md lists them (a test keeps the two
 * in step).
 *
 * <p>Names are given to Micrometer in its dotted form; the Prometheus registry writes them with
 * underscores, {@code _total} after a counter and {@code _seconds} after a timer, so
 * {@code hotpochato.handoffs} is scraped as {@code hotpochato_handoffs_total}. Labels take a few
 * fixed values each (the enums below, the protocol's error codes), never a room or a user name.
 *
 * <p>Thread-safe, and cheap enough for the turn path: every meter and every labelled child is made
 * once, here; a recording method is an array or field read and an adder's increment (Micrometer's
 * counters and timers are lock-free), allocating nothing. Gauges are {@link LongAdder}s read only
 * when scraped.
 */
public final class ServerMetrics {

    /** Which listener a connection came through: label {@code transport}. */
    public enum Transport { TCP, WEBSOCKET }

    /** Why a connection was refused before its handshake: label {@code reason}. */
    public enum Refusal { MAX_CONNECTIONS, MAX_CONNECTIONS_PER_ADDRESS }

    /** What handed the turn on: label {@code cause}. */
    public enum HandOff { SAID, PASSED }

    /** What cut a slow consumer off: label {@code trigger}. */
    public enum SlowConsumer { TIMEOUT, PENDING_BYTES }

    /** How a {@code Resume} ended: label {@code outcome}. */
    public enum Resume { RESUMED, FAILED }

    /** Why a {@code Hello} or {@code Resume} failed authentication: label {@code reason}. */
    public enum AuthFailure {
        /** The authenticator said no (a wrong or missing token). */
        REFUSED,
        /** The authenticator threw or failed its stage. */
        ERROR
    }

    /**
     * Hand-off latency buckets, in seconds: a hand-off on an idle server takes tens of microseconds,
     * a GC pause or a busy loop makes it milliseconds; past a few seconds it is a stall.
     */
    static final Duration[] HAND_OFF_BUCKETS = {
        Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofNanos(250_000), Duration.ofNanos(500_000),
        Duration.ofMillis(1), Duration.ofNanos(2_500_000), Duration.ofMillis(5), Duration.ofMillis(10),
        Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
    };

    private final LongAdder[] connectionsOpen = adders(Transport.values().length);
    private final Counter[] connectionsAccepted;
    private final Counter[] connectionsRefused;
    private final LongAdder sessionsLive = new LongAdder();
    private final LongAdder sessionsAway = new LongAdder();
    private final LongAdder rooms = new LongAdder();
    private final Counter roomsOpened;
    private final LongAdder members = new LongAdder();
    private final Counter[] handOffs;
    private final Timer handOffLatency;
    private final Counter turnsExpired;
    private final Counter turnsSkipped;
    private final Counter[] errorsSent;
    private final Counter framesReceived;
    private final Counter bytesReceived;
    private final Counter framesSent;
    private final Counter bytesSent;
    private final Counter[] slowConsumerCutOffs;
    private final Counter rateLimitCutOffs;
    private final Counter[] resumes;
    private final Counter[] authFailures;
    private final Counter reloadsSucceeded;
    private final Counter reloadsFailed;
    private final AtomicLong tlsNotAfterSeconds = new AtomicLong();

    /**
     * Metrics that record into nothing: for rooms, stores and handlers made without a server (tests,
     * benchmarks). Meters of a composite registry without children are no-ops.
     */
    public static ServerMetrics discarding() {
        return new ServerMetrics(new CompositeMeterRegistry());
    }

    /** Registers every HotPochato meter with {@code registry}. */
    public ServerMetrics(MeterRegistry registry) {
        Gauge.builder("hotpochato.build.info", () -> 1)
                .description("Always 1; the label says which HotPochato version runs")
                .tag("version", HotPochatoServer.VERSION)
                .register(registry);

        for (Transport t : Transport.values()) {
            Gauge.builder("hotpochato.connections.open", connectionsOpen[t.ordinal()], LongAdder::doubleValue)
                    .description("Client connections open now")
                    .tag("transport", label(t))
                    .register(registry);
        }
        connectionsAccepted = counters(registry, "hotpochato.connections.accepted",
                "Client connections accepted, including those then refused", "transport", Transport.values());
        connectionsRefused = counters(registry, "hotpochato.connections.refused",
                "Connections refused before their handshake, by the limit they hit", "reason", Refusal.values());

        Gauge.builder("hotpochato.sessions", sessionsLive, LongAdder::doubleValue)
                .description("Sessions (handshaken clients) now: live, or away within their resume grace")
                .tag("state", "live").register(registry);
        Gauge.builder("hotpochato.sessions", sessionsAway, LongAdder::doubleValue)
                .description("Sessions (handshaken clients) now: live, or away within their resume grace")
                .tag("state", "away").register(registry);

        Gauge.builder("hotpochato.rooms", rooms, LongAdder::doubleValue)
                .description("Rooms open now, pair rooms included").register(registry);
        // Not "rooms.created": the Prometheus client keeps the _created suffix for counters' own timestamps.
        roomsOpened = Counter.builder("hotpochato.rooms.opened")
                .description("Rooms opened, pair rooms included").register(registry);
        Gauge.builder("hotpochato.room.members", members, LongAdder::doubleValue)
                .description("Room memberships now, summed over rooms (one client in three rooms counts three)")
                .register(registry);

        handOffs = counters(registry, "hotpochato.handoffs",
                "Turns handed on by their holder, by a Say or a Pass", "cause", HandOff.values());
        handOffLatency = Timer.builder("hotpochato.handoff.latency")
                .description("Time on the server from reading a Say or Pass to writing the next TurnGranted")
                .serviceLevelObjectives(HAND_OFF_BUCKETS)
                .register(registry);
        turnsExpired = Counter.builder("hotpochato.turns.expired")
                .description("Turns that ran out of time and passed by themselves").register(registry);
        turnsSkipped = Counter.builder("hotpochato.turns.skipped")
                .description("Turns skipped because their member was away").register(registry);

        Error.Code[] codes = Error.Code.values();
        errorsSent = new Counter[codes.length];
        for (Error.Code code : codes) {
            if (code != Error.Code.UNRECOGNIZED && code != Error.Code.CODE_UNSPECIFIED) {
                errorsSent[code.ordinal()] = Counter.builder("hotpochato.errors.sent")
                        .description("Error frames sent to clients, by code")
                        .tag("code", code.name()).register(registry);
            }
        }

        framesReceived = Counter.builder("hotpochato.received.frames")
                .description("Frames received from clients").register(registry);
        bytesReceived = Counter.builder("hotpochato.received").baseUnit("bytes")
                .description("Bytes of frames received from clients, length prefixes included").register(registry);
        framesSent = Counter.builder("hotpochato.sent.frames")
                .description("Frames written to clients (a broadcast counts once per recipient)").register(registry);
        bytesSent = Counter.builder("hotpochato.sent").baseUnit("bytes")
                .description("Bytes of frames written to clients, length prefixes included").register(registry);

        slowConsumerCutOffs = counters(registry, "hotpochato.slow.consumer.cutoffs",
                "Connections cut off for not reading what they were sent", "trigger", SlowConsumer.values());
        rateLimitCutOffs = Counter.builder("hotpochato.rate.limit.cutoffs")
                .description("Connections cut off for sending frames faster than the rate limit").register(registry);
        resumes = counters(registry, "hotpochato.resumes", "Resume requests, by outcome", "outcome",
                Resume.values());
        authFailures = counters(registry, "hotpochato.auth.failures",
                "Hello and Resume frames refused authentication", "reason", AuthFailure.values());

        reloadsSucceeded = Counter.builder("hotpochato.config.reloads")
                .description("Reloads of the token file and TLS certificate (SIGHUP or POST /reload)")
                .tag("result", "success").register(registry);
        reloadsFailed = Counter.builder("hotpochato.config.reloads")
                .description("Reloads of the token file and TLS certificate (SIGHUP or POST /reload)")
                .tag("result", "failure").register(registry);
        Gauge.builder("hotpochato.tls.certificate.expiry", tlsNotAfterSeconds, AtomicLong::doubleValue)
                .description("When the TLS certificate in use expires, in seconds since the epoch (0 without TLS)")
                .baseUnit("timestamp_seconds").register(registry);
    }

    /** A connection was accepted on {@code transport}; it is open until {@link #connectionClosed}. */
    public void connectionOpened(Transport transport) {
        connectionsAccepted[transport.ordinal()].increment();
        connectionsOpen[transport.ordinal()].increment();
    }

    public void connectionClosed(Transport transport) {
        connectionsOpen[transport.ordinal()].decrement();
    }

    /** A connection was refused by a limit (it still counts as accepted, and as open until it closes). */
    public void connectionRefused(Refusal reason) {
        connectionsRefused[reason.ordinal()].increment();
    }

    /** A {@code Hello} was welcomed: one more live session. */
    public void sessionStarted() {
        sessionsLive.increment();
    }

    /** A live session lost its connection and waits for a {@code Resume}. */
    public void sessionAway() {
        sessionsLive.decrement();
        sessionsAway.increment();
    }

    /** An away session was resumed. */
    public void sessionBack() {
        sessionsAway.decrement();
        sessionsLive.increment();
    }

    /** A session ended for good; {@code wasAway} when its resume grace ran out. */
    public void sessionEnded(boolean wasAway) {
        (wasAway ? sessionsAway : sessionsLive).decrement();
    }

    public void roomOpened() {
        roomsOpened.increment();
        rooms.increment();
    }

    public void roomClosed() {
        rooms.decrement();
    }

    public void memberJoined() {
        members.increment();
    }

    public void memberLeft() {
        members.decrement();
    }

    /**
     * The holder handed the turn on; {@code latencyNanos} from reading its {@code Say} or
     * {@code Pass} to writing the next {@code TurnGranted}.
     */
    public void handOff(HandOff cause, long latencyNanos) {
        handOffs[cause.ordinal()].increment();
        handOffLatency.record(latencyNanos, TimeUnit.NANOSECONDS);
    }

    public void turnExpired() {
        turnsExpired.increment();
    }

    public void turnSkipped() {
        turnsSkipped.increment();
    }

    public void errorSent(Error.Code code) {
        Counter counter = errorsSent[code.ordinal()];
        if (counter != null) {
            counter.increment();
        }
    }

    /** One frame of {@code bytes} (length prefix included) was read from a client. */
    public void frameReceived(int bytes) {
        framesReceived.increment();
        bytesReceived.increment(bytes);
    }

    /** {@code frames} frames, {@code bytes} in all, were written to clients (a broadcast: one per recipient). */
    public void framesSent(int frames, long bytes) {
        framesSent.increment(frames);
        bytesSent.increment(bytes);
    }

    public void slowConsumerCutOff(SlowConsumer trigger) {
        slowConsumerCutOffs[trigger.ordinal()].increment();
    }

    public void rateLimitCutOff() {
        rateLimitCutOffs.increment();
    }

    public void resume(Resume outcome) {
        resumes[outcome.ordinal()].increment();
    }

    public void authFailure(AuthFailure reason) {
        authFailures[reason.ordinal()].increment();
    }

    /** A reload of the token file and the TLS certificate ended; {@code ok} when all of it was taken. */
    public void configReloaded(boolean ok) {
        (ok ? reloadsSucceeded : reloadsFailed).increment();
    }

    /** The TLS certificate in use now expires at {@code notAfter}. */
    public void tlsCertificateExpires(Instant notAfter) {
        tlsNotAfterSeconds.set(notAfter.getEpochSecond());
    }

    private static LongAdder[] adders(int n) {
        LongAdder[] adders = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            adders[i] = new LongAdder();
        }
        return adders;
    }

    private static Counter[] counters(MeterRegistry registry, String name, String help, String label, Enum<?>[] values) {
        Counter[] counters = new Counter[values.length];
        for (Enum<?> value : values) {
            counters[value.ordinal()] = Counter.builder(name).description(help).tag(label, label(value)).register(registry);
        }
        return counters;
    }

    /** Label values are the enum constants in lower case: {@code max_connections_per_address}. */
    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
