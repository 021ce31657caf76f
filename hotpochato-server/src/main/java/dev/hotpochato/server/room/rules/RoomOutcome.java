package dev.hotpochato.server.room.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What one {@link RoomRules#apply} decided: the room's new state, its numbered events, the replies
 * for single sessions, and the effects the caller acts on (who was admitted or removed, the turn
 * timer, who holds the turn next).
 *
 * <p>Reusable: {@code apply} clears it first, so a store keeps one per thread and the turn path
 * allocates no lists. Valid until the next {@code apply} with it; not thread-safe.
 */
public final class RoomOutcome {

    private RoomState state;
    private boolean changed;
    private final ArrayList<RoomEvent> events = new ArrayList<>(4);
    private final ArrayList<RoomReply> replies = new ArrayList<>(2);
    private final ArrayList<RoomMember> admitted = new ArrayList<>(2);
    private final ArrayList<RoomMember> removed = new ArrayList<>(2);
    // Views made once: the turn path reads them on every command.
    private final List<RoomEvent> eventsView = Collections.unmodifiableList(events);
    private final List<RoomReply> repliesView = Collections.unmodifiableList(replies);
    private final List<RoomMember> admittedView = Collections.unmodifiableList(admitted);
    private final List<RoomMember> removedView = Collections.unmodifiableList(removed);
    private long receiptSessionId = -1;
    private long receiptRequestId;
    private long receiptSeq;
    private long nextHolderSessionId = -1;
    private boolean deadlineChanged;

    void reset(RoomState before) {
        state = before;
        changed = false;
        events.clear();
        replies.clear();
        admitted.clear();
        removed.clear();
        receiptSessionId = -1;
        receiptRequestId = 0;
        receiptSeq = 0;
        nextHolderSessionId = -1;
        deadlineChanged = false;
    }

    /**
     * The room after the command, or null if it does not exist (there was no such room, or a Join
     * that would have created it was refused). A closed room ({@link RoomState#isClosed()}) is gone
     * too: the store forgets it.
     */
    public RoomState state() {
        return state;
    }

    /** True if the state changed (and its version went up): a store writes it back. */
    public boolean changed() {
        return changed;
    }

    /** The numbered events, in seq order without gaps; unmodifiable. */
    public List<RoomEvent> events() {
        return eventsView;
    }

    /** The messages for single sessions, each placed by its {@link RoomReply#afterSeq()}; unmodifiable. */
    public List<RoomReply> replies() {
        return repliesView;
    }

    /** Members that joined the room: each receives events after its {@link RoomMember#joinedSeq()}. */
    public List<RoomMember> admitted() {
        return admittedView;
    }

    /** Members that are no longer in the room (left, removed, or the room closed): their room slots are free. */
    public List<RoomMember> removed() {
        return removedView;
    }

    /** The requester's session, if its copy of event {@link #receiptSeq()} answers its request; -1 if none. */
    public long receiptSessionId() {
        return receiptSessionId;
    }

    /** The request id the requester's copy of the receipt event echoes. */
    public long receiptRequestId() {
        return receiptRequestId;
    }

    public long receiptSeq() {
        return receiptSeq;
    }

    /** The session just granted the turn, so delivery can write to it first; -1 if nobody was. */
    public long nextHolderSessionId() {
        return nextHolderSessionId;
    }

    /**
     * The turn's deadline changed: the timer owner cancels any timer it runs for the room and, if
     * the new state has a deadline ({@link RoomState#deadlineMillis()} above 0 while a turn runs),
     * submits {@link RoomCommand.ExpireTurn} for {@link RoomState#turn()} once it has passed.
     */
    public boolean deadlineChanged() {
        return deadlineChanged;
    }

    /**
     * For a shared store: makes this the outcome of a commit another node made, as this node
     * delivers it: {@code events} (numbered, without gaps), with no replies and nobody admitted here;
     * the members their {@code MemberLeft} events are about, and {@code closedMembers} if a
     * {@code RoomClosed} is among them, are removed; the last {@code TurnGranted} names the next holder.
     *
     * @param state the room's state after the events, or its latest known state
     */
    public void committedElsewhere(RoomState state, List<RoomEvent> events, List<RoomMember> closedMembers) {
        committedElsewhere(state, events, closedMembers, List.of(), List.of());
    }

    /**
     * As {@link #committedElsewhere(RoomState, List, List)}, with {@code replies} for sessions on this
     * node that the node worked out itself (in {@link RoomReply#afterSeq()} order: what a chair's
     * {@code Remove} tells the member removed, or a pair's {@code Paired} and {@code Joined}) and
     * {@code admitted}, sessions of this node that the commit admitted (one side of a pair made by
     * another node). A {@code MemberRemoved} removes its member and a {@code RoomEnded} closes the
     * room like a {@code RoomClosed}.
     */
    public void committedElsewhere(RoomState state, List<RoomEvent> events, List<RoomMember> closedMembers,
                                   List<RoomReply> replies, List<RoomMember> admitted) {
        reset(state);
        this.replies.addAll(replies);
        this.admitted.addAll(admitted);
        for (RoomEvent e : events) {
            this.events.add(e);
            if (e instanceof RoomEvent.MemberLeft l) {
                removed.add(new RoomMember(l.sessionId(), l.name(), false, 0));
            } else if (e instanceof RoomEvent.MemberRemoved x) {
                removed.add(new RoomMember(x.sessionId(), x.name(), false, 0));
            } else if (e instanceof RoomEvent.RoomClosed || e instanceof RoomEvent.RoomEnded) {
                removed.addAll(closedMembers);
            } else if (e instanceof RoomEvent.TurnGranted g) {
                nextHolderSessionId = g.sessionId();
            }
        }
        changed = !events.isEmpty();
    }

    // ------------------------------------------------------------------ written by the rules

    void state(RoomState s) {
        state = s;
    }

    void markChanged() {
        changed = true;
    }

    void event(RoomEvent e) {
        events.add(e);
        changed = true;
    }

    void reply(RoomReply r) {
        replies.add(r);
    }

    void admitted(RoomMember m) {
        admitted.add(m);
    }

    void removed(RoomMember m) {
        removed.add(m);
    }

    void receipt(long sessionId, long requestId, long seq) {
        receiptSessionId = sessionId;
        receiptRequestId = requestId;
        receiptSeq = seq;
    }

    void nextHolder(long sessionId) {
        nextHolderSessionId = sessionId;
    }

    void deadlineChanged(boolean b) {
        deadlineChanged |= b;
    }

    @Override
    public String toString() {
        return "RoomOutcome{" + (state == null ? "no room" : "v" + state.version()) + ", events " + events
                + ", replies " + replies + (admitted.isEmpty() ? "" : ", admitted " + admitted)
                + (removed.isEmpty() ? "" : ", removed " + removed) + "}";
    }
}
