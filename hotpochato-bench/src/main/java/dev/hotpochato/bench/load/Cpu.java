package dev.hotpochato.bench.load;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time as the JVM and the kernel report it, in nanoseconds. */
public final class Cpu {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Cpu() {
    }

    /** CPU used by this whole process so far. */
    public static long processNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** CPU used so far by the live threads of this process whose names start with any of {@code prefixes}. */
    public static long threadsNamed(String... prefixes) {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            for (String prefix : prefixes) {
                if (info.getThreadName().startsWith(prefix)) {
                    long t = THREADS.getThreadCpuTime(info.getThreadId());
                    total += Math.max(0, t);
                    break;
                }
            }
        }
        return total;
    }

    /** CPU used so far by another process (user + system), from /proc; -1 if unknown. */
    public static long otherProcessNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which is in parentheses and may hold spaces.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
            return ticks * (1_000_000_000L / 100); // USER_HZ is 100 on Linux
        } catch (Exception e) {
            return -1;
        }
    }

    /** File descriptors this process may have open, and has open now; {-1, -1} if unknown. */
    public static long[] fileDescriptors() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            return new long[]{unix.getMaxFileDescriptorCount(), unix.getOpenFileDescriptorCount()};
        }
        return new long[]{-1, -1};
    }
}
