package dev.hotpochato.server.room;

import io.netty.buffer.ByteBufAllocator;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RoomShardTest {

    private final RoomFixture f = new RoomFixture(RoomFixture.Store.MEMORY);

    @Test
    void aTaskForAShardWhoseLoopHasStoppedIsDroppedQuietly() {
        ExecutorService stopped = Executors.newSingleThreadExecutor();
        stopped.shutdown();
        RoomShard shard = new RoomShard(stopped, f.clock, f.output, ByteBufAllocator.DEFAULT);
        AtomicBoolean ran = new AtomicBoolean();
        shard.execute(() -> ran.set(true)); // a connection closing while the server stops: no exception
        assertFalse(ran.get());
    }

    @Test
    void anyOtherRefusalIsNotHidden() {
        RoomShard shard = new RoomShard(task -> {
            throw new RejectedExecutionException("queue full");
        }, f.clock, f.output, ByteBufAllocator.DEFAULT);
        assertThrows(RejectedExecutionException.class, () -> shard.execute(() -> { }));
    }
}
