package dev.hotpochato.bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one run, printed as a table and optionally written as JSON. */
public final class Report {

    private final List<Figure> figures = new ArrayList<>();
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();

    public synchronized void add(Figure figure) {
        figures.add(figure);
    }

    public synchronized void addAll(List<Figure> more) {
        figures.addAll(more);
    }

    public synchronized void environment(String key, String value) {
        environment.put(key, value);
    }

    /** A remark about the run as a whole (a skipped baseline, a capped size). */
    public synchronized void note(String note) {
        notes.add(note);
    }

    public synchronized List<Figure> figures() {
        return List.copyOf(figures);
    }

    public synchronized List<String> notes() {
        return List.copyOf(notes);
    }

    public synchronized void printTable(PrintStream out) {
        String[] head = {"scenario", "metric", "HotPochato", "baseline", "ratio", "target", "unit"};
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (Figure f : figures) {
            rows.add(new String[]{f.scenario(), f.metric(), number(f.value()),
                    f.hasBaseline() ? number(f.baseline()) + " (" + f.baselineName() + ")" : "-",
                    f.hasBaseline() ? String.format(Locale.ROOT, "%.2fx", f.ratio()) : "-",
                    f.target().isEmpty() ? "-" : f.target() + verdict(f), f.unit()});
        }
        int[] width = new int[head.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < head.length; i++) {
                line.append(i == 0 ? "" : " | ").append(pad(rows.get(r)[i], width[i], i >= 2 && i <= 4));
            }
            out.println(line.toString().stripTrailing());
            if (r == 0) {
                StringBuilder rule = new StringBuilder();
                for (int i = 0; i < head.length; i++) {
                    rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
                }
                out.println(rule);
            }
        }
        for (Figure f : figures) {
            if (!f.note().isEmpty()) {
                out.println("  " + f.scenario() + " / " + f.metric() + ": " + f.note());
            }
        }
        for (String note : notes) {
            out.println("note: " + note);
        }
    }

    /** " (met)" or " (missed)" for a target of the form {@code <= Nx} or {@code >= Nx}. */
    private static String verdict(Figure f) {
        String t = f.target().replace(" ", "");
        if (!f.hasBaseline() || !(t.startsWith("<=") || t.startsWith(">=")) || !t.endsWith("x")) {
            return "";
        }
        double bound = Double.parseDouble(t.substring(2, t.length() - 1));
        boolean met = t.startsWith("<=") ? f.ratio() <= bound : f.ratio() >= bound;
        return met ? " met" : " MISSED";
    }

    public synchronized void writeJson(Path file) throws IOException {
        StringBuilder json = new StringBuilder("{\n  \"environment\": {");
        int i = 0;
        for (Map.Entry<String, String> e : environment.entrySet()) {
            json.append(i++ == 0 ? "\n" : ",\n").append("    ").append(quote(e.getKey())).append(": ")
                    .append(quote(e.getValue()));
        }
        json.append("\n  },\n  \"figures\": [");
        i = 0;
        for (Figure f : figures) {
            json.append(i++ == 0 ? "\n" : ",\n").append("    {")
                    .append("\"scenario\": ").append(quote(f.scenario()))
                    .append(", \"metric\": ").append(quote(f.metric()))
                    .append(", \"unit\": ").append(quote(f.unit()))
                    .append(", \"value\": ").append(jsonNumber(f.value()))
                    .append(", \"baseline_name\": ").append(quote(f.baselineName()))
                    .append(", \"baseline\": ").append(jsonNumber(f.baseline()))
                    .append(", \"ratio\": ").append(jsonNumber(f.ratio()))
                    .append(", \"lower_is_better\": ").append(f.lowerIsBetter())
                    .append(", \"target\": ").append(quote(f.target()))
                    .append(", \"note\": ").append(quote(f.note()))
                    .append('}');
        }
        json.append("\n  ],\n  \"notes\": [");
        i = 0;
        for (String note : notes) {
            json.append(i++ == 0 ? "\n    " : ",\n    ").append(quote(note));
        }
        json.append("\n  ]\n}\n");
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (Math.abs(v) >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }

    private static String jsonNumber(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : Double.toString(v);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
