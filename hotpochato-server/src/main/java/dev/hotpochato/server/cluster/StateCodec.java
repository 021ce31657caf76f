package dev.hotpochato.server.cluster;

import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.RoomEvent;
import dev.hotpochato.server.room.rules.RoomMember;
import dev.hotpochato.server.room.rules.RoomSettings;
import dev.hotpochato.server.room.rules.RoomState;

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
 */
final class StateCodec {

    static final int FORMAT = 1;

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
        return read(bytes, StateCodec::readEvent);
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

    static Commit commit(byte[] bytes) {
        return read(bytes, in -> {
            long origin = in.readLong();
            RoomState s = in.readBoolean() ? readState(in) : null;
            int n = in.readInt();
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
    }

    private static RoomState readState(DataInputStream in) throws IOException {
        String name = readString(in);
        RoomSettings settings = new RoomSettings(in.readLong(), in.readInt(), readString(in), in.readBoolean(),
                in.readInt(), in.readInt());
        boolean privateRoom = in.readBoolean();
        long creator = in.readLong();
        int n = in.readInt();
        List<RoomMember> members = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            members.add(new RoomMember(in.readLong(), readString(in), in.readBoolean(), in.readLong()));
        }
        int k = in.readInt();
        List<String> invited = new ArrayList<>(k);
        for (int i = 0; i < k; i++) {
            invited.add(readString(in));
        }
        return RoomState.restore(name, settings, privateRoom, creator, members, invited, in.readInt(), in.readLong(),
                in.readLong(), in.readLong(), in.readBoolean(), in.readLong());
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
            case 2 -> new RoomEvent.MemberLeft(seq, in.readLong(), readString(in), LeaveReason.values()[in.readByte()]);
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
            default -> throw new IOException("unknown event type " + type);
        };
    }

    // ------------------------------------------------------------------ plumbing

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
        T read(DataInputStream in) throws IOException;
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
            if (format != FORMAT) {
                throw new IOException("unknown format " + format);
            }
            return r.read(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read what another node wrote: " + e.getMessage(), e);
        }
    }
}
