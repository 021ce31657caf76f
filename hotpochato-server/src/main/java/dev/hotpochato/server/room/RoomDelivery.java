package dev.hotpochato.server.room;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.server.room.LocalRoom.Local;
import dev.hotpochato.server.room.rules.RoomEvent;
import dev.hotpochato.server.room.rules.RoomMember;
import dev.hotpochato.server.room.rules.RoomOutcome;
import dev.hotpochato.server.room.rules.RoomReply;
import dev.hotpochato.server.room.wire.RoomFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Delivers an outcome of the rules to a room's members on this server, encoded once: the events
 * go into one buffer, which every member present throughout gets as a duplicate, the next holder
 * first; the few sessions that get something else ("special": the requester, whose copy echoes
 * its request id; a joiner; a member going or coming back; anyone with a reply) get one buffer
 * each, with their replies where they belong among the events. Then the room's history keeps the
 * events, and its local members are brought up to date (joined and left callbacks included).
 *
 * <p>Presence follows the events, so the rule is the same whoever delivers: a member admitted
 * after seq {@code J} gets events after {@code J}; a {@code MemberLeft} or {@code MemberAway} is
 * not sent to the member it is about, and nothing after it; a {@code MemberBack} is sent to the
 * member it is about, and everything after it.
 *
 * <p>One per shard, confined to its thread; it keeps its scratch arrays between outcomes. Public for
 * a shared store (the cluster package), which delivers what it commits, and what other nodes
 * committed, through the same path.
 */
public final class RoomDelivery {

    private final RoomOutput output;
    private final ByteBufAllocator alloc;
    /** The outcome being delivered. */
    private RoomOutcome outcome;
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

    public RoomDelivery(RoomOutput output, ByteBufAllocator alloc) {
        this.output = output;
        this.alloc = alloc;
    }

    /**
     * Delivers {@code outcome}, just applied to {@code entry}'s state (null if there is no such
     * room: then only replies go out), to the room's local members and to {@code a} and {@code b},
     * the participants of the command (its requester, or a pair; either may be null) that are not
     * members here yet.
     */
    public void deliver(String room, LocalRoom entry, RoomOutcome outcome, Participant a, Participant b) {
        this.outcome = outcome;
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
            this.outcome = null;
        }
    }

    /**
     * Makes {@code entry}'s history {@code events} (consecutive, oldest first, ending at the seq of
     * its state as delivered so far), encoded as {@link #deliver} encodes them: for a shared store
     * that starts to keep a room here, so that a member resuming here is replayed what it missed
     * exactly as from a history kept all along.
     */
    public void remember(String room, LocalRoom entry, List<RoomEvent> events) {
        entry.history.clear();
        if (events.isEmpty()) {
            return;
        }
        ByteBuf all = encode(room, events);
        try {
            for (int i = 0; i < events.size(); i++) {
                entry.history.add(all, bodyStart[i], bodyLength[i]);
            }
        } finally {
            all.release();
        }
    }

    private void deliverToNewcomer(LocalRoom entry, Participant p, ByteBuf all) {
        if (p != null && (entry == null || entry.local(p.sessionId()) == null) && isSpecial(p.sessionId())) {
            deliverTo(entry, p, false, all);
        }
    }

    private void deliverTo(LocalRoom entry, Participant p, boolean present, ByteBuf all) {
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
            } else if (e instanceof RoomEvent.MemberRemoved x) {
                addSpecial(x.sessionId());
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
            special = Arrays.copyOf(special, specials * 2);
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
    private ByteBuf ownFrames(LocalRoom entry, long sessionId, boolean presentAtStart, ByteBuf all) {
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
    private int walk(LocalRoom entry, long sessionId, boolean present, ByteBuf all, ByteBuf out) {
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
                    || e instanceof RoomEvent.MemberRemoved x && x.sessionId() == sessionId
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
    private int reply(LocalRoom entry, long sessionId, int r, ByteBuf out) {
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
    private void updateLocals(String room, LocalRoom entry, Participant a, Participant b) {
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

    private static void setPresent(LocalRoom entry, long sessionId, boolean present) {
        Local l = entry.local(sessionId);
        if (l != null) {
            l.present = present;
        }
    }
}
