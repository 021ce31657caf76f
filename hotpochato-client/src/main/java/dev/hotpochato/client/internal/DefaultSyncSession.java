package dev.hotpochato.client.internal;

import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.RoomInfo;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.SyncRoom;
import dev.hotpochato.client.SyncSession;

import java.time.Duration;
import java.util.List;

/** {@link SyncSession} over a {@link DefaultSession}: each method waits for its future. */
final class DefaultSyncSession implements SyncSession {

    private final DefaultSession session;

    DefaultSyncSession(DefaultSession session) {
        this.session = session;
    }

    @Override
    public Session async() {
        return session;
    }

    @Override
    public SyncRoom join(String room) {
        return join(room, JoinOptions.defaults());
    }

    @Override
    public SyncRoom join(String room, JoinOptions options) {
        return Blocking.await(session.join(room, options), "joining " + room).sync();
    }

    @Override
    public SyncRoom match() {
        return Blocking.await(session.match(), "a match").sync();
    }

    @Override
    public void cancelMatch() {
        Blocking.await(session.cancelMatch(), "cancelling the match");
    }

    @Override
    public List<RoomInfo> listRooms() {
        return Blocking.await(session.listRooms(), "the room list");
    }

    @Override
    public Duration ping() {
        return Blocking.await(session.ping(), "a ping");
    }

    @Override
    public void close() {
        session.close();
    }
}
