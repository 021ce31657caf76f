package dev.hotpochato.server.cli;

import picocli.CommandLine;

import java.time.Duration;

/**
 * Durations as operators type them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}, or a bare
 * number of seconds. {@link #format} writes them back the same way, so {@code --help} and the docs
 * show {@code 30s} rather than {@code PT30S}.
 */
final class Durations implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    static Duration parse(String value) {
        String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            if (v.endsWith("h")) {
                return Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            }
            return Duration.ofSeconds(Long.parseLong(v));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 30s, 500ms or 2m");
        }
    }

    /** The shortest exact form in the largest unit: 30s, 10m, 1h, 1500ms, 0. */
    static String format(Duration d) {
        if (d.isZero()) {
            return "0";
        }
        long millis = d.toMillis();
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
