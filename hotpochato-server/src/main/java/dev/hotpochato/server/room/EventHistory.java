package dev.hotpochato.server.room;

import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;

import java.util.function.Consumer;

/**
 * A room's latest numbered events, serialized, oldest first, at most {@code capacity} of them.
 *
 * <p>All the events share one byte array used as a ring, plus two int rings for where each starts
 * and how long it is. The point is the garbage collector: a room keeps each event for hundreds of
 * turns, long enough to survive young collections, and as one array per event (or worse, as
 * protobuf objects) every event kept was copied by the young collections that followed it, so
 * young pauses grew with rooms x history (docs/benchmarks.md). The rings are allocated once
 * and grow rarely; an event stored into them is a copy into an array that is already old. They
 * never shrink while the room lives, and never grow past {@code capacity} times the longest event
 * kept so far: at worst what {@code capacity} events of the largest frame size take, the same bound
 * as one array per event.
 *
 * <p>Confined to its room's thread, like the room.
 */
final class EventHistory {

    private static final int MIN_BYTES = 256;

    private final int capacity;
    private byte[] bytes = new byte[0];
    /** Where event {@code first + i} starts in {@link #bytes} and how long it is, both in rings. */
    private int[] starts = new int[0];
    private int[] lengths = new int[0];
    private int first;
    private int count;
    /** Bytes in use, and where the next event's bytes go. */
    private int used;
    private int tail;
    /** The longest event kept so far: the byte ring never grows past {@code capacity} of these (or 256 B). */
    private int largest;

    EventHistory(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity must be >= 0: " + capacity);
        }
        this.capacity = capacity;
    }

    int size() {
        return count;
    }

    /** Keeps {@code event}, dropping the oldest if {@code capacity} are kept already. */
    void add(byte[] event) {
        int at = reserve(event.length);
        if (at >= 0) {
            int untilEnd = Math.min(event.length, bytes.length - at);
            System.arraycopy(event, 0, bytes, at, untilEnd);
            System.arraycopy(event, untilEnd, bytes, 0, event.length - untilEnd);
        }
    }

    /** Keeps the event held in {@code length} bytes of {@code src} from {@code index}; {@code src} is not changed. */
    void add(ByteBuf src, int index, int length) {
        int at = reserve(length);
        if (at >= 0) {
            int untilEnd = Math.min(length, bytes.length - at);
            src.getBytes(index, bytes, at, untilEnd);
            src.getBytes(index + untilEnd, bytes, 0, length - untilEnd);
        }
    }

    /** Makes room for one more event of {@code length} bytes and returns where they go; -1 if nothing is kept. */
    private int reserve(int length) {
        if (capacity == 0) {
            return -1;
        }
        if (count == capacity) {
            dropOldest();
        }
        ensureRoom(length);
        int slot = ringIndex(count);
        int at = tail;
        starts[slot] = at;
        lengths[slot] = length;
        tail = bytes.length == 0 ? 0 : (tail + length) % bytes.length;
        used += length;
        count++;
        return at;
    }

    /** Hands each kept event after the oldest {@code skip}, oldest first, to {@code sink}. */
    void forEachAfter(int skip, Consumer<byte[]> sink) {
        for (int i = Math.max(skip, 0); i < count; i++) {
            sink.accept(copyOut(ringIndex(i)));
        }
    }

    /** The bytes {@link #writeFrames} writes for the same events. */
    int framesSize(int skip, int n) {
        int size = 0;
        for (int i = skip; i < skip + n; i++) {
            int length = lengths[ringIndex(i)];
            size += CodedOutputStream.computeUInt32SizeNoTag(length) + length;
        }
        return size;
    }

    /**
     * Writes the {@code n} kept events after the oldest {@code skip} to {@code out} as frames, each
     * behind its length prefix: what replaying them sends.
     */
    void writeFrames(int skip, int n, ByteBuf out) {
        if (skip < 0 || n < 0 || skip + n > count) {
            throw new IndexOutOfBoundsException("events " + skip + ".." + (skip + n) + " of " + count);
        }
        for (int i = skip; i < skip + n; i++) {
            int slot = ringIndex(i);
            int start = starts[slot];
            int length = lengths[slot];
            writeVarint32(out, length);
            int untilEnd = Math.min(length, bytes.length - start);
            out.writeBytes(bytes, start, untilEnd);
            out.writeBytes(bytes, 0, length - untilEnd);
        }
    }

    static void writeVarint32(ByteBuf out, int value) {
        while ((value & ~0x7F) != 0) {
            out.writeByte((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte(value);
    }

    void clear() {
        bytes = new byte[0];
        starts = new int[0];
        lengths = new int[0];
        first = count = used = tail = largest = 0;
    }

    private void dropOldest() {
        used -= lengths[first];
        first = (first + 1) % starts.length;
        count--;
    }

    /** Makes room for {@code length} more bytes and one more event, growing the rings if need be. */
    private void ensureRoom(int length) {
        if (starts.length == count) {
            int slots = Math.min(capacity, Math.max(8, count * 2));
            growRings(slots, bytes.length);
        }
        largest = Math.max(largest, length);
        if (bytes.length - used < length || bytes.length == 0) {
            // Doubling keeps growth rare; the cap keeps the doubling from overshooting what the
            // room can ever need. It is enough: count <= capacity, and no event is longer than largest.
            long cap = Math.max(MIN_BYTES, (long) capacity * largest);
            long doubled = Math.min(Math.max((long) MIN_BYTES, 2L * bytes.length), cap);
            long wanted = Math.max(doubled, (long) used + length);
            growRings(starts.length, (int) Math.min(wanted, Integer.MAX_VALUE - 8));
        }
    }

    /** Moves the kept events, oldest first, to the start of new rings of the given sizes. */
    private void growRings(int slots, int byteCapacity) {
        byte[] newBytes = new byte[byteCapacity];
        int[] newStarts = new int[slots];
        int[] newLengths = new int[slots];
        int at = 0;
        for (int i = 0; i < count; i++) {
            int slot = ringIndex(i);
            copyOut(slot, newBytes, at);
            newStarts[i] = at;
            newLengths[i] = lengths[slot];
            at += lengths[slot];
        }
        bytes = newBytes;
        starts = newStarts;
        lengths = newLengths;
        first = 0;
        tail = byteCapacity == 0 ? 0 : at % byteCapacity;
    }

    private int ringIndex(int i) {
        return (first + i) % starts.length;
    }

    private byte[] copyOut(int slot) {
        byte[] event = new byte[lengths[slot]];
        copyOut(slot, event, 0);
        return event;
    }

    private void copyOut(int slot, byte[] to, int at) {
        int start = starts[slot];
        int length = lengths[slot];
        int untilEnd = Math.min(length, bytes.length - start);
        System.arraycopy(bytes, start, to, at, untilEnd);
        System.arraycopy(bytes, 0, to, at + untilEnd, length - untilEnd);
    }

    @Override
    public String toString() {
        return "EventHistory(" + count + "/" + capacity + " events, " + used + "/" + bytes.length + " bytes)";
    }
}
