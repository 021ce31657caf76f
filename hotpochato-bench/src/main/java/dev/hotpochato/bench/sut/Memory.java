package dev.hotpochato.bench.sut;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/** Measures this process's memory the same way wherever the server runs. */
final class Memory {

    private Memory() {
    }

    /** Heap in use after full collections. */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * Direct memory in use: the JDK's direct buffers plus what Netty allocated without a cleaner
     * (its pooled arenas), which the JDK's pool does not see.
     */
    static long direct() {
        long jdk = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                jdk = pool.getMemoryUsed();
            }
        }
        long netty = Math.max(0, PlatformDependent.usedDirectMemory());
        return jdk + netty;
    }

    /** Bytes of direct memory the pooled allocator's buffers actually hold (not whole chunks). */
    static long pooledDirectInUse() {
        return PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
    }
}
