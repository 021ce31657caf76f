package dev.hotpochato.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Records a session's events as short lines, and the threads they arrived on; waits with a timeout, never sleeps. */
final class EventLog implements SessionListener {

    static final long TIMEOUT_SECONDS = 10;

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    final List<String> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

    private void add(String event) {
        threads.add(Thread.currentThread().getName());
        events.add(event);
    }

    @Override
    public void onJoined(RoomHandle room) {
        add("joined " + room.name());
    }

    @Override
    public void onPaired(RoomHandle room, String partner, boolean first) {
        add("paired " + room.name() + " " + partner + (first ? " first" : " second"));
    }

    @Override
    public void onTurnGranted(RoomHandle room, Turn turn) {
        add("turn " + room.name() + " " + turn.number() + " " + turn.holder() + (turn.isMine() ? " mine" : ""));
    }

    @Override
    public void onSaid(RoomHandle room, Message message) {
        add("said " + room.name() + " " + message.speaker() + ": " + message.text());
    }

    @Override
    public void onPassed(RoomHandle room, String name, long turn) {
        add("passed " + room.name() + " " + name);
    }

    @Override
    public void onTurnExpired(RoomHandle room, String name, long turn) {
        add("expired " + room.name() + " " + name);
    }

    @Override
    public void onMemberJoined(RoomHandle room, String name) {
        add("member-joined " + room.name() + " " + name);
    }

    @Override
    public void onMemberLeft(RoomHandle room, String name, LeaveReason reason) {
        add("member-left " + room.name() + " " + name + " " + reason);
    }

    @Override
    public void onMemberAway(RoomHandle room, String name) {
        add("member-away " + room.name() + " " + name);
    }

    @Override
    public void onMemberBack(RoomHandle room, String name) {
        add("member-back " + room.name() + " " + name);
    }

    @Override
    public void onTurnSkipped(RoomHandle room, String name, long turn) {
        add("skipped " + room.name() + " " + name);
    }

    @Override
    public void onHistoryLost(RoomHandle room) {
        add("history-lost " + room.name());
    }

    @Override
    public void onReconnecting(Throwable cause) {
        add("reconnecting");
    }

    @Override
    public void onReconnected() {
        add("reconnected");
    }

    @Override
    public void onNewSession(Throwable cause) {
        add("new-session " + (cause instanceof ServerErrorException e ? e.code() : cause.getClass().getSimpleName()));
    }

    @Override
    public void onRejoined(RoomHandle room) {
        add("rejoined " + room.name());
    }

    @Override
    public void onRejoinFailed(RoomHandle room, HotPochatoException cause) {
        add("rejoin-failed " + room.name() + " " + cause.getClass().getSimpleName());
    }

    @Override
    public void onRoomClosed(RoomHandle room, String reason) {
        add("closed " + room.name() + " " + reason);
    }

    @Override
    public void onServerError(ServerErrorException error) {
        add("error " + error.code());
    }

    @Override
    public void onDisconnected(Throwable cause) {
        add("disconnected " + (cause == null ? "" : cause.getClass().getSimpleName()));
    }

    String next() throws InterruptedException {
        String e = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (e == null) {
            fail("no event within " + TIMEOUT_SECONDS + " s");
        }
        return e;
    }

    /** The next events, which must be exactly {@code expected}, in order. */
    void expect(String... expected) throws InterruptedException {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            got.add(next());
        }
        assertEquals(List.of(expected), got);
    }

    /** The events up to and including {@code last}, in order. */
    List<String> until(String last) throws InterruptedException {
        List<String> got = new ArrayList<>();
        while (true) {
            String e = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (e == null) {
                fail("no '" + last + "' within " + TIMEOUT_SECONDS + " s; got " + got);
            }
            got.add(e);
            if (e.equals(last)) {
                return got;
            }
        }
    }

    /** Skips events until {@code expected} comes. */
    void awaitEvent(String expected) throws InterruptedException {
        List<String> skipped = new ArrayList<>();
        while (true) {
            String e = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (e == null) {
                fail("no '" + expected + "' within " + TIMEOUT_SECONDS + " s; got " + skipped);
            }
            if (e.equals(expected)) {
                return;
            }
            skipped.add(e);
        }
    }
}
