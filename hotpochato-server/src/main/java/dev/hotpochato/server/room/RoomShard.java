package dev.hotpochato.server.room;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.server.room.rules.RoomCommand;
import dev.hotpochato.server.room.rules.RoomEvent;
import dev.hotpochato.server.room.rules.RoomListing;
import dev.hotpochato.server.room.rules.RoomMember;
import dev.hotpochato.server.room.rules.RoomOutcome;
import dev.hotpochato.server.room.rules.RoomReply;
import dev.hotpochato.server.room.rules.RoomRules;
import dev.hotpochato.server.room.rules.RoomSettings;
import dev.hotpochato.server.room.rules.RoomState;
import dev.hotpochato.server.room.wire.RoomFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * The rooms that live on one thread (an event loop), as {@link MemoryRoomStore} keeps them: each
 * room's state, its history, its members on this server and its turn timer. A room's name decides
 * its shard, so finding, creating, changing and removing a room never races: all of it happens on
 * the shard's thread, without locks.
 *
 * <p>A command runs as one task: the rules ({@link RoomRules#apply}) give the outcome; its events are
 * encoded once, into one buffer, kept in the history and written to every member that gets them
 * all as a duplicate of that buffer, the next holder first; a member that gets something else (the
 * requester, whose copy echoes its request id; a joiner; a member going or coming back) gets one
 * buffer of its own. The output flushes at the end of the task.
 *
 * <p>Everything but {@link #execute} must be called on the shard's thread.
 */
public final class RoomShard {

    private static final Logger LOG = LoggerFactory.getLogger(RoomShard.class);

    private final Executor executor;
    private final TurnClock clock;
    private final RoomOutput output;
    private final ByteBufAllocator alloc;
    private final Map<String, Entry> rooms = new HashMap<>();
    /** Names of the public rooms, sorted, for listing by page. */
    private final TreeSet<String> publicNames = new TreeSet<>();
    private final RoomOutcome outcome = new RoomOutcome();
    /** Per event of the outcome being delivered: where its frame body starts in the shared buffer, and how long it is. */
    private int[] bodyStart = new int[8];
    private int[] bodyLength = new int[8];
    /**
     * Where the events are serialized first, then copied into a pooled (direct) buffer in one go:
     * writing into an array is plain indexing.
     */
    private byte[] scratch = new byte[1024];
    /** Sessions of the outcome being delivered that do not simply get all of its events. */
    private long[] special = new long[8];
    private int specials;
    /** The frames of the outcome's replies, built once each. */
    private final ArrayList<MessageLite> replyFrames = new ArrayList<>();
    /** The thread the executor runs tasks on, once seen (an event loop keeps one thread for life). */
    private volatile Thread thread;

    /** One room: its state and what this server keeps beside it. */
    private static final class Entry {
        RoomState state;
        final EventHistory history;
        /** Its members whose sessions are on this server, in join order. */
        final ArrayList<Local> locals = new ArrayList<>(4);
        TurnClock.Cancellable expiry;

        Entry(RoomState state) {
            this.state = state;
            this.history = new EventHistory(state.settings().historySize());
        }

        Local local(long sessionId) {
            for (int i = 0; i < locals.size(); i++) {
                if (locals.get(i).p.sessionId() == sessionId) {
                    return locals.get(i);
                }
            }
            return null;
        }
    }

    /** A member on this server; present while it is not away. */
    private static final class Local {
        final Participant p;
        boolean present;

        Local(Participant p, boolean present) {
            this.p = p;
            this.present = present;
        }
    }

    public RoomShard(Executor executor, TurnClock clock, RoomOutput output, ByteBufAllocator alloc) {
        this.executor = executor;
        this.clock = new FlushingClock(clock);
        this.output = output;
        this.alloc = alloc;
    }

    /**
     * Runs {@code task} on this shard's thread, then delivers the frames it produced. Called on that
     * thread already (a connection served by the same event loop), it runs at once: no hop.
     */
    public void execute(Runnable task) {
        if (Thread.currentThread() == thread) {
            runAndFlush(task);
            return;
        }
        try {
            executor.execute(() -> runAndFlush(task));
        } catch (RejectedExecutionException refused) {
            if (!(executor instanceof ExecutorService service) || !service.isShutdown()) {
                throw refused;
            }
            // The server is stopping: what a closing connection still asks of the rooms (leaving)
            // has nothing left to change, and the stack trace Netty would log says nothing useful.
            LOG.debug("room task dropped: the server is stopping", refused);
        }
    }

    /**
     * Applies {@code command} of {@code requester} on this shard's thread: at once if this is that
     * thread (then without even a task object), else as a task handed to it.
     */
    public void submit(RoomCommand command, Participant requester) {
        if (Thread.currentThread() == thread) {
            try {
                apply(command, requester, null);
            } finally {
                output.flush();
            }
        } else {
            execute(() -> apply(command, requester, null));
        }
    }

    private void runAndFlush(Runnable task) {
        thread = Thread.currentThread();
        try {
            task.run();
        } finally {
            output.flush();
        }
    }

    /** The rooms' clock: a timer (a turn expiring) is a room task like any other, so its frames are flushed too. */
    private final class FlushingClock implements TurnClock {
        private final TurnClock clock;

        FlushingClock(TurnClock clock) {
            this.clock = clock;
        }

        @Override
        public long currentTimeMillis() {
            return clock.currentTimeMillis();
        }

        @Override
        public Cancellable schedule(Runnable task, long delayMillis) {
            return clock.schedule(() -> runAndFlush(task), delayMillis);
        }
    }

    // ------------------------------------------------------------------ commands (on the shard's thread)

    /**
     * Handles {@code Join}: takes a room slot of {@code p} if the join gets that far, applies it,
     * and gives the slot back if {@code p} was not admitted after all.
     */
    public void join(Participant p, long requestId, String room, RoomSettings settingsIfCreated, String password) {
        Entry entry = rooms.get(room);
        boolean slot = RoomRules.joinNeedsSlot(entry == null ? null : entry.state, p.sessionId(), p.name(), password)
                && p.tryTakeRoomSlot();
        apply(new RoomCommand.Join(room, p.sessionId(), p.name(), requestId, password, slot, settingsIfCreated), p,
                null);
        if (slot && !admitted(p.sessionId())) {
            p.releaseRoomSlot();
        }
    }

    /** Applies a command that {@code requester} (or nobody: a timer, the server) made to its room, and delivers the outcome. */
    public void apply(RoomCommand command, Participant requester) {
        apply(command, requester, null);
    }

    /** Makes a pair's private room and admits both; see {@link RoomStore#pair}. */
    public void pair(RoomCommand.AdmitPair command, Participant first, Participant second) {
        apply(command, first, second);
    }

    private void apply(RoomCommand command, Participant a, Participant b) {
        String name = command.room();
        Entry entry = rooms.get(name);
        long now = clock.currentTimeMillis();
        RoomRules.apply(entry == null ? null : entry.state, command, now, outcome);
        RoomState after = outcome.state();
        if (entry == null && after != null) {
            entry = new Entry(after);
            rooms.put(name, entry);
            if (!after.isPrivate()) {
                publicNames.add(name);
            }
        }
        deliver(name, entry, a, b);
        if (entry == null) {
            return;
        }
        if (after == null || after.isClosed()) {
            rooms.remove(name);
            publicNames.remove(name);
            cancelExpiry(entry);
            entry.history.clear();
        } else if (outcome.deadlineChanged()) {
            rearm(entry, now);
        }
    }

    private boolean admitted(long sessionId) {
        for (int i = 0; i < outcome.admitted().size(); i++) {
            if (outcome.admitted().get(i).sessionId() == sessionId) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ timers

    private void rearm(Entry entry, long now) {
        cancelExpiry(entry);
        RoomState s = entry.state;
        if (s.holderIndex() >= 0 && s.deadlineMillis() > 0) {
            long turn = s.turn();
            String name = s.name();
            entry.expiry = clock.schedule(() -> {
                if (rooms.get(name) == entry) { // not a timer of a room that closed and was made again
                    entry.expiry = null;
                    apply(new RoomCommand.ExpireTurn(name, turn), null);
                }
            }, Math.max(0, s.deadlineMillis() - now));
        }
    }

    private static void cancelExpiry(Entry entry) {
        if (entry.expiry != null) {
            entry.expiry.cancel();
            entry.expiry = null;
        }
    }

    // ------------------------------------------------------------------ delivery

    /**
     * Delivers the outcome: every local member present throughout gets all the events, as a
     * duplicate of one buffer; the few sessions that get something else ("special": the requester,
     * members whose presence changes, reply targets) get a buffer each. Then the history keeps the
     * events, and the local members are brought up to date.
     */
    private void deliver(String room, Entry entry, Participant a, Participant b) {
        List<RoomEvent> events = outcome.events();
        ByteBuf all = events.isEmpty() ? null : encode(room, events);
        try {
            findSpecials();
            buildReplyFrames(room);
            if (entry != null) {
                long first = outcome.nextHolderSessionId();
                Local next = first < 0 ? null : entry.local(first);
                if (next != null) {
                    deliverTo(entry, next.p, next.present, all);
                }
                for (int i = 0; i < entry.locals.size(); i++) {
                    Local l = entry.locals.get(i);
                    if (l != next) {
                        deliverTo(entry, l.p, l.present, all);
                    }
                }
            }
            // Requesters that are not (yet) members here: replies, and a joiner's first events.
            deliverToNewcomer(entry, a, all);
            deliverToNewcomer(entry, b, all);
            if (entry != null) {
                for (int i = 0; i < events.size(); i++) {
                    entry.history.add(all, bodyStart[i], bodyLength[i]);
                }
                updateLocals(room, entry, a, b);
            }
        } finally {
            if (all != null) {
                all.release();
            }
            replyFrames.clear();
        }
    }

    private void deliverToNewcomer(Entry entry, Participant p, ByteBuf all) {
        if (p != null && (entry == null || entry.local(p.sessionId()) == null) && isSpecial(p.sessionId())) {
            deliverTo(entry, p, false, all);
        }
    }

    private void deliverTo(Entry entry, Participant p, boolean present, ByteBuf all) {
        if (isSpecial(p.sessionId())) {
            ByteBuf own = ownFrames(entry, p.sessionId(), present, all);
            if (own != null) {
                output.write(p, own);
            }
        } else if (present && all != null) {
            all.retain();
            output.write(p, all.duplicate());
        }
    }

    /** Encodes the events into one buffer, frames back to back, and notes where each frame body lies. */
    private ByteBuf encode(String room, List<RoomEvent> events) {
        int n = events.size();
        if (bodyStart.length < n) {
            bodyStart = new int[Math.max(n, bodyStart.length * 2)];
            bodyLength = new int[bodyStart.length];
        }
        int total = 0;
        for (int i = 0; i < n; i++) {
            RoomEvent e = events.get(i);
            int messageSize = RoomFrames.messageSize(room, e);
            int body = RoomFrames.frameBodySize(e, messageSize);
            bodyLength[i] = messageSize; // the message size for now; the body's length once written
            total += CodedOutputStream.computeUInt32SizeNoTag(body) + body;
        }
        if (scratch.length < total) {
            scratch = new byte[Math.max(total, scratch.length * 2)];
        }
        int at = 0;
        for (int i = 0; i < n; i++) {
            RoomEvent e = events.get(i);
            int messageSize = bodyLength[i];
            int body = RoomFrames.frameBodySize(e, messageSize);
            at = RoomFrames.writeVarint32(scratch, at, body);
            bodyStart[i] = at;
            bodyLength[i] = body;
            at = RoomFrames.writeFrameBody(scratch, at, room, e, messageSize);
        }
        if (at != total) {
            throw new IllegalStateException("encoded " + at + " bytes of " + total);
        }
        return alloc.buffer(total).writeBytes(scratch, 0, total);
    }

    /**
     * Notes the sessions that do not get exactly all events: the requester whose copy of an event
     * answers it, the members each membership event is about, the admitted, and reply targets.
     */
    private void findSpecials() {
        specials = 0;
        if (outcome.receiptSessionId() >= 0) {
            addSpecial(outcome.receiptSessionId());
        }
        List<RoomEvent> events = outcome.events();
        for (int i = 0; i < events.size(); i++) {
            RoomEvent e = events.get(i);
            if (e instanceof RoomEvent.MemberJoined j) {
                addSpecial(j.sessionId());
            } else if (e instanceof RoomEvent.MemberLeft l) {
                addSpecial(l.sessionId());
            } else if (e instanceof RoomEvent.MemberAway w) {
                addSpecial(w.sessionId());
            } else if (e instanceof RoomEvent.MemberBack k) {
                addSpecial(k.sessionId());
            }
        }
        for (int i = 0; i < outcome.admitted().size(); i++) {
            addSpecial(outcome.admitted().get(i).sessionId());
        }
        for (int i = 0; i < outcome.replies().size(); i++) {
            addSpecial(outcome.replies().get(i).sessionId());
        }
    }

    private void addSpecial(long sessionId) {
        if (isSpecial(sessionId)) {
            return;
        }
        if (specials == special.length) {
            special = java.util.Arrays.copyOf(special, specials * 2);
        }
        special[specials++] = sessionId;
    }

    private boolean isSpecial(long sessionId) {
        for (int i = 0; i < specials; i++) {
            if (special[i] == sessionId) {
                return true;
            }
        }
        return false;
    }

    private void buildReplyFrames(String room) {
        replyFrames.clear();
        List<RoomReply> replies = outcome.replies();
        for (int i = 0; i < replies.size(); i++) {
            RoomReply r = replies.get(i);
            replyFrames.add(r instanceof RoomReply.Replay ? null : RoomFrames.reply(room, r));
        }
    }

    /**
     * What one special session gets of the outcome, in one buffer: its replies where they belong
     * among the events, and the events it receives while present (its own copy of the receipt event
     * echoing its request id). Null if it gets nothing.
     */
    private ByteBuf ownFrames(Entry entry, long sessionId, boolean presentAtStart, ByteBuf all) {
        int size = walk(entry, sessionId, presentAtStart, all, null);
        if (size == 0) {
            return null;
        }
        ByteBuf own = alloc.buffer(size);
        try {
            walk(entry, sessionId, presentAtStart, all, own);
            if (own.readableBytes() != size) {
                throw new IllegalStateException("wrote " + own.readableBytes() + " bytes of " + size);
            }
            return own;
        } catch (RuntimeException e) {
            own.release();
            throw e;
        }
    }

    /**
     * Goes through the outcome as {@code sessionId} sees it: into {@code out} if it is given, and
     * returns the bytes it takes either way. Presence follows the events: a member is admitted
     * after its join's seq, misses the {@code MemberAway} and {@code MemberLeft} about itself and
     * gets the {@code MemberBack} about itself.
     */
    private int walk(Entry entry, long sessionId, boolean present, ByteBuf all, ByteBuf out) {
        List<RoomEvent> events = outcome.events();
        List<RoomReply> replies = outcome.replies();
        long joinedAfter = -1;
        for (int i = 0; i < outcome.admitted().size(); i++) {
            if (outcome.admitted().get(i).sessionId() == sessionId) {
                joinedAfter = outcome.admitted().get(i).joinedSeq();
            }
        }
        int size = 0;
        int r = 0;
        for (int i = 0; i < events.size(); i++) {
            RoomEvent e = events.get(i);
            for (; r < replies.size() && replies.get(r).afterSeq() < e.seq(); r++) {
                size += reply(entry, sessionId, r, out);
            }
            if (joinedAfter >= 0 && joinedAfter < e.seq()) {
                present = true;
                joinedAfter = -1;
            }
            if (e instanceof RoomEvent.MemberLeft l && l.sessionId() == sessionId
                    || e instanceof RoomEvent.MemberAway w && w.sessionId() == sessionId) {
                present = false;
            } else if (e instanceof RoomEvent.MemberBack k && k.sessionId() == sessionId) {
                present = true;
            }
            if (!present) {
                continue;
            }
            if (sessionId == outcome.receiptSessionId() && e.seq() == outcome.receiptSeq()) {
                size += echo(all, i, outcome.receiptRequestId(), out);
            } else {
                int frameStart = bodyStart[i] - CodedOutputStream.computeUInt32SizeNoTag(bodyLength[i]);
                int frameLength = bodyStart[i] + bodyLength[i] - frameStart;
                if (out != null) {
                    out.writeBytes(all, frameStart, frameLength);
                }
                size += frameLength;
            }
        }
        for (; r < replies.size(); r++) {
            size += reply(entry, sessionId, r, out);
        }
        return size;
    }

    /** Reply {@code r} of the outcome if it is for {@code sessionId}: a frame, or a replay from the history. */
    private int reply(Entry entry, long sessionId, int r, ByteBuf out) {
        RoomReply reply = outcome.replies().get(r);
        if (reply.sessionId() != sessionId) {
            return 0;
        }
        if (reply instanceof RoomReply.Replay replay) {
            // The history keeps the latest events, up to the room's seq before this outcome.
            long oldest = entry.state.seq() - outcome.events().size() - entry.history.size() + 1;
            int skip = (int) (replay.fromSeq() - oldest);
            int n = (int) (replay.toSeq() - replay.fromSeq() + 1);
            if (out != null) {
                entry.history.writeFrames(skip, n, out);
            }
            return entry.history.framesSize(skip, n);
        }
        MessageLite frame = replyFrames.get(r);
        int body = frame.getSerializedSize();
        int size = CodedOutputStream.computeUInt32SizeNoTag(body) + body;
        if (out != null) {
            ByteBuf encoded = FrameEncoder.encode(alloc, frame);
            try {
                out.writeBytes(encoded);
            } finally {
                encoded.release();
            }
        }
        return size;
    }

    /**
     * Event {@code i} as the requester's copy: the same frame with its request id. request_id is
     * field 1, which protobuf writes first, so this is the field's tag and value, then the event's
     * bytes unchanged: what serializing the frame with the id would give.
     */
    private int echo(ByteBuf all, int i, long requestId, ByteBuf out) {
        int head = 1 + CodedOutputStream.computeUInt64SizeNoTag(requestId);
        int body = head + bodyLength[i];
        if (out != null) {
            EventHistory.writeVarint32(out, body);
            out.writeByte(RoomFrames.REQUEST_ID_TAG);
            writeVarint64(out, requestId);
            out.writeBytes(all, bodyStart[i], bodyLength[i]);
        }
        return CodedOutputStream.computeUInt32SizeNoTag(body) + body;
    }

    private static void writeVarint64(ByteBuf out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    /** Brings the local members up to date with the outcome, and tells the sessions admitted or removed. */
    private void updateLocals(String room, Entry entry, Participant a, Participant b) {
        List<RoomEvent> events = outcome.events();
        for (int i = 0; i < events.size(); i++) {
            RoomEvent e = events.get(i);
            if (e instanceof RoomEvent.MemberAway w) {
                setPresent(entry, w.sessionId(), false);
            } else if (e instanceof RoomEvent.MemberBack k) {
                setPresent(entry, k.sessionId(), true);
            }
        }
        for (int r = 0; r < outcome.removed().size(); r++) {
            RoomMember m = outcome.removed().get(r);
            for (int i = 0; i < entry.locals.size(); i++) {
                Local l = entry.locals.get(i);
                if (l.p.sessionId() == m.sessionId()) {
                    entry.locals.remove(i);
                    l.p.left(room);
                    break;
                }
            }
        }
        for (int j = 0; j < outcome.admitted().size(); j++) {
            RoomMember m = outcome.admitted().get(j);
            Participant p = a != null && a.sessionId() == m.sessionId() ? a
                    : b != null && b.sessionId() == m.sessionId() ? b : null;
            if (p == null) {
                throw new IllegalStateException("admitted " + m + " without its participant");
            }
            entry.locals.add(new Local(p, true));
            p.joined(room);
        }
    }

    private static void setPresent(Entry entry, long sessionId, boolean present) {
        Local l = entry.local(sessionId);
        if (l != null) {
            l.present = present;
        }
    }

    // ------------------------------------------------------------------ views

    /** A copy of the room's state, or null. */
    public RoomState inspect(String name) {
        Entry entry = rooms.get(name);
        return entry == null ? null : entry.state.copy();
    }

    /** Up to {@code limit} public rooms named after {@code after} (all if it is empty), sorted. */
    public RoomPage page(String after, int limit) {
        List<RoomListing> page = new ArrayList<>(Math.min(limit, publicNames.size()));
        for (String name : after.isEmpty() ? publicNames : publicNames.tailSet(after, false)) {
            if (page.size() == limit) {
                return new RoomPage(page, page.get(limit - 1).name());
            }
            page.add(rooms.get(name).state.listing());
        }
        return new RoomPage(page, "");
    }

    /** Sends one frame to one participant, with this shard's output: for the matchmaker, which lives here. */
    public void send(Participant to, MessageLite frame) {
        output.write(to, FrameEncoder.encode(alloc, frame));
    }

    /** Closes every room, telling members why, and flushes. */
    public void closeAll(String reason) {
        for (String name : new ArrayList<>(rooms.keySet())) {
            apply(new RoomCommand.Close(name, reason), null);
        }
        output.flush(); // before anyone is told that the rooms are closed
    }

    public int roomCount() {
        return rooms.size();
    }
}
