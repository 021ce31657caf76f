package dev.hotpochato.server.room.wire;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.WireFormat;
import dev.hotpochato.protocol.v1.ChairChanged;
import dev.hotpochato.protocol.v1.EndRule;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.FloorIdle;
import dev.hotpochato.protocol.v1.FloorState;
import dev.hotpochato.protocol.v1.FloorUpdate;
import dev.hotpochato.protocol.v1.MemberMuted;
import dev.hotpochato.protocol.v1.TurnWarning;
import dev.hotpochato.protocol.v1.HistoryLost;
import dev.hotpochato.protocol.v1.Invited;
import dev.hotpochato.protocol.v1.Joined;
import dev.hotpochato.protocol.v1.Left;
import dev.hotpochato.protocol.v1.Member;
import dev.hotpochato.protocol.v1.MemberAway;
import dev.hotpochato.protocol.v1.MemberBack;
import dev.hotpochato.protocol.v1.MemberJoined;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.Paired;
import dev.hotpochato.protocol.v1.Passed;
import dev.hotpochato.protocol.v1.RoomClosed;
import dev.hotpochato.protocol.v1.RoomSnapshot;
import dev.hotpochato.protocol.v1.RoomSummary;
import dev.hotpochato.protocol.v1.Said;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.TurnExpired;
import dev.hotpochato.protocol.v1.TurnGranted;
import dev.hotpochato.protocol.v1.TurnSkipped;
import dev.hotpochato.protocol.v1.TurnTimeLeft;
import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.Refusal;
import dev.hotpochato.server.room.rules.RoomEvent;
import dev.hotpochato.server.room.rules.RoomListing;
import dev.hotpochato.server.room.rules.RoomMember;
import dev.hotpochato.server.room.rules.RoomReply;
import dev.hotpochato.server.room.rules.RoomView;
import dev.hotpochato.server.room.rules.Utf8;


/**
 * The room rules' events and replies as protocol frames: the one place that maps them to the wire.
 *
 * <p>Numbered events are on the turn path, so they are written straight into an array, sized
 * first: no builder, no message object and no temporary array per event. (protobuf's own
 * {@code CodedOutputStream} would do, but it encodes each string by way of {@code String.getBytes},
 * an array per string.) The bytes are exactly what serializing the {@link #toFrame} message gives:
 * protobuf writes fields in number order and leaves out default values, and so does this;
 * {@code RoomFramesTest} checks that over many generated events. Replies are rare and use builders.
 *
 * <p>All events of one room share a layout: {@code room} is field 1, {@code seq} field 2, and the
 * member's name (the reason, for {@code RoomClosed}) field 3; what follows depends on the event.
 */
public final class RoomFrames {

    /** The tag of {@code ServerFrame.request_id} (field 1, a varint): one byte, written first. */
    public static final int REQUEST_ID_TAG = ServerFrame.REQUEST_ID_FIELD_NUMBER << 3 | WireFormat.WIRETYPE_VARINT;

    private static final int ROOM = 1;
    private static final int SEQ = 2;
    private static final int NAME = 3;

    private RoomFrames() {
    }

    // ------------------------------------------------------------------ numbered events, directly

