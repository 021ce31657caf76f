package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.RoomSummary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * All rooms of a server, spread over shards by name. Safe to use from any thread: it only picks a
 * shard, and the shard does the rest on its own thread.
 */
public final class Rooms {

    private final List<RoomShard> shards;
    private final RoomSettings defaults;

    public Rooms(List<RoomShard> shards, RoomSettings defaults) {
        if (shards.isEmpty()) {
            throw new IllegalArgumentException("at least one shard is needed");
        }
        this.shards = List.copyOf(shards);
        this.defaults = defaults;
    }

    public RoomShard shardFor(String roomName) {
        return shards.get(Math.floorMod(roomName.hashCode(), shards.size()));
    }

    public List<RoomShard> shards() {
        return shards;
    }

    public RoomSettings defaults() {
        return defaults;
    }

    /** The public rooms of every shard, sorted by name. */
    public CompletableFuture<List<RoomSummary>> listPublic() {
        List<CompletableFuture<List<RoomSummary>>> parts = new ArrayList<>(shards.size());
        for (RoomShard shard : shards) {
            CompletableFuture<List<RoomSummary>> part = new CompletableFuture<>();
            shard.execute(() -> part.complete(shard.publicSummaries()));
            parts.add(part);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<RoomSummary> all = new ArrayList<>();
            parts.forEach(part -> all.addAll(part.join()));
            all.sort(Comparator.comparing(RoomSummary::getName));
            return all;
        });
    }

    /** Closes every room on every shard; completes when all shards have done so. */
    public CompletableFuture<Void> closeAll(String reason) {
        List<CompletableFuture<Void>> parts = new ArrayList<>(shards.size());
        for (RoomShard shard : shards) {
            CompletableFuture<Void> part = new CompletableFuture<>();
            shard.execute(() -> {
                shard.closeAll(reason); // flushes the closing frames before returning
                part.complete(null);
            });
            parts.add(part);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new));
    }
}
