package dev.hotpochato.terminal;

import java.time.Duration;

/**
 * A duration as the terminal shows it to a person: whole seconds, rounded up (a turn with 0.2 s
 * left still has "1 s"), with the units spelled as in "5 s", "1 min 30 s", "2 h 5 min". One
 * home for this, so that the status row, the turn notices and the floor lines all say it alike.
 */
public final class DurationText {

    private DurationText() {
    }

    public static String of(Duration d) {
        long seconds = (Math.max(0, d.toMillis()) + 999) / 1000;
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            long s = seconds % 60;
            return seconds / 60 + " min" + (s == 0 ? "" : " " + s + " s");
        }
        long min = seconds / 60 % 60;
        return seconds / 3600 + " h" + (min == 0 ? "" : " " + min + " min");
    }
}
