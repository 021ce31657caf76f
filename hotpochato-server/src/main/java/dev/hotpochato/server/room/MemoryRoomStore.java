package dev.hotpochato.server.room;

import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.RoomCommand;
import dev.hotpochato.server.room.rules.RoomListing;
import dev.hotpochato.server.room.rules.RoomSettings;
import dev.hotpochato.server.room.rules.RoomState;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The rooms of one server, in its memory: spread over {@link RoomShard}s by name, each shard on
 * one of the server's event loops, which alone touches its rooms. No locks on the turn path: a
 * command hops to its room's loop (or runs at once if it is already there) and is applied,
 * delivered and flushed in one task. The default store, and the fastest.
 *
 * <p>Safe to use from any thread: it only picks a shard, and the shard does the rest on its own thread.
 */
public final class MemoryRoomStore implements RoomStore {

    private final List<RoomShard> shards;
    private final RoomSettings defaults;

    public MemoryRoomStore(List<RoomShard> shards, RoomSettings defaults) {
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

    @Override
    public RoomSettings defaults() {
        return defaults;
    }

    @Override
    public void join(Participant p, long requestId, String room, RoomSettings settingsIfCreated, String password) {
        RoomShard shard = shardFor(room);
        shard.execute(() -> shard.join(p, requestId, room, settingsIfCreated, password, false));
    }

    @Override
    public void join(Participant p, long requestId, String room, RoomSettings settingsIfCreated, String password,
                     boolean audience) {
        RoomShard shard = shardFor(room);
        shard.execute(() -> shard.join(p, requestId, room, settingsIfCreated, password, audience));
    }

    @Override
    public void leave(Participant p, long requestId, String room, LeaveReason reason) {
        submit(p, new RoomCommand.Leave(room, p.sessionId(), requestId, reason));
    }

    @Override
    public void say(Participant p, long requestId, String room, String text) {
        submit(p, new RoomCommand.Say(room, p.sessionId(), requestId, text));
    }

    @Override
    public void pass(Participant p, long requestId, String room) {
        submit(p, new RoomCommand.Pass(room, p.sessionId(), requestId));
    }

    @Override
    public void invite(Participant p, long requestId, String room, String invitee) {
        submit(p, new RoomCommand.Invite(room, p.sessionId(), requestId, invitee));
    }

    @Override
    public void floor(Participant p, RoomCommand command) {
        submit(p, command);
    }

    @Override
    public CompletableFuture<Void> away(Participant p, String room) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        RoomShard shard = shardFor(room);
        shard.execute(() -> {
            try {
                shard.apply(new RoomCommand.Away(room, p.sessionId()), p);
            } finally {
                done.complete(null);
            }
        });
        return done;
    }

    @Override
    public void back(Participant p, String room, long lastSeenSeq) {
        submit(p, new RoomCommand.Back(room, p.sessionId(), lastSeenSeq));
    }

    @Override
    public void pair(String room, Participant first, long firstMatchRequestId, Participant second,
                     long secondMatchRequestId) {
        RoomCommand.AdmitPair command = new RoomCommand.AdmitPair(room, defaults.forPair(),
                new RoomCommand.Pairing(first.sessionId(), first.name(), firstMatchRequestId),
                new RoomCommand.Pairing(second.sessionId(), second.name(), secondMatchRequestId));
        RoomShard shard = shardFor(room);
        shard.execute(() -> shard.pair(command, first, second));
    }

    private void submit(Participant p, RoomCommand command) {
        shardFor(command.room()).submit(command, p);
    }

    @Override
    public CompletableFuture<RoomPage> list(String after, int limit) {
        int n = limit <= 0 || limit > MAX_PAGE ? MAX_PAGE : limit;
        List<CompletableFuture<RoomPage>> parts = new ArrayList<>(shards.size());
        for (RoomShard shard : shards) {
            CompletableFuture<RoomPage> part = new CompletableFuture<>();
            shard.execute(() -> part.complete(shard.page(after, n)));
            parts.add(part);
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<RoomListing> all = new ArrayList<>();
            boolean more = false;
            for (CompletableFuture<RoomPage> part : parts) {
                all.addAll(part.join().rooms());
                more |= !part.join().nextAfter().isEmpty();
            }
            all.sort(Comparator.comparing(RoomListing::name));
            more |= all.size() > n;
            List<RoomListing> page = List.copyOf(all.subList(0, Math.min(n, all.size())));
            return new RoomPage(page, more ? page.get(page.size() - 1).name() : "");
        });
    }

    @Override
    public CompletableFuture<RoomState> inspect(String room) {
        CompletableFuture<RoomState> state = new CompletableFuture<>();
        RoomShard shard = shardFor(room);
        shard.execute(() -> state.complete(shard.inspect(room)));
        return state;
    }

    @Override
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
