package dev.hotpochato.bench.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReportTest {

    @Test
    void ratioIsHotPochatoOverBaselineAndTargetsAreJudged() {
        Figure slow = new Figure("handoff k=2", "p50 latency", "us", 30, "raw ping-pong", 20, true, "<= 1.5x", "");
        assertEquals(1.5, slow.ratio(), 1e-9);
        Report report = new Report();
        report.add(slow);
        report.add(new Figure("fanout n=10", "deliveries/s", "1/s", 50, "Redis pub/sub", 100, false, ">= 1.0x", ""));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        report.printTable(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String table = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("<= 1.5x met"), table);
        assertTrue(table.contains(">= 1.0x MISSED"), table);
    }

    @Test
    void jsonHoldsEveryFigureAndWritesNullForAMissingBaseline(@TempDir Path dir) throws Exception {
        Report report = new Report();
        report.environment("cores", "2");
        report.add(Figure.alone("connections", "heap per \"connection\"", "bytes", 2048, "note"));
        report.note("redis-server is not installed");
        Path file = dir.resolve("figures.json");
        report.writeJson(file);
        String json = Files.readString(file);
        assertTrue(json.contains("\"baseline\": null"), json);
        assertTrue(json.contains("heap per \\\"connection\\\""), json);
        assertTrue(json.contains("redis-server is not installed"), json);
    }
}
