package dev.hotpochato.client.internal;

import dev.hotpochato.client.Message;
import dev.hotpochato.client.MyTurn;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.SyncRoom;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

/** {@link SyncRoom} over a {@link DefaultRoom}: each method waits for its future. */
final class DefaultSyncRoom implements SyncRoom {

    private final DefaultRoom room;

    DefaultSyncRoom(DefaultRoom room) {
        this.room = room;
    }

    @Override
    public RoomHandle async() {
        return room;
    }

    @Override
    public Message say(String text) {
        return Blocking.await(room.say(text), "saying in " + room.name());
    }

    @Override
    public void pass() {
        Blocking.await(room.pass(), "passing in " + room.name());
    }

    @Override
    public void leave() {
        Blocking.await(room.leave(), "leaving " + room.name());
    }

    @Override
    public void raiseHand() {
        Blocking.await(room.raiseHand(), "raising a hand in " + room.name());
    }

    @Override
    public void withdraw() {
        Blocking.await(room.withdraw(), "withdrawing a hand in " + room.name());
    }

    @Override
    public void grant(String member, Duration talkTime) {
        Blocking.await(room.grant(member, talkTime), "granting the floor in " + room.name());
    }

    @Override
    public void revoke(String reason) {
        Blocking.await(room.revoke(reason), "revoking the floor in " + room.name());
    }

    @Override
    public void deny(String member, String reason) {
        Blocking.await(room.deny(member, reason), "denying " + member + " in " + room.name());
    }

    @Override
    public void appointChair(String member) {
        Blocking.await(room.appointChair(member), "appointing " + member + " in " + room.name());
    }

    @Override
    public void stepDown() {
        Blocking.await(room.stepDown(), "stepping down in " + room.name());
    }

    @Override
    public void mute(String member, boolean muted) {
        Blocking.await(room.mute(member, muted), (muted ? "muting " : "unmuting ") + member + " in " + room.name());
    }

    @Override
    public void remove(String member, String reason) {
        Blocking.await(room.remove(member, reason), "removing " + member + " from " + room.name());
    }

    @Override
    public void move(String member, boolean toAudience) {
        Blocking.await(room.move(member, toAudience), "moving " + member + " in " + room.name());
    }

    @Override
    public MyTurn awaitMyTurn() {
        return Blocking.await(room.nextTurn(), "a turn in " + room.name());
    }

    @Override
    public Optional<MyTurn> awaitMyTurn(Duration timeout) {
        CompletableFuture<MyTurn> next = room.nextTurn();
        try {
            return Optional.of(Blocking.await(next, timeout.toMillis(), "a turn in " + room.name()));
        } catch (TimeoutException e) {
            // A turn that comes later goes to the next caller, not to this abandoned wait...
            if (next.cancel(false)) {
                return Optional.empty();
            }
            // ...unless it came just now, and was taken for this caller.
            return Optional.of(Blocking.await(next, "a turn in " + room.name()));
        }
    }
}
