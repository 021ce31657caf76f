package dev.hotpochato.terminal.interactive;

import dev.hotpochato.client.JoinOptions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What the interactive mode is told by the command line and the configuration file.
 *
 * @param historyFile where input history is kept across runs; null for none
 * @param logDir      where each room's chat log is appended ({@code ROOM.log}); null for none
 * @param color       whether to use colours (off with {@code NO_COLOR}); bold, dim and inverse stay
 * @param joinOptions how rooms this client creates are made (turn length)
 * @param clock       the time shown beside system lines, and its zone
 * @param reconnectFor how long to keep trying to get back to a server before giving up; null for no limit
 * @param rejoins     whether the session reconnects and, if it cannot be resumed, rejoins its rooms
 *                    in a new one ({@code ClientOptions.autoRejoin}): what to tell when a room closes
 */
public record ScreenOptions(Path historyFile, Path logDir, boolean color, JoinOptions joinOptions, Clock clock,
                            Duration reconnectFor, boolean rejoins) {

    public ScreenOptions {
        Objects.requireNonNull(joinOptions, "joinOptions");
        Objects.requireNonNull(clock, "clock");
    }

    /** No history, no log, colours, default rooms, the system clock, reconnecting for ever. */
    public static ScreenOptions defaults() {
        return new ScreenOptions(null, null, true, JoinOptions.defaults(), Clock.systemDefaultZone(), null, true);
    }
}