    /**
     * The size of the event's own message (the {@code Said} inside the frame, say), which
     * {@link #writeFrameBody} needs again: compute it once per event.
     */
    public static int messageSize(String room, RoomEvent e) {
        if (isFloorEvent(e)) {
            return floorMessage(room, e).getSerializedSize();
        }
        int size = stringSize(ROOM, room) + uint64Size(SEQ, e.seq());
        if (e instanceof RoomEvent.Said s) {
            return size + stringSize(NAME, s.speaker()) + stringSize(4, s.text()) + uint64Size(5, s.timeMillis())
                    + uint64Size(6, s.turn());
        } else if (e instanceof RoomEvent.TurnGranted g) {
            return size + stringSize(NAME, g.holder()) + uint64Size(4, g.turn()) + uint64Size(5, g.deadlineMillis())
                    + uint64Size(6, g.durationMillis());
        } else if (e instanceof RoomEvent.Passed p) {
            return size + stringSize(NAME, p.name()) + uint64Size(4, p.turn());
        } else if (e instanceof RoomEvent.TurnExpired x) {
            return size + stringSize(NAME, x.name()) + uint64Size(4, x.turn());
        } else if (e instanceof RoomEvent.TurnSkipped k) {
            return size + stringSize(NAME, k.name()) + uint64Size(4, k.turn());
        } else if (e instanceof RoomEvent.MemberJoined j) {
            return size + stringSize(NAME, j.name());
        } else if (e instanceof RoomEvent.MemberLeft l) {
            return size + stringSize(NAME, l.name()) + uint64Size(4, reason(l.reason()).getNumber());
        } else if (e instanceof RoomEvent.MemberAway a) {
            return size + stringSize(NAME, a.name());
        } else if (e instanceof RoomEvent.MemberBack b) {
            return size + stringSize(NAME, b.name());
        } else if (e instanceof RoomEvent.RoomClosed c) {
            return size + stringSize(NAME, c.reason());
        }
        throw new IllegalArgumentException("unknown event " + e);
    }

    /** The size of the serialized {@code ServerFrame} (request id 0) holding an event whose message is {@code messageSize}. */
    public static int frameBodySize(RoomEvent e, int messageSize) {
        return CodedOutputStream.computeTagSize(bodyField(e)) + CodedOutputStream.computeUInt32SizeNoTag(messageSize)
                + messageSize;
    }

    /**
     * Writes the serialized {@code ServerFrame} of an event, {@link #frameBodySize} bytes, into
     * {@code out} from {@code at}; returns where it ended.
     */
    public static int writeFrameBody(byte[] out, int at, String room, RoomEvent e, int messageSize) {
        at = writeVarint32(out, at, bodyField(e) << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED);
        at = writeVarint32(out, at, messageSize);
        if (isFloorEvent(e)) {
            byte[] message = floorMessage(room, e).toByteArray();
            System.arraycopy(message, 0, out, at, message.length);
            return at + message.length;
        }
        at = writeString(out, at, ROOM, room);
        at = writeUInt64(out, at, SEQ, e.seq());
        if (e instanceof RoomEvent.Said s) {
            at = writeString(out, at, NAME, s.speaker());
            at = writeString(out, at, 4, s.text());
            at = writeUInt64(out, at, 5, s.timeMillis());
            return writeUInt64(out, at, 6, s.turn());
        } else if (e instanceof RoomEvent.TurnGranted g) {
            at = writeString(out, at, NAME, g.holder());
            at = writeUInt64(out, at, 4, g.turn());
            at = writeUInt64(out, at, 5, g.deadlineMillis());
            return writeUInt64(out, at, 6, g.durationMillis());
        } else if (e instanceof RoomEvent.Passed p) {
            at = writeString(out, at, NAME, p.name());
            return writeUInt64(out, at, 4, p.turn());
        } else if (e instanceof RoomEvent.TurnExpired x) {
            at = writeString(out, at, NAME, x.name());
            return writeUInt64(out, at, 4, x.turn());
        } else if (e instanceof RoomEvent.TurnSkipped k) {
            at = writeString(out, at, NAME, k.name());
            return writeUInt64(out, at, 4, k.turn());
        } else if (e instanceof RoomEvent.MemberJoined j) {
            return writeString(out, at, NAME, j.name());
        } else if (e instanceof RoomEvent.MemberLeft l) {
            at = writeString(out, at, NAME, l.name());
            return writeUInt64(out, at, 4, reason(l.reason()).getNumber());
        } else if (e instanceof RoomEvent.MemberAway a) {
            return writeString(out, at, NAME, a.name());
        } else if (e instanceof RoomEvent.MemberBack b) {
            return writeString(out, at, NAME, b.name());
        } else if (e instanceof RoomEvent.RoomClosed c) {
            return writeString(out, at, NAME, c.reason());
        }
        throw new IllegalArgumentException("unknown event " + e);
    }

