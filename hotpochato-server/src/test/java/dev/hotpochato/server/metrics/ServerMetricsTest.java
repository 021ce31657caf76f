package dev.hotpochato.server.metrics;

import dev.hotpochato.protocol.v1.Error;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The recording methods move the right series, allocate nothing, and use only fixed labels. */
class ServerMetricsTest {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ServerMetrics metrics = new ServerMetrics(registry);

    @AfterEach
    void close() {
        registry.close();
    }

    private double sample(String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(registry.scrape());
        if (!m.find()) {
            fail("no sample " + series + " in:\n" + registry.scrape());
        }
        return Double.parseDouble(m.group(1));
    }

    @Test
    void eachMethodMovesItsSeries() {
        metrics.connectionOpened(ServerMetrics.Transport.WEBSOCKET);
        metrics.connectionOpened(ServerMetrics.Transport.TCP);
        metrics.connectionClosed(ServerMetrics.Transport.TCP);
        metrics.connectionRefused(ServerMetrics.Refusal.MAX_CONNECTIONS_PER_ADDRESS);
        metrics.sessionStarted();
        metrics.sessionStarted();
        metrics.sessionAway();
        metrics.roomOpened();
        metrics.memberJoined();
        metrics.memberJoined();
        metrics.handOff(ServerMetrics.HandOff.SAID, 2_000_000); // 2 ms
        metrics.handOff(ServerMetrics.HandOff.PASSED, 40_000);  // 40 us
        metrics.turnExpired();
        metrics.errorSent(Error.Code.NOT_YOUR_TURN);
        metrics.frameReceived(20);
        metrics.framesSent(3, 60);
        metrics.slowConsumerCutOff(ServerMetrics.SlowConsumer.PENDING_BYTES);
        metrics.resume(ServerMetrics.Resume.FAILED);
        metrics.authFailure(ServerMetrics.AuthFailure.REFUSED);
        metrics.tlsCertificateExpires(Instant.ofEpochSecond(1_900_000_000L));

        assertEquals(1, sample("hotpochato_connections_open{transport=\"websocket\"}"));
        assertEquals(0, sample("hotpochato_connections_open{transport=\"tcp\"}"));
        assertEquals(1, sample("hotpochato_connections_accepted_total{transport=\"tcp\"}"));
        assertEquals(1, sample("hotpochato_connections_refused_total{reason=\"max_connections_per_address\"}"));
        assertEquals(1, sample("hotpochato_sessions{state=\"live\"}"));
        assertEquals(1, sample("hotpochato_sessions{state=\"away\"}"));
        assertEquals(1, sample("hotpochato_rooms"));
        assertEquals(1, sample("hotpochato_rooms_opened_total"));
        assertEquals(2, sample("hotpochato_room_members"));
        assertEquals(1, sample("hotpochato_handoffs_total{cause=\"said\"}"));
        assertEquals(1, sample("hotpochato_handoff_latency_seconds_bucket{le=\"5.0E-5\"}"));
        assertEquals(1, sample("hotpochato_handoff_latency_seconds_bucket{le=\"0.001\"}"));
        assertEquals(2, sample("hotpochato_handoff_latency_seconds_bucket{le=\"0.0025\"}"));
        assertEquals(2, sample("hotpochato_handoff_latency_seconds_count"));
        assertEquals(1, sample("hotpochato_turns_expired_total"));
        assertEquals(1, sample("hotpochato_errors_sent_total{code=\"NOT_YOUR_TURN\"}"));
        assertEquals(20, sample("hotpochato_received_bytes_total"));
        assertEquals(3, sample("hotpochato_sent_frames_total"));
        assertEquals(60, sample("hotpochato_sent_bytes_total"));
        assertEquals(1, sample("hotpochato_slow_consumer_cutoffs_total{trigger=\"pending_bytes\"}"));
        assertEquals(1, sample("hotpochato_resumes_total{outcome=\"failed\"}"));
        assertEquals(1, sample("hotpochato_auth_failures_total{reason=\"refused\"}"));
        assertEquals(1.9E9, sample("hotpochato_tls_certificate_expiry_timestamp_seconds"));
    }

