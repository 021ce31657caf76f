package dev.hotpochato.server.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyAllocatorMetrics;
import io.micrometer.core.instrument.binder.netty4.NettyEventExecutorMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;

import java.util.Map;

/**
 * The JVM's and Netty's own metrics, under the names Micrometer gives them: GC pauses
 * ({@code jvm_gc_pause_seconds}), heap and other memory pools ({@code jvm_memory_used_bytes}),
 * threads, classes, CPU, open file descriptors against their limit, uptime; the buffer allocators'
 * memory ({@code netty_allocator_memory_used}, ...) and each event loop's queue of pending tasks
 * ({@code netty_eventexecutor_tasks_pending}). Bound by {@link #bind}, released by {@link #close}.
 */
public final class RuntimeMetrics implements AutoCloseable {

    private static final Map<String, String> NETTY_HELP = Map.of(
            "netty.allocator.memory.used", "Memory a Netty buffer allocator holds, by memory type",
            "netty.allocator.memory.pinned", "Memory of a Netty allocator's buffers in use",
            "netty.allocator.pooled.arenas", "Arenas of a pooled Netty allocator",
            "netty.allocator.pooled.cache.size", "Cache size of a pooled Netty allocator, by cache type",
            "netty.allocator.pooled.threadlocal.caches", "Thread-local caches of a pooled Netty allocator",
            "netty.allocator.pooled.chunk.size", "Chunk size of a pooled Netty allocator",
            "netty.eventexecutor.tasks.pending", "Tasks waiting in an event loop's queue",
            "netty.eventexecutor.workers", "Event loops of a group");

    private final JvmGcMetrics gc;

    private RuntimeMetrics(JvmGcMetrics gc) {
        this.gc = gc;
    }

    /**
     * Binds them all to {@code registry}, before any other meter is registered there (it adds the
     * filters below); {@code eventLoops} are the server's worker loops.
     */
    public static RuntimeMetrics bind(MeterRegistry registry, Iterable<EventExecutor> eventLoops) {
        // What promtool's lint (promtool check metrics) would otherwise refuse in Micrometer's own meters.
        registry.config()
                // "process_cpu_time_ns_total": an abbreviated unit; process_cpu_usage says the same.
                .meterFilter(MeterFilter.denyNameStartsWith("process.cpu.time"))
                .meterFilter(new MeterFilter() {
                    @Override
                    public Meter.Id map(Meter.Id id) {
                        // "system_cpu_count": only histograms and summaries may end in _count.
                        if (id.getName().equals("system.cpu.count")) {
                            return id.withName("system.cpu.cores");
                        }
                        // Micrometer's Netty binders register no help text, which Prometheus expects.
                        if (id.getName().startsWith("netty.") && id.getDescription() == null) {
                            return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(),
                                    NETTY_HELP.getOrDefault(id.getName(), "Netty: " + id.getName()), id.getType());
                        }
                        return id;
                    }
                });
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // Rooms allocate from the pooled allocator; channels from Netty's default one, which is
        // adaptive in Netty 4.2 unless -Dio.netty.allocator.type=pooled says otherwise.
        new NettyAllocatorMetrics(PooledByteBufAllocator.DEFAULT).bindTo(registry);
        if (ByteBufAllocator.DEFAULT != PooledByteBufAllocator.DEFAULT
                && ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider) {
            new NettyAllocatorMetrics(provider).bindTo(registry);
        }
        new NettyEventExecutorMetrics(eventLoops).bindTo(registry);
        return new RuntimeMetrics(gc);
    }

    /** Stops listening for GC notifications (the only binder that holds a resource). */
    @Override
    public void close() {
        gc.close();
    }
}
