package dev.hotpochato.bench.load;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One room's closed loop: its holder says something as soon as it is granted the turn, and the time
 * from that {@code Say} being written to the next holder reading its {@code TurnGranted} is one
 * hand-off. At most one hand-off per room is in flight.
 *
 * <p>Turns are held back until {@link #start}: the first holder parks here, so that the room fills
 * up before the loop begins.
 */
public final class RoomRun {

    private final String name;
    private final Run run;
    /** When the current holder wrote its Say; written by one client thread, read by the next holder's. */
    private volatile long sentAtNanos;
    private volatile Bot parked;
    private volatile boolean started;
    /** Mean pause between being granted the turn and speaking; 0 for a closed loop at full speed. */
    private volatile long pauseNanos;

    public RoomRun(String name, Run run) {
        this.name = name;
        this.run = run;
    }

    public String name() {
        return name;
    }

    /** The server granted {@code holder} the turn; called on the holder's event loop. */
    void granted(Bot holder) {
        long sent = sentAtNanos;
        if (sent != 0) {
            run.handoff(System.nanoTime() - sent);
        }
        if (!started) {
            parked = holder;
            return;
        }
        if (run.stopping()) {
            return;
        }
        long pause = pauseNanos;
        if (pause == 0) {
            speak(holder);
        } else {
            // Uniform between half and one and a half pauses, so that rooms do not fall into step.
            long delay = pause / 2 + ThreadLocalRandom.current().nextLong(Math.max(1, pause));
            holder.channel().eventLoop().schedule(() -> {
                if (!run.stopping()) {
                    speak(holder);
                }
            }, delay, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * From the next turn on, holders wait {@code pauseNanos} on average before speaking: the room
     * then offers a fixed rate instead of all it can.
     */
    public void pace(long pauseNanos) {
        this.pauseNanos = pauseNanos;
    }

    private void speak(Bot holder) {
        sentAtNanos = System.nanoTime();
        holder.say();
    }

    /** True once the room's first holder is waiting for {@link #start}. */
    public boolean ready() {
        return parked != null;
    }

    /** Lets the parked holder speak, which starts the loop. */
    public void start() {
        Bot holder = parked;
        if (holder == null) {
            throw new IllegalStateException("room " + name + " has no holder yet");
        }
        holder.channel().eventLoop().execute(() -> {
            started = true;
            speak(holder);
        });
    }
}