    @Test
    void labelsAreFewAndFixedNeverANameOfARoomOrAUser() {
        Set<String> allowed = Set.of("transport", "reason", "state", "cause", "code", "trigger", "outcome", "result", "version");
        for (Meter meter : registry.getMeters()) {
            if (meter.getId().getName().startsWith("hotpochato.")) {
                for (Tag tag : meter.getId().getTagsAsIterable()) {
                    assertTrue(allowed.contains(tag.getKey()), meter.getId() + " has label " + tag.getKey());
                }
            }
        }
        // Every series exists from the start, at zero: an alert on a rate does not wait for the first event.
        assertEquals(0, sample("hotpochato_rate_limit_cutoffs_total"));
        assertEquals(0, sample("hotpochato_errors_sent_total{code=\"SLOW_CONSUMER\"}"));
    }

    @Test
    void namesFollowPrometheusConventions() {
        String exposition = registry.scrape();
        Matcher type = Pattern.compile("^# TYPE (hotpochato_\\w+) (\\w+)$", Pattern.MULTILINE).matcher(exposition);
        int families = 0;
        while (type.find()) {
            families++;
            String name = type.group(1);
            switch (type.group(2)) {
                case "counter" -> assertTrue(name.endsWith("_total"), name);
                case "histogram" -> assertTrue(name.endsWith("_seconds"), name);
                case "gauge" -> assertTrue(!name.endsWith("_total"), name);
                default -> fail(name + " is a " + type.group(2));
            }
        }
        assertTrue(families >= 20, "every family was found: " + families);
    }

    @Test
    void operationsMdListsEveryMetricAndNoOther() throws Exception {
        String doc = java.nio.file.Files.readString(java.nio.file.Path.of("..", "docs", "operations.md"));
        String list = doc.substring(doc.indexOf("<!-- BEGIN metrics -->"), doc.indexOf("<!-- END metrics -->"));
        Set<String> documented = new java.util.TreeSet<>();
        Matcher row = Pattern.compile("^\\| `(hotpochato_\\w+)` \\|", Pattern.MULTILINE).matcher(list);
        while (row.find()) {
            documented.add(row.group(1));
        }
        Set<String> exported = new java.util.TreeSet<>();
        Matcher type = Pattern.compile("^# TYPE (hotpochato_\\w+) ", Pattern.MULTILINE).matcher(registry.scrape());
        while (type.find()) {
            exported.add(type.group(1));
        }
        assertEquals(exported, documented, "docs/operations.md's list of metrics (section 9) and ServerMetrics differ");
    }

    @Test
    void recordingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        record(20_000); // warm up: lazily made parts of the meters, class loading
        long before = threads.getCurrentThreadAllocatedBytes();
        int calls = 100_000;
        record(calls);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        // A single object per call would be 16 bytes or more, 1.6 MB in all; allow the measurement's own noise.
        assertTrue(allocated < 16 * 1024, allocated + " bytes allocated by " + calls + " rounds of recording");
    }

    private void record(int rounds) {
        for (int i = 0; i < rounds; i++) {
            metrics.handOff(ServerMetrics.HandOff.SAID, 30_000 + i);
            metrics.frameReceived(40);
            metrics.framesSent(2, 80);
            metrics.errorSent(Error.Code.NOT_YOUR_TURN);
            metrics.turnSkipped();
            metrics.memberJoined();
            metrics.memberLeft();
            metrics.sessionAway();
            metrics.sessionBack();
            metrics.connectionOpened(ServerMetrics.Transport.TCP);
            metrics.connectionClosed(ServerMetrics.Transport.TCP);
        }
    }
}