    /** The serialized {@code ServerFrame} (request id 0) of an event, as a new array: for stores that keep events elsewhere. */
    public static byte[] serialize(String room, RoomEvent e) {
        int messageSize = messageSize(room, e);
        byte[] bytes = new byte[frameBodySize(e, messageSize)];
        int end = writeFrameBody(bytes, 0, room, e, messageSize);
        if (end != bytes.length) {
            throw new IllegalStateException("wrote " + end + " bytes of " + bytes.length + " for " + e);
        }
        return bytes;
    }

    /**
     * Floor-control events are rare (a few per turn at most, none in a round-robin room), so they
     * are encoded with protobuf's builders rather than by hand: the same bytes, one array more.
     */
    private static boolean isFloorEvent(RoomEvent e) {
        return e instanceof RoomEvent.FloorUpdate || e instanceof RoomEvent.FloorIdle
                || e instanceof RoomEvent.ChairChanged || e instanceof RoomEvent.MemberMuted
                || e instanceof RoomEvent.MemberRemoved || e instanceof RoomEvent.RoomEnded
                || e instanceof RoomEvent.MemberMoved;
    }

    private static MessageLite floorMessage(String room, RoomEvent e) {
        ServerFrame f = toFrame(room, e);
        return switch (f.getBodyCase()) {
            case FLOOR_UPDATE -> f.getFloorUpdate();
            case FLOOR_IDLE -> f.getFloorIdle();
            case CHAIR_CHANGED -> f.getChairChanged();
            case MEMBER_MUTED -> f.getMemberMuted();
            case MEMBER_MOVED -> f.getMemberMoved();
            case MEMBER_LEFT -> f.getMemberLeft();
            case ROOM_CLOSED -> f.getRoomClosed();
            default -> throw new IllegalArgumentException("not a floor event: " + e);
        };
    }

    private static int bodyField(RoomEvent e) {
        if (e instanceof RoomEvent.FloorUpdate) {
            return ServerFrame.FLOOR_UPDATE_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.FloorIdle) {
            return ServerFrame.FLOOR_IDLE_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.ChairChanged) {
            return ServerFrame.CHAIR_CHANGED_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.MemberMuted) {
            return ServerFrame.MEMBER_MUTED_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.MemberRemoved) {
            return ServerFrame.MEMBER_LEFT_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.MemberMoved) {
            return ServerFrame.MEMBER_MOVED_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.RoomEnded) {
            return ServerFrame.ROOM_CLOSED_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.Said) {
            return ServerFrame.SAID_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.TurnGranted) {
            return ServerFrame.TURN_GRANTED_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.Passed) {
            return ServerFrame.PASSED_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.TurnExpired) {
            return ServerFrame.TURN_EXPIRED_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.TurnSkipped) {
            return ServerFrame.TURN_SKIPPED_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.MemberJoined) {
            return ServerFrame.MEMBER_JOINED_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.MemberLeft) {
            return ServerFrame.MEMBER_LEFT_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.MemberAway) {
            return ServerFrame.MEMBER_AWAY_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.MemberBack) {
            return ServerFrame.MEMBER_BACK_FIELD_NUMBER;
        } else if (e instanceof RoomEvent.RoomClosed) {
            return ServerFrame.ROOM_CLOSED_FIELD_NUMBER;
        }
        throw new IllegalArgumentException("unknown event " + e);
    }

    // proto3 leaves out a field holding its default value (0, ""); so do these.

    private static int stringSize(int field, String s) {
        if (s.isEmpty()) {
            return 0;
        }
        int length = Utf8.encodedLength(s);
        return CodedOutputStream.computeTagSize(field) + CodedOutputStream.computeUInt32SizeNoTag(length) + length;
    }

    private static int uint64Size(int field, long v) {
        return v == 0 ? 0 : CodedOutputStream.computeUInt64Size(field, v);
    }

    private static int writeString(byte[] out, int at, int field, String s) {
        if (s.isEmpty()) {
            return at;
        }
        at = writeVarint32(out, at, field << 3 | WireFormat.WIRETYPE_LENGTH_DELIMITED);
        at = writeVarint32(out, at, Utf8.encodedLength(s));
        return writeUtf8(out, at, s);
    }

