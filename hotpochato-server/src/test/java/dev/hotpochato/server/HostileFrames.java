package dev.hotpochato.server;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import dev.hotpochato.protocol.v1.CancelMatch;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Invite;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Joined;
import dev.hotpochato.protocol.v1.Leave;
import dev.hotpochato.protocol.v1.ListRooms;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.Pass;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.Pong;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.RoomSnapshot;
import dev.hotpochato.protocol.v1.Said;
import dev.hotpochato.protocol.v1.Say;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.TurnGranted;
import dev.hotpochato.protocol.v1.Welcome;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Attacks on the wire protocol, each made from its own seeded {@link Random}: the bytes a hostile
 * client sends and what the server must answer. Built from the protocol's own rules (a varint32
 * length prefix, protobuf bodies, Hello first) so that each attack aims at one of them.
 */
final class HostileFrames {

    /** What the attack breaks. */
    enum Kind {
        /** A length prefix of more than five bytes. */
        OVERLONG_PREFIX,
        /** A declared length above the limit, up to 2^35 - 1. */
        LENGTH_OVER_LIMIT,
        /** A body that ends inside a varint. */
        TRUNCATED_VARINT,
        /** A valid frame cut short, its prefix adjusted to the cut. */
        TRUNCATED_BODY,
        /** Part of a prefix or body, then the client hangs up. */
        ABANDONED,
        /** A ServerFrame, sent to the server as if it were a ClientFrame: its oneof means something else. */
        SERVER_FRAME,
        /** Invalid UTF-8 in one of the string fields. */
        INVALID_UTF8,
        /** A valid command before Hello. */
        BEFORE_HELLO,
        /** Hello or Resume after the handshake. */
        SECOND_HELLO,
        /** Resume with a token that is not one, or of another version. */
        BAD_RESUME,
        /** Hello of another version or with a name that breaks the rules. */
        BAD_HELLO,
        /** A frame of zero bytes, one with no body set, or one with only a field from the future. */
        EMPTY_FRAME,
        /** Random bytes. */
        RANDOM_BYTES,
        /** A valid conversation with bits flipped, bytes cut, duplicated, dropped or inserted. */
        MUTATED,
        /** Far more frames at once than the rate limit's burst. */
        FLOOD
    }

    /** What the hostile client does properly before it attacks. */
    enum Handshake { NONE, HELLO, HELLO_AND_JOIN }

