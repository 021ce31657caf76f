package dev.hotpochato.server.cluster;

import dev.hotpochato.server.room.rules.EndRule;
import dev.hotpochato.server.room.rules.Floor;
import dev.hotpochato.server.room.rules.FloorRules;
import dev.hotpochato.server.room.rules.FloorState;
import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.RoomEvent;
import dev.hotpochato.server.room.rules.RoomMember;
import dev.hotpochato.server.room.rules.RoomSettings;
import dev.hotpochato.server.room.rules.RoomState;
import dev.hotpochato.server.room.rules.TurnPolicy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * How a room's state and events are kept in Redis and published to the other nodes: a compact
 * binary form (big-endian fields, strings as length + UTF-8), each blob starting with a format
 * byte so that a later format can be told apart. Only nodes read it; clients never see it.
 *
 * <p>Format 2 keeps the whole floor ({@link FloorRules} in the settings, {@link Floor} in the state:
 * chairs, queue, muted, audience, counters, the end rules' marks and the warning time); format 1,
 * written before there was a floor, is still read, as a round-robin room whose creator is its chair.
 * Event blobs have the same layout in both: kinds added later only add type bytes.
 */
final class StateCodec {

    /** The format written; {@link #FORMAT_WITHOUT_FLOOR} is still read. */
    static final int FORMAT = 2;
    static final int FORMAT_WITHOUT_FLOOR = 1;

    private StateCodec() {
    }

    /** A commit as published: the room's state after it (empty if the room is gone) and its events. */
    record Commit(long origin, RoomState state, List<RoomEvent> events) {
        long firstSeq() {
            return events.get(0).seq();
        }

        long lastSeq() {
            return events.get(events.size() - 1).seq();
        }
    }

    static byte[] state(RoomState s) {
        return write(out -> writeState(out, s));
    }

    static RoomState state(byte[] bytes) {
        return read(bytes, StateCodec::readState);
    }

    static byte[] event(RoomEvent e) {
        return write(out -> writeEvent(out, e));
    }

    static RoomEvent event(byte[] bytes) {
        return read(bytes, (in, format) -> readEvent(in));
    }

    /** The message published for a commit: the committing node's generation, the state after it (or none) and its events. */
    static byte[] commit(long origin, RoomState after, List<RoomEvent> events) {
        return write(out -> {
            out.writeLong(origin);
            out.writeBoolean(after != null);
            if (after != null) {
                writeState(out, after);
            }
            out.writeInt(events.size());
            for (RoomEvent e : events) {
                writeEvent(out, e);
            }
        });
    }

    /** The committing node's generation of a published commit, read without decoding the rest. */
    static long origin(byte[] commit) {
        long origin = 0;
        for (int i = 1; i <= Long.BYTES; i++) { // after the format byte, as DataOutputStream wrote it
            origin = (origin << 8) | (commit[i] & 0xFF);
        }
        return origin;
    }

    static Commit commit(byte[] bytes) {
        return read(bytes, (in, format) -> {
            long origin = in.readLong();
            RoomState s = in.readBoolean() ? readState(in, format) : null;
            int n = count(in);
            List<RoomEvent> events = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                events.add(readEvent(in));
            }
            return new Commit(origin, s, events);
        });
    }

    // ------------------------------------------------------------------ state

    private static void writeState(DataOutputStream out, RoomState s) throws IOException {
        writeString(out, s.name());
        RoomSettings t = s.settings();
        out.writeLong(t.turnTimeoutMillis());
        out.writeInt(t.maxMembers());
        writeString(out, t.password());
        out.writeBoolean(t.inviteOnly());
        out.writeInt(t.maxTextBytes());
        out.writeInt(t.historySize());
        writeFloorRules(out, t.floor());
        out.writeBoolean(s.isPrivate());
        out.writeLong(s.creatorSessionId());
        out.writeInt(s.members().size());
        for (RoomMember m : s.members()) {
            out.writeLong(m.sessionId());
            writeString(out, m.name());
            out.writeBoolean(m.away());
            out.writeLong(m.joinedSeq());
        }
        out.writeInt(s.invited().size());
        for (String name : s.invited()) {
            writeString(out, name);
        }
        out.writeInt(s.holderIndex());
        out.writeLong(s.turn());
        out.writeLong(s.deadlineMillis());
        out.writeLong(s.seq());
        out.writeBoolean(s.isClosed());
        out.writeLong(s.version());
        writeFloor(out, s.floor());
    }

    private static void writeFloorRules(DataOutputStream out, FloorRules r) throws IOException {
        out.writeByte(r.policy().ordinal());
        out.writeInt(r.messagesPerTurn());
        out.writeLong(r.warningMillis());
        out.writeLong(r.endAfterTurns());
        out.writeLong(r.endAfterMillis());
        writeString(out, r.stopPhrase());
        out.writeBoolean(r.endWhenAll());
        out.writeLong(r.revokeGraceMillis());
    }

    private static FloorRules readFloorRules(DataInputStream in) throws IOException {
        return new FloorRules(value(TurnPolicy.values(), in.readByte(), "turn policy"), in.readInt(), in.readLong(),
                in.readLong(), in.readLong(), readString(in), in.readBoolean(), in.readLong());
    }

    private static void writeFloor(DataOutputStream out, Floor f) throws IOException {
        writeIds(out, f.chairs());
        writeIds(out, f.queue());
        writeIds(out, f.muted());
        out.writeInt(f.saidThisTurn());
        out.writeLong(f.turnsEnded());
        out.writeLong(f.createdMillis());
        out.writeBoolean(f.stopPhraseSaid());
        out.writeBoolean(f.timeUp());
        out.writeLong(f.warnAtMillis());
        writeIds(out, f.audience());
        out.writeBoolean(f.finishing());
    }

    private static Floor readFloor(DataInputStream in) throws IOException {
        return new Floor(readIds(in), readIds(in), readIds(in), in.readInt(), in.readLong(), in.readLong(),
                in.readBoolean(), in.readBoolean(), in.readLong(), readIds(in), in.readBoolean());
    }

    private static void writeIds(DataOutputStream out, List<Long> ids) throws IOException {
        out.writeInt(ids.size());
        for (long id : ids) {
            out.writeLong(id);
        }
    }

    private static List<Long> readIds(DataInputStream in) throws IOException {
        int n = count(in);
        List<Long> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(in.readLong());
        }
        return ids;
    }

    private static RoomState readState(DataInputStream in, int format) throws IOException {
        String name = readString(in);
        RoomSettings settings = new RoomSettings(in.readLong(), in.readInt(), readString(in), in.readBoolean(),
                in.readInt(), in.readInt(), format == FORMAT_WITHOUT_FLOOR ? FloorRules.DEFAULT : readFloorRules(in));
        boolean privateRoom = in.readBoolean();
        long creator = in.readLong();
        int n = count(in);
        List<RoomMember> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            members.add(new RoomMember(in.readLong(), readString(in), in.readBoolean(), in.readLong()));
        }
        int k = count(in);
        List<String> invited = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            invited.add(readString(in));
        }
        int holderIndex = in.readInt();
        long turn = in.readLong();
        long deadline = in.readLong();
        long seq = in.readLong();
        boolean closed = in.readBoolean();
        long version = in.readLong();
        Floor floor = format == FORMAT_WITHOUT_FLOOR
                // As the rules made it then: the creator of a public room is its chair.
                ? new Floor(privateRoom || creator < 0 ? List.of() : List.of(creator), List.of(), List.of(), 0, 0, 0,
                        false, false, 0)
                : readFloor(in);
        return RoomState.restore(name, settings, privateRoom, creator, members, invited, holderIndex, turn, deadline,
                seq, closed, version, floor);
    }

    // ------------------------------------------------------------------ events

    private static void writeEvent(DataOutputStream out, RoomEvent e) throws IOException {
        out.writeLong(e.seq());
        if (e instanceof RoomEvent.MemberJoined j) {
            out.writeByte(1);
            out.writeLong(j.sessionId());
            writeString(out, j.name());
        } else if (e instanceof RoomEvent.MemberLeft l) {
            out.writeByte(2);
            out.writeLong(l.sessionId());
            writeString(out, l.name());
            out.writeByte(l.reason().ordinal());
        } else if (e instanceof RoomEvent.TurnGranted g) {
            out.writeByte(3);
            out.writeLong(g.sessionId());
            writeString(out, g.holder());
            out.writeLong(g.turn());
            out.writeLong(g.deadlineMillis());
            out.writeLong(g.durationMillis());
        } else if (e instanceof RoomEvent.Said s) {
            out.writeByte(4);
            out.writeLong(s.sessionId());
            writeString(out, s.speaker());
            writeString(out, s.text());
            out.writeLong(s.timeMillis());
            out.writeLong(s.turn());
        } else if (e instanceof RoomEvent.Passed p) {
            out.writeByte(5);
            turnEvent(out, p.sessionId(), p.name(), p.turn());
        } else if (e instanceof RoomEvent.TurnExpired x) {
            out.writeByte(6);
            turnEvent(out, x.sessionId(), x.name(), x.turn());
        } else if (e instanceof RoomEvent.TurnSkipped k) {
            out.writeByte(7);
            turnEvent(out, k.sessionId(), k.name(), k.turn());
        } else if (e instanceof RoomEvent.MemberAway w) {
            out.writeByte(8);
            out.writeLong(w.sessionId());
            writeString(out, w.name());
        } else if (e instanceof RoomEvent.MemberBack b) {
            out.writeByte(9);
            out.writeLong(b.sessionId());
            writeString(out, b.name());
        } else if (e instanceof RoomEvent.RoomClosed c) {
            out.writeByte(10);
            writeString(out, c.reason());
        } else if (e instanceof RoomEvent.FloorUpdate u) {
            out.writeByte(11);
            out.writeLong(u.sessionId());
            writeString(out, u.name());
            out.writeByte(u.state().ordinal());
            out.writeInt(u.queue().size());
            for (String queued : u.queue()) {
                writeString(out, queued);
            }
            writeString(out, u.by());
            writeString(out, u.reason());
            out.writeLong(u.talkTimeMillis());
        } else if (e instanceof RoomEvent.FloorIdle) {
            out.writeByte(12);
        } else if (e instanceof RoomEvent.ChairChanged c) {
            out.writeByte(13);
            out.writeLong(c.sessionId());
            writeString(out, c.name());
            writeString(out, c.by());
            out.writeBoolean(c.steppedDown());
        } else if (e instanceof RoomEvent.MemberMuted m) {
            out.writeByte(14);
            out.writeLong(m.sessionId());
            writeString(out, m.name());
            out.writeBoolean(m.muted());
            writeString(out, m.by());
        } else if (e instanceof RoomEvent.MemberRemoved r) {
            out.writeByte(15);
            out.writeLong(r.sessionId());
            writeString(out, r.name());
            writeString(out, r.by());
            writeString(out, r.message());
        } else if (e instanceof RoomEvent.MemberMoved m) {
            out.writeByte(16);
            out.writeLong(m.sessionId());
            writeString(out, m.name());
            out.writeBoolean(m.audience());
            writeString(out, m.by());
        } else if (e instanceof RoomEvent.RoomEnded x) {
            out.writeByte(17);
            out.writeByte(x.rule().ordinal());
            writeString(out, x.reason());
        } else {
            throw new IllegalArgumentException("unknown event " + e);
        }
    }

    private static void turnEvent(DataOutputStream out, long sessionId, String name, long turn) throws IOException {
        out.writeLong(sessionId);
        writeString(out, name);
        out.writeLong(turn);
    }

    private static RoomEvent readEvent(DataInputStream in) throws IOException {
        long seq = in.readLong();
        int type = in.readByte();
        return switch (type) {
            case 1 -> new RoomEvent.MemberJoined(seq, in.readLong(), readString(in));
            case 2 -> new RoomEvent.MemberLeft(seq, in.readLong(), readString(in),
                    value(LeaveReason.values(), in.readByte(), "leave reason"));
            case 3 -> new RoomEvent.TurnGranted(seq, in.readLong(), readString(in), in.readLong(), in.readLong(),
                    in.readLong());
            case 4 -> new RoomEvent.Said(seq, in.readLong(), readString(in), readString(in), in.readLong(),
                    in.readLong());
            case 5 -> new RoomEvent.Passed(seq, in.readLong(), readString(in), in.readLong());
            case 6 -> new RoomEvent.TurnExpired(seq, in.readLong(), readString(in), in.readLong());
            case 7 -> new RoomEvent.TurnSkipped(seq, in.readLong(), readString(in), in.readLong());
            case 8 -> new RoomEvent.MemberAway(seq, in.readLong(), readString(in));
            case 9 -> new RoomEvent.MemberBack(seq, in.readLong(), readString(in));
            case 10 -> new RoomEvent.RoomClosed(seq, readString(in));
            case 11 -> readFloorUpdate(seq, in);
            case 12 -> new RoomEvent.FloorIdle(seq);
            case 13 -> new RoomEvent.ChairChanged(seq, in.readLong(), readString(in), readString(in), in.readBoolean());
            case 14 -> new RoomEvent.MemberMuted(seq, in.readLong(), readString(in), in.readBoolean(), readString(in));
            case 15 -> new RoomEvent.MemberRemoved(seq, in.readLong(), readString(in), readString(in), readString(in));
            case 16 -> new RoomEvent.MemberMoved(seq, in.readLong(), readString(in), in.readBoolean(), readString(in));
            case 17 -> new RoomEvent.RoomEnded(seq, value(EndRule.values(), in.readByte(), "end rule"), readString(in));
            default -> throw new IOException("unknown event type " + type);
        };
    }

    private static RoomEvent.FloorUpdate readFloorUpdate(long seq, DataInputStream in) throws IOException {
        long sessionId = in.readLong();
        String name = readString(in);
        FloorState state = value(FloorState.values(), in.readByte(), "floor state");
        int n = count(in);
        List<String> queue = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            queue.add(readString(in));
        }
        return new RoomEvent.FloorUpdate(seq, sessionId, name, state, List.copyOf(queue), readString(in),
                readString(in), in.readLong());
    }

    // ------------------------------------------------------------------ plumbing

    /** An enum constant by its ordinal, refusing one this node does not know (written by a newer node). */
    private static <E> E value(E[] values, int ordinal, String what) throws IOException {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IOException("unknown " + what + " " + ordinal);
        }
        return values[ordinal];
    }

    /** A count of items that follow: never negative, and never more than the bytes left could hold. */
    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available()) {
            throw new IOException("bad count " + n);
        }
        return n;
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) {
            return null;
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in, int format) throws IOException;
    }

    private static byte[] write(Writer w) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            w.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // not from a byte array
        }
        return bytes.toByteArray();
    }

    private static <T> T read(byte[] bytes, Reader<T> r) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readByte();
            if (format != FORMAT && format != FORMAT_WITHOUT_FLOOR) {
                throw new IOException("unknown format " + format);
            }
            return r.read(in, format);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read what another node wrote: " + e.getMessage(), e);
        }
    }
}
