package dev.hotpochato.server.room;

import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.RoomSettings;
import dev.hotpochato.server.room.rules.RoomState;

import java.util.concurrent.CompletableFuture;

/**
 * Where the server's rooms live and how their commands are applied: a room's state is read, the
 * turn rules ({@code RoomRules}) turn it and the command into a new state and events, the new state
 * is kept, and the events are delivered to the members' connections, encoded once, the next holder
 * first. {@link MemoryRoomStore} keeps the rooms on this server's event loops; a shared store (Redis)
 * keeps them where several servers see them.
 *
 * <p>Every method may be called from any thread and returns at once; the work happens on the
 * store's own threads, and what the requester is told (a reply, a refusal) reaches it as frames,
 * through its {@link Participant#channel()}. Commands of one participant to one room are applied in
 * the order they were made.
 */
public interface RoomStore {

    /** The most rooms one {@link #list} returns. */
    int MAX_PAGE = 100;

    /** The settings a room gets when its creator asks for nothing else. */
    RoomSettings defaults();

    /**
     * {@code Join}: admits {@code p} to {@code room}, creating the room with {@code settingsIfCreated}
     * if it does not exist. Takes one of {@code p}'s room slots while it is a member.
     */
    void join(Participant p, long requestId, String room, RoomSettings settingsIfCreated, String password);

    /**
     * As {@link #join}, as audience if {@code audience}: listening, with no place in the turns until
     * a chair moves it to the speakers or its raised hand is granted.
     */
    void join(Participant p, long requestId, String room, RoomSettings settingsIfCreated, String password,
              boolean audience);

    /**
     * {@code Leave} ({@link LeaveReason#LEFT}, answered), or the end of {@code p}'s session for
     * another reason (silent if it is not a member).
     */
    void leave(Participant p, long requestId, String room, LeaveReason reason);

    void say(Participant p, long requestId, String room, String text);

    void pass(Participant p, long requestId, String room);

    void invite(Participant p, long requestId, String room, String invitee);

    /**
     * A floor-control request of {@code p}: {@code RaiseHand}, {@code Withdraw}, {@code Grant},
     * {@code Revoke}, {@code Deny}, {@code AppointChair}, {@code Mute} or {@code Remove}, as the
     * {@link dev.hotpochato.server.room.rules.RoomCommand} of that name made by {@code p}'s session.
     */
    void floor(Participant p, dev.hotpochato.server.room.rules.RoomCommand command);

    /**
     * {@code p}'s connection is lost: it is away in {@code room} and receives nothing from it. The
     * future completes once that is so, after which no live event of the room reaches {@code p}
     * until {@link #back}.
     */
    CompletableFuture<Void> away(Participant p, String room);

    /**
     * {@code p} resumed: it is sent what it missed in {@code room} after {@code lastSeenSeq} (never
     * anything from before it joined) and the time left in the current turn, then it is back and
     * receives everything live.
     */
    void back(Participant p, String room, long lastSeenSeq);

    /**
     * Makes the private room {@code room} (a new name) for a matched pair and admits both, {@code first}
     * speaking first. Their room slots are already taken; the room takes them over.
     */
    void pair(String room, Participant first, long firstMatchRequestId, Participant second,
              long secondMatchRequestId);

    /**
     * {@code p}'s session was taken over by another server sharing the rooms (a resume there): it is
     * no longer one of {@code room}'s members here, and nothing is changed in the room, which is the
     * other server's to change for it now. Nothing to do for a store that shares no rooms.
     */
    default void forget(Participant p, String room) {
    }

    /** Up to {@code limit} (at most {@link #MAX_PAGE}) public rooms whose names sort after {@code after}. */
    CompletableFuture<RoomPage> list(String after, int limit);

    /** A copy of the room's state, or null if there is no such room: for diagnostics and tests. */
    CompletableFuture<RoomState> inspect(String room);

    /** Closes every room, telling its members why; completes when their frames are on their way. */
    CompletableFuture<Void> closeAll(String reason);
}