    /**
     * One attack. {@code expected} holds the codes one of which must end the connection; null means
     * any typed outcome will do (random bytes may well parse as something valid). {@code abandon}:
     * the client hangs up after sending, so there is no answer to check.
     */
    record Attack(int index, Kind kind, Handshake handshake, byte[] bytes, Set<Error.Code> expected, boolean abandon) {
        @Override
        public String toString() {
            String hex = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 96));
            return "attack #" + index + " " + kind + " after " + handshake + ": " + bytes.length + " bytes "
                    + hex + (bytes.length > 96 ? "..." : "");
        }
    }

    private static final Kind[] KINDS = Kind.values();
    private static final Set<Error.Code> VIOLATION = Set.of(Error.Code.PROTOCOL_VIOLATION);

    private final int maxFrameBytes;
    private final List<String> rooms;

    /** @param rooms rooms the attackers may join, where well-behaved clients talk */
    HostileFrames(int maxFrameBytes, List<String> rooms) {
        this.maxFrameBytes = maxFrameBytes;
        this.rooms = rooms;
    }

    /** The attack numbered {@code index}, the same for the same seed. */
    Attack attack(long seed, int index) {
        Random r = new Random(seed * 1_000_003L + index);
        Kind kind = KINDS[r.nextInt(KINDS.length)];
        Handshake any = Handshake.values()[r.nextInt(3)];
        Handshake session = r.nextBoolean() ? Handshake.HELLO : Handshake.HELLO_AND_JOIN;
        String room = rooms.get(r.nextInt(rooms.size()));
        return switch (kind) {
            case OVERLONG_PREFIX -> new Attack(index, kind, any, concat(continuing(r, 5 + r.nextInt(4)),
                    randomBytes(r, r.nextInt(16))), VIOLATION, false);
            case LENGTH_OVER_LIMIT -> new Attack(index, kind, any, concat(varint(tooLong(r)),
                    randomBytes(r, r.nextInt(64))), Set.of(Error.Code.FRAME_TOO_LARGE), false);
            case TRUNCATED_VARINT -> new Attack(index, kind, any, truncatedVarint(r), VIOLATION, false);
            case TRUNCATED_BODY -> {
                byte[] body = validFrame(r, room, "x" + index).toByteArray();
                yield new Attack(index, kind, any, frame(Arrays.copyOf(body, r.nextInt(body.length))),
                        null, false);
            }
            case ABANDONED -> new Attack(index, kind, any, r.nextBoolean() ? continuing(r, 1 + r.nextInt(4))
                    : concat(varint(100 + r.nextInt(1000)), randomBytes(r, r.nextInt(100))), null, true);
            case SERVER_FRAME -> new Attack(index, kind, any, frame(serverFrame(r, room)), null, false);
            case INVALID_UTF8 -> invalidUtf8(r, index, any, room);
            case BEFORE_HELLO -> new Attack(index, kind, Handshake.NONE, frame(command(r, room)), VIOLATION, false);
            case SECOND_HELLO -> new Attack(index, kind, session, frame(r.nextBoolean()
                    ? hello(r.nextLong(), "again" + index, ProtocolVersion.PROTOCOL_VERSION_1_VALUE)
                    : resume(r, ProtocolVersion.PROTOCOL_VERSION_1_VALUE)), VIOLATION, false);
            case BAD_RESUME -> {
                boolean badVersion = r.nextInt(4) == 0;
                yield new Attack(index, kind, Handshake.NONE, frame(resume(r, badVersion ? otherVersion(r) : 1)),
                        Set.of(badVersion ? Error.Code.UNSUPPORTED_VERSION : Error.Code.RESUME_FAILED), false);
            }
            case BAD_HELLO -> {
                boolean badVersion = r.nextBoolean();
                yield new Attack(index, kind, Handshake.NONE, frame(badVersion
                                ? hello(r.nextLong(), "v" + index, otherVersion(r))
                                : hello(r.nextLong(), badName(r), ProtocolVersion.PROTOCOL_VERSION_1_VALUE)),
                        Set.of(badVersion ? Error.Code.UNSUPPORTED_VERSION : Error.Code.INVALID_NAME), false);
            }
            case EMPTY_FRAME -> new Attack(index, kind, any, switch (r.nextInt(3)) {
                case 0 -> new byte[] {0};
                case 1 -> frame(ClientFrame.newBuilder().setRequestId(r.nextLong()).build());
                default -> frame(concat(field(42 + r.nextInt(1000), randomBytes(r, r.nextInt(20)))));
            }, VIOLATION, false);
            case RANDOM_BYTES -> new Attack(index, kind, any, randomBytes(r, 1 + r.nextInt(256)), null, false);
            case MUTATED -> new Attack(index, kind, Handshake.NONE, mutate(r, conversation(r, room, "m" + index)),
                    null, false);
            case FLOOD -> {
                // Three bytes a Ping, so that the server reads all of it at once: a flood it leaves
                // partly unread loses its error to a TCP reset (FatalErrorTest.floodedClientIsToldWhyBeforeTheClose).
                // Four times the default burst: on a loaded machine handling them takes long enough
                // for the bucket to refill a little, and a flood must stay a flood.
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                for (int i = 0; i < 800; i++) {
                    out.writeBytes(frame(ClientFrame.newBuilder().setPing(Ping.getDefaultInstance()).build()));
                }
                yield new Attack(index, kind, session, out.toByteArray(), Set.of(Error.Code.RATE_LIMITED), false);
            }
        };
    }

    /**
     * {@code bytes} followed by what it takes for the server's frame decoder to end on a frame
     * boundary (zeros), unless the decoder will have failed on them already. What the client sends
     * after this is then read as a frame of its own.
     */
    byte[] completed(byte[] bytes) {
        int i = 0;
        while (i < bytes.length) {
            long length = 0;
            int shift = 0;
            while (true) {
                if (shift == 35) {
                    return bytes; // more than five bytes of prefix: the decoder has failed
                }
                if (i == bytes.length) {
                    // An unfinished prefix: a zero byte ends it, then zeros fill the body.
                    return length > maxFrameBytes ? concat(bytes, new byte[1])
                            : concat(bytes, new byte[1 + (int) length]);
                }
                byte b = bytes[i++];
                length |= (long) (b & 0x7F) << shift;
                shift += 7;
                if (b >= 0) {
                    break;
                }
            }
            if (length > maxFrameBytes) {
                return bytes; // too long: the decoder has failed
            }
            if (bytes.length - i < length) {
                return concat(bytes, new byte[(int) (length - (bytes.length - i))]);
            }
            i += (int) length;
        }
        return bytes;
    }

    // ------------------------------------------------------------------ frames

    static byte[] frame(MessageLite message) {
        return frame(message.toByteArray());
    }

    static byte[] frame(byte[] body) {
        return concat(varint(body.length), body);
    }

    static byte[] varint(long value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        do {
            int low = (int) (value & 0x7F);
            value >>>= 7;
            out.write(value == 0 ? low : low | 0x80);
        } while (value != 0);
        return out.toByteArray();
    }

    /** A length-delimited field (a string, bytes or a message) with any content. */
    static byte[] field(int number, byte[] content) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            CodedOutputStream coded = CodedOutputStream.newInstance(out);
            coded.writeByteArray(number, content);
            coded.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static ClientFrame hello(long requestId, String name, int version) {
        return ClientFrame.newBuilder().setRequestId(requestId).setHello(Hello.newBuilder()
                .setProtocolVersionValue(version).setDisplayName(name)).build();
    }

    private long tooLong(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> maxFrameBytes + 1L;
            case 1 -> maxFrameBytes + 1L + r.nextInt(1 << 20);
            case 2 -> 1L << 31;
            case 3 -> (1L << 32) - 1;
            case 4 -> (1L << 35) - 1;
            default -> maxFrameBytes + 1L + (r.nextLong() >>> 1) % ((1L << 35) - maxFrameBytes - 1);
        };
    }

    /** {@code n} bytes that each say "more follows". */
    private static byte[] continuing(Random r, int n) {
        byte[] b = randomBytes(r, n);
        for (int i = 0; i < n; i++) {
            b[i] |= (byte) 0x80;
        }
        return b;
    }

    /** A frame whose request_id varint (or a Ping's nonce) is cut before its last byte. */
    private static byte[] truncatedVarint(Random r) {
        long big = r.nextLong() | Long.MIN_VALUE; // ten bytes as a varint
        byte[] body = ClientFrame.newBuilder().setRequestId(big).setPing(Ping.newBuilder().setNonce(big)).build()
                .toByteArray();
        boolean inNonce = r.nextBoolean();
        // request_id: tag at 0, varint at 1..10; ping: tag 11, length 12, nonce tag 13, varint 14..23.
        int cut = inNonce ? 14 + r.nextInt(9) : 1 + r.nextInt(10);
        byte[] cutBody = Arrays.copyOf(body, cut);
        if (inNonce) {
            cutBody[12] = (byte) (cut - 13); // the ping message ends where the body ends
        }
        return frame(cutBody);
    }

    private static int otherVersion(Random r) {
        int v = r.nextInt();
        return v == ProtocolVersion.PROTOCOL_VERSION_1_VALUE ? 0 : v;
    }

    private static String badName(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> "";
            case 1 -> "n".repeat(33 + r.nextInt(100));
            case 2 -> " leading";
            case 3 -> "bell\u0007";
            default -> "zero\u200Bwidth";
        };
    }

    private static ClientFrame resume(Random r, int version) {
        Resume.Builder resume = Resume.newBuilder().setProtocolVersionValue(version);
        resume.setResumeToken(r.nextBoolean() ? "" : randomText(r, 1 + r.nextInt(40)));
        for (int i = r.nextInt(4); i > 0; i--) {
            resume.putLastSeq(randomText(r, 1 + r.nextInt(10)), r.nextLong());
        }
        return ClientFrame.newBuilder().setRequestId(r.nextLong()).setResume(resume).build();
    }

    /** Any valid command other than Hello and Resume. */
    private static ClientFrame command(Random r, String room) {
        ClientFrame.Builder f = ClientFrame.newBuilder().setRequestId(r.nextInt(1000));
        return switch (r.nextInt(9)) {
            case 0 -> f.setJoin(Join.newBuilder().setRoom(room)).build();
            case 1 -> f.setSay(Say.newBuilder().setRoom(room).setText("out of the blue")).build();
            case 2 -> f.setPass(Pass.newBuilder().setRoom(room)).build();
            case 3 -> f.setLeave(Leave.newBuilder().setRoom(room)).build();
            case 4 -> f.setPing(Ping.newBuilder().setNonce(r.nextLong())).build();
            case 5 -> f.setListRooms(ListRooms.getDefaultInstance()).build();
            case 6 -> f.setMatch(Match.getDefaultInstance()).build();
            case 7 -> f.setCancelMatch(CancelMatch.getDefaultInstance()).build();
            default -> f.setInvite(Invite.newBuilder().setRoom(room).setDisplayName("someone")).build();
        };
    }

    private static ClientFrame validFrame(Random r, String room, String name) {
        return r.nextInt(3) == 0 ? hello(r.nextLong(), name, 1) : command(r, room);
    }

    private static ServerFrame serverFrame(Random r, String room) {
        ServerFrame.Builder f = ServerFrame.newBuilder().setRequestId(r.nextInt(100));
        return switch (r.nextInt(6)) {
            case 0 -> f.setWelcome(Welcome.newBuilder().setSessionId("1").setResumeToken(randomText(r, 22))
                    .setDisplayName("w")).build();
            case 1 -> f.setJoined(Joined.newBuilder().setRoom(RoomSnapshot.newBuilder().setName(room)
                    .setLastSeq(r.nextLong()))).build();
            case 2 -> f.setSaid(Said.newBuilder().setRoom(room).setSeq(r.nextInt(100)).setSpeaker("s")
                    .setText(randomText(r, r.nextInt(50)))).build();
            case 3 -> f.setTurnGranted(TurnGranted.newBuilder().setRoom(room).setHolder("h").setTurn(r.nextInt())).build();
            case 4 -> f.setPong(Pong.newBuilder().setNonce(r.nextLong()).setTimeMs(r.nextLong())).build();
            default -> f.setError(Error.newBuilder().setCodeValue(r.nextInt(30)).setMessage("m").setFatal(true))
                    .build();
        };
    }

    /** Byte sequences that are not UTF-8: overlong, surrogate, stray continuation, cut short, out of range. */
    private static final byte[][] NOT_UTF8 = {
            {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0x80},
            {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF},
    };

    private Attack invalidUtf8(Random r, int index, Handshake any, String room) {
        byte[] bad = concat(randomText(r, r.nextInt(5)).getBytes(StandardCharsets.UTF_8),
                NOT_UTF8[r.nextInt(NOT_UTF8.length)], "tail".getBytes(StandardCharsets.UTF_8));
        byte[] roomName = room.getBytes(StandardCharsets.UTF_8);
        byte[] version = {0x08, 0x01};
        Handshake handshake = any;
        byte[] body = switch (r.nextInt(9)) {
            // field numbers from hotpochato.proto: Hello = 2, Join = 3, Leave = 4, Say = 5, Resume = 11, Invite = 12
            case 0 -> {
                handshake = Handshake.NONE;
                yield field(2, concat(version, field(2, bad)));                     // Hello.display_name
            }
            case 1 -> {
                handshake = Handshake.NONE;
                yield field(2, concat(version, field(2, "ok".getBytes()), field(3, bad))); // Hello.auth_token
            }
            case 2 -> field(3, field(1, bad));                                       // Join.room
            case 3 -> field(3, concat(field(1, roomName), field(2, field(3, bad)))); // Join.options.password
            case 4 -> field(5, concat(field(1, roomName), field(2, bad)));           // Say.text
            case 5 -> field(4, field(1, bad));                                       // Leave.room
            case 6 -> field(12, concat(field(1, roomName), field(2, bad)));          // Invite.display_name
            case 7 -> {
                handshake = Handshake.NONE;
                yield field(11, concat(version, field(2, bad)));                     // Resume.resume_token
            }
            default -> {
                handshake = Handshake.NONE;
                yield field(11, concat(version, field(3, concat(field(1, bad), new byte[] {0x10, 0x05})))); // last_seq key
            }
        };
        return new Attack(index, Kind.INVALID_UTF8, handshake, frame(concat(new byte[] {0x08, 0x07}, body)),
                VIOLATION, false);
    }

    /** A short, valid conversation: Hello, then a few commands. */
    private static List<byte[]> conversation(Random r, String room, String name) {
        List<byte[]> frames = new ArrayList<>();
        frames.add(frame(hello(1, name, 1)));
        frames.add(frame(ClientFrame.newBuilder().setRequestId(2).setJoin(Join.newBuilder().setRoom(room)).build()));
        for (int i = r.nextInt(5); i > 0; i--) {
            frames.add(frame(command(r, room)));
        }
        return frames;
    }

    private static byte[] mutate(Random r, List<byte[]> frames) {
        if (r.nextInt(4) == 0 && frames.size() > 1) {
            int a = r.nextInt(frames.size());
            int b = r.nextInt(frames.size());
            byte[] t = frames.get(a);
            frames.set(a, frames.get(b));
            frames.set(b, t);
        }
        byte[] bytes = concat(frames.toArray(byte[][]::new));
        for (int m = 1 + r.nextInt(3); m > 0 && bytes.length > 0; m--) {
            int at = r.nextInt(bytes.length);
            bytes = switch (r.nextInt(5)) {
                case 0 -> flipBit(bytes, at, r.nextInt(8));
                case 1 -> Arrays.copyOf(bytes, Math.max(1, at));
                case 2 -> concat(Arrays.copyOf(bytes, at),
                        Arrays.copyOfRange(bytes, r.nextInt(at + 1), bytes.length));
                case 3 -> concat(Arrays.copyOf(bytes, at),
                        Arrays.copyOfRange(bytes, Math.min(bytes.length, at + 1 + r.nextInt(8)), bytes.length));
                default -> concat(Arrays.copyOf(bytes, at), randomBytes(r, 1 + r.nextInt(8)),
                        Arrays.copyOfRange(bytes, at, bytes.length));
            };
        }
        return bytes;
    }

    private static byte[] flipBit(byte[] bytes, int at, int bit) {
        byte[] copy = bytes.clone();
        copy[at] ^= (byte) (1 << bit);
        return copy;
    }

    private static byte[] randomBytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }

    private static String randomText(Random r, int n) {
        StringBuilder s = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            s.append((char) ('!' + r.nextInt(94)));
        }
        return s.toString();
    }
}