    private static int writeUInt64(byte[] out, int at, int field, long v) {
        if (v == 0) {
            return at;
        }
        at = writeVarint32(out, at, field << 3 | WireFormat.WIRETYPE_VARINT);
        return writeVarint64(out, at, v);
    }

    /** Base 128, low groups first; as an unsigned number. */
    public static int writeVarint32(byte[] out, int at, int value) {
        while ((value & ~0x7F) != 0) {
            out[at++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    /** Base 128, low groups first; as an unsigned number. */
    public static int writeVarint64(byte[] out, int at, long value) {
        while ((value & ~0x7FL) != 0) {
            out[at++] = (byte) (value & 0x7F | 0x80);
            value >>>= 7;
        }
        out[at++] = (byte) value;
        return at;
    }

    /**
     * UTF-8, as {@code String.getBytes(UTF_8)} gives it (and so protobuf): an unpaired surrogate
     * becomes '?'. Exactly {@link Utf8#encodedLength} bytes.
     */
    private static int writeUtf8(byte[] out, int at, String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out[at++] = (byte) c;
            } else if (c < 0x800) {
                out[at++] = (byte) (0xC0 | c >>> 6);
                out[at++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[at++] = (byte) (0xF0 | cp >>> 18);
                out[at++] = (byte) (0x80 | cp >>> 12 & 0x3F);
                out[at++] = (byte) (0x80 | cp >>> 6 & 0x3F);
                out[at++] = (byte) (0x80 | cp & 0x3F);
            } else if (Character.isSurrogate(c)) {
                out[at++] = '?';
            } else {
                out[at++] = (byte) (0xE0 | c >>> 12);
                out[at++] = (byte) (0x80 | c >>> 6 & 0x3F);
                out[at++] = (byte) (0x80 | c & 0x3F);
            }
        }
        return at;
    }

    // ------------------------------------------------------------------ the same events, with builders

    /** The frame of an event built with protobuf's builders: the reference the direct encoding must equal. */
    public static ServerFrame toFrame(String room, RoomEvent e) {
        ServerFrame.Builder f = ServerFrame.newBuilder();
        if (e instanceof RoomEvent.Said s) {
            f.setSaid(Said.newBuilder().setRoom(room).setSeq(s.seq()).setSpeaker(s.speaker()).setText(s.text())
                    .setTimeMs(s.timeMillis()).setTurn(s.turn()));
        } else if (e instanceof RoomEvent.TurnGranted g) {
            f.setTurnGranted(TurnGranted.newBuilder().setRoom(room).setSeq(g.seq()).setHolder(g.holder())
                    .setTurn(g.turn()).setDeadlineMs(g.deadlineMillis()).setDurationMs((int) g.durationMillis()));
        } else if (e instanceof RoomEvent.Passed p) {
            f.setPassed(Passed.newBuilder().setRoom(room).setSeq(p.seq()).setName(p.name()).setTurn(p.turn()));
        } else if (e instanceof RoomEvent.TurnExpired x) {
            f.setTurnExpired(TurnExpired.newBuilder().setRoom(room).setSeq(x.seq()).setName(x.name()).setTurn(x.turn()));
        } else if (e instanceof RoomEvent.TurnSkipped k) {
            f.setTurnSkipped(TurnSkipped.newBuilder().setRoom(room).setSeq(k.seq()).setName(k.name()).setTurn(k.turn()));
        } else if (e instanceof RoomEvent.MemberJoined j) {
            f.setMemberJoined(MemberJoined.newBuilder().setRoom(room).setSeq(j.seq()).setName(j.name()));
        } else if (e instanceof RoomEvent.MemberLeft l) {
            f.setMemberLeft(MemberLeft.newBuilder().setRoom(room).setSeq(l.seq()).setName(l.name())
                    .setReason(reason(l.reason())));
        } else if (e instanceof RoomEvent.MemberAway a) {
            f.setMemberAway(MemberAway.newBuilder().setRoom(room).setSeq(a.seq()).setName(a.name()));
        } else if (e instanceof RoomEvent.MemberBack b) {
            f.setMemberBack(MemberBack.newBuilder().setRoom(room).setSeq(b.seq()).setName(b.name()));
        } else if (e instanceof RoomEvent.RoomClosed c) {
            f.setRoomClosed(RoomClosed.newBuilder().setRoom(room).setSeq(c.seq()).setReason(c.reason()));
        } else if (e instanceof RoomEvent.FloorUpdate u) {
            f.setFloorUpdate(FloorUpdate.newBuilder().setRoom(room).setSeq(u.seq()).setName(u.name())
                    .setState(FloorState.valueOf(u.state().name())).addAllQueue(u.queue()).setBy(u.by())
                    .setReason(u.reason()).setTalkTimeMs((int) Math.min(u.talkTimeMillis(), Integer.MAX_VALUE)));
        } else if (e instanceof RoomEvent.FloorIdle i) {
            f.setFloorIdle(FloorIdle.newBuilder().setRoom(room).setSeq(i.seq()));
        } else if (e instanceof RoomEvent.ChairChanged c) {
            f.setChairChanged(ChairChanged.newBuilder().setRoom(room).setSeq(c.seq()).setName(c.name()).setBy(c.by())
                    .setSteppedDown(c.steppedDown()));
        } else if (e instanceof RoomEvent.MemberMuted m) {
            f.setMemberMuted(MemberMuted.newBuilder().setRoom(room).setSeq(m.seq()).setName(m.name())
                    .setMuted(m.muted()).setBy(m.by()));
        } else if (e instanceof RoomEvent.MemberMoved m) {
            f.setMemberMoved(dev.hotpochato.protocol.v1.MemberMoved.newBuilder().setRoom(room).setSeq(m.seq())
                    .setName(m.name()).setAudience(m.audience()).setBy(m.by()));
        } else if (e instanceof RoomEvent.MemberRemoved r) {
            f.setMemberLeft(MemberLeft.newBuilder().setRoom(room).setSeq(r.seq()).setName(r.name())
                    .setReason(MemberLeft.Reason.REMOVED).setBy(r.by()).setMessage(r.message()));
        } else if (e instanceof RoomEvent.RoomEnded x) {
            f.setRoomClosed(RoomClosed.newBuilder().setRoom(room).setSeq(x.seq()).setReason(x.reason())
                    .setEndedBy(EndRule.valueOf(x.rule().name())));
        } else {
            throw new IllegalArgumentException("unknown event " + e);
        }
        return f.build();
    }

    public static MemberLeft.Reason reason(LeaveReason reason) {
        return switch (reason) {
            case LEFT -> MemberLeft.Reason.LEFT;
            case DISCONNECTED -> MemberLeft.Reason.DISCONNECTED;
            case TIMED_OUT -> MemberLeft.Reason.TIMED_OUT;
            case KICKED -> MemberLeft.Reason.KICKED;
        };
    }

    public static LeaveReason reason(MemberLeft.Reason reason) {
        return switch (reason) {
            case LEFT -> LeaveReason.LEFT;
            case DISCONNECTED -> LeaveReason.DISCONNECTED;
            case TIMED_OUT -> LeaveReason.TIMED_OUT;
            case KICKED -> LeaveReason.KICKED;
            case REASON_UNSPECIFIED, REMOVED, UNRECOGNIZED -> throw new IllegalArgumentException("no reason: " + reason);
        };
    }

    // ------------------------------------------------------------------ replies

    /**
     * The frame of a reply to one session. {@link RoomReply.Replay} is not a frame of its own (its
     * events come from the store's history) and is refused here.
     */
    public static ServerFrame reply(String room, RoomReply r) {
        ServerFrame.Builder f = ServerFrame.newBuilder().setRequestId(r.requestId());
        if (r instanceof RoomReply.Joined j) {
            f.setJoined(Joined.newBuilder().setRoom(snapshot(j.room())));
        } else if (r instanceof RoomReply.Refused x) {
            f.setError(Error.newBuilder().setCode(code(x.refusal())).setMessage(x.message()).setRoom(room));
        } else if (r instanceof RoomReply.Left) {
            f.setLeft(Left.newBuilder().setRoom(room));
        } else if (r instanceof RoomReply.Invited i) {
            f.setInvited(Invited.newBuilder().setRoom(room).setDisplayName(i.invitee()));
        } else if (r instanceof RoomReply.Paired p) {
            f.setPaired(Paired.newBuilder().setRoom(room).setPartner(p.partner()).setFirst(p.first()));
        } else if (r instanceof RoomReply.HistoryLost h) {
            f.setHistoryLost(HistoryLost.newBuilder().setRoom(room).setOldestSeq(h.oldestSeq())
                    .setLastSeenSeq(h.lastSeenSeq()));
        } else if (r instanceof RoomReply.Removed x) {
            f.setLeft(Left.newBuilder().setRoom(room).setReason(MemberLeft.Reason.REMOVED).setBy(x.by())
                    .setMessage(x.message()));
        } else if (r instanceof RoomReply.TurnWarning w) {
            f.setTurnWarning(TurnWarning.newBuilder().setRoom(room).setTurn(w.turn())
                    .setRemainingMs((int) Math.min(w.remainingMillis(), Integer.MAX_VALUE)));
        } else if (r instanceof RoomReply.MoveUnchanged m) {
            f.setMemberMoved(dev.hotpochato.protocol.v1.MemberMoved.newBuilder().setRoom(room).setName(m.member())
                    .setAudience(m.audience()).setBy(m.by()));
        } else if (r instanceof RoomReply.StepDownUnchanged s) {
            f.setChairChanged(ChairChanged.newBuilder().setRoom(room).setName(s.member()).setBy(s.member()));
        } else if (r instanceof RoomReply.MuteUnchanged m) {
            f.setMemberMuted(MemberMuted.newBuilder().setRoom(room).setName(m.member()).setMuted(m.muted())
                    .setBy(m.by()));
        } else if (r instanceof RoomReply.TurnTimeLeft t) {
            f.setTurnTimeLeft(TurnTimeLeft.newBuilder().setRoom(room).setTurn(t.turn()).setHolder(t.holder())
                    .setRemainingMs((int) Math.min(t.remainingMillis(), Integer.MAX_VALUE))
                    .setDeadlineMs(t.deadlineMillis()));
        } else {
            throw new IllegalArgumentException("not a frame of its own: " + r);
        }
        return f.build();
    }

    /** The protocol's error code for a refusal: the code of the same name. */
    public static Error.Code code(Refusal refusal) {
        return Error.Code.valueOf(refusal.name());
    }

    public static RoomSnapshot snapshot(RoomView v) {
        RoomSnapshot.Builder b = RoomSnapshot.newBuilder()
                .setName(v.name())
                .setTurn(v.turn())
                .setLastSeq(v.lastSeq())
                .setOptions(WireOptions.toOptions(v.settings()))
                .setWaiting(v.waiting())
                .setPrivate(v.privateRoom())
                .setHolder(v.holder())
                .setDeadlineMs(v.deadlineMillis())
                .addAllChairs(v.chairs())
                .addAllQueue(v.queue())
                .addAllMuted(v.muted())
                .addAllAudience(v.audience())
                .setTurnsEnded(v.turnsEnded());
        for (RoomMember m : v.members()) {
            b.addMembers(Member.newBuilder().setName(m.name()).setAway(m.away()));
        }
        return b.build();
    }

    public static RoomSummary summary(RoomListing l) {
        return RoomSummary.newBuilder()
                .setName(l.name())
                .setMembers(l.members())
                .setHolder(l.holder())
                .setPassword(l.password())
                .setInviteOnly(l.inviteOnly())
                .setPolicy(dev.hotpochato.protocol.v1.TurnPolicy.valueOf(l.policy().name()))
                .build();
    }
}
