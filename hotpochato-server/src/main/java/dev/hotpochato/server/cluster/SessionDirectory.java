package dev.hotpochato.server.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The cluster's sessions as Redis keeps them, so that a session can be resumed on any node: each
 * session's record ({@code hp:session:<sid>}: its name, the generation of the node that owns it, the
 * hashes of the resume tokens that take it back, the rooms it is in and those that closed while it
 * was away, both written by the rooms' own commits), and per node the set of the
 * sessions it owns ({@code hp:node:<gen>:s}). A session belongs to one node at a time; every change
 * is a function of {@code hotpochato.lua} that checks the caller still owns the session, so a node
 * that lost one to another node changes nothing of it.
 *
 * <p>The record has no expiry while its owner has it connected; once it is away it lives for the
 * rest of the resume grace, and a {@link #claim} after that finds nothing. Tokens are kept as
 * SHA-256 hashes: reading Redis gives no token that resumes anything. A token names its session
 * ({@code <sid in hex>.<128 random bits>}), so a node finds the record without an index.
 *
 * <p>Every call is asynchronous and completes on Lettuce's threads. Not on the turn path: sessions
 * start, join, leave, go away and resume far less often than members speak.
 */
public final class SessionDirectory {

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * A session this node now owns: taken back with a token, or adopted from a dead node. It is a
     * member of {@code rooms}; {@code closedRooms} closed while it was away, and it has not been told.
     */
    public record Claimed(long id, String name, long remainingGraceMillis, long formerOwner, List<String> rooms,
                          List<String> closedRooms) {
    }

    private final RedisEngine redis;

    public SessionDirectory(RedisEngine redis) {
        this.redis = redis;
    }

    static String sessionKey(long sid) {
        return "hp:session:" + sid;
    }

    static String nodeSessionsKey(long generation) {
        return "hp:node:" + generation + ":s";
    }

    private String gen() {
        return Long.toString(redis.generation());
    }

    /** A fresh unguessable token for session {@code sid}: the session's id in hex, a dot, 128 random bits. */
    public static String newToken(long sid) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Long.toHexString(sid) + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The session a token names, or -1 if it is not a token of this form. */
    public static long sessionOf(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot > 16) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(token, 0, dot, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String hash(String token) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** {@code token} takes session {@code sid} back; the record is made if it is new. False if another node owns it. */
    public CompletionStage<Boolean> addToken(long sid, String name, String token) {
        return ok(redis.fcallInteger("hp_session_token", new String[] {sessionKey(sid), nodeSessionsKey(redis.generation())},
                Long.toString(sid), name, gen(), "+", hash(token)));
    }

    /** {@code token} no longer takes the session back (used, replaced, or the session ended). */
    public CompletionStage<Boolean> removeToken(long sid, String token) {
        return ok(redis.fcallInteger("hp_session_token", new String[] {sessionKey(sid), nodeSessionsKey(redis.generation())},
                Long.toString(sid), "", gen(), "-", hash(token)));
    }

    /**
     * The session is away: its record lives {@code graceMillis} more. 0: connected again, no expiry,
     * and the client has been told of the rooms that closed while it was away.
     */
    public CompletionStage<Boolean> away(long sid, long graceMillis) {
        return ok(redis.fcallInteger("hp_session_away", new String[] {sessionKey(sid)}, gen(),
                Long.toString(Math.max(0, graceMillis))));
    }

    /**
     * The session ends here: true if this node may make it leave its rooms (it still owned it, or
     * its record expired, so no other node took it); false if another node took it meanwhile.
     */
    public CompletionStage<Boolean> end(long sid) {
        return ok(redis.fcallInteger("hp_session_end", new String[] {sessionKey(sid), nodeSessionsKey(redis.generation())},
                Long.toString(sid), gen()));
    }

    /**
     * The display name of the session {@code token} still takes back, or null: what a Resume is
     * authenticated with before it claims the session, so that a refused one changes nothing.
     */
    public CompletionStage<String> peek(String token) {
        long sid = sessionOf(token);
        if (sid < 0) {
            return CompletableFuture.completedFuture(null);
        }
        return redis.fcallValue("hp_session_peek", new String[] {sessionKey(sid)}, hash(token)).thenApply(reply -> {
            String name = reply == null ? "" : new String(reply, StandardCharsets.UTF_8);
            return name.isEmpty() ? null : name;
        });
    }

    /**
     * A Resume with {@code token} reached this node: if the token still takes its session back, this
     * node now owns it (the former owner is told on its channel, {@code moved <sid>}), and the
     * session is returned; null if the token takes nothing back (unknown, used, or the session
     * ended). The token itself stays valid: the new owner voids it once the client has the next.
     *
     * @param graceMillis how long the record lives if the session was connected on its former
     *                    owner (it is away until this node's Welcome)
     */
    public CompletionStage<Claimed> claim(String token, long graceMillis) {
        long sid = sessionOf(token);
        if (sid < 0) {
            return CompletableFuture.completedFuture(null);
        }
        return redis.fcall("hp_session_claim", new String[] {sessionKey(sid), nodeSessionsKey(redis.generation())},
                Long.toString(sid), hash(token), gen(), Long.toString(Math.max(1, graceMillis)))
                .thenApply(reply -> claimed(sid, reply));
    }

    /**
     * Node {@code dead} was declared dead (by this node): this node takes over each of its
     * sessions that no other node took, so that it marks them away, ends them when their grace
     * runs out, and a Resume anywhere can take them back.
     */
    public CompletionStage<List<Claimed>> adopt(long dead, long graceMillis) {
        return redis.members(nodeSessionsKey(dead)).thenCompose(sids -> {
            List<CompletableFuture<Claimed>> each = new ArrayList<>(sids.size());
            for (String s : sids) {
                long sid = Long.parseLong(s);
                each.add(redis.fcall("hp_session_adopt", new String[] {sessionKey(sid), nodeSessionsKey(redis.generation())},
                        s, Long.toString(dead), gen(), Long.toString(Math.max(1, graceMillis)))
                        .thenApply(reply -> claimed(sid, reply)).toCompletableFuture());
            }
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> {
                List<Claimed> out = new ArrayList<>(each.size());
                for (CompletableFuture<Claimed> c : each) {
                    if (c.join() != null) {
                        out.add(c.join());
                    }
                }
                return out;
            });
        });
    }

    private static Claimed claimed(long sid, List<Object> reply) {
        if (reply.isEmpty() || ((Long) reply.get(0)) != 1L) {
            return null;
        }
        String name = string(reply.get(1));
        long remaining = (Long) reply.get(2);
        long formerOwner = Long.parseLong(string(reply.get(3)));
        int memberOf = ((Long) reply.get(4)).intValue();
        List<String> rooms = new ArrayList<>(memberOf);
        List<String> closed = new ArrayList<>(0);
        for (int i = 5; i < reply.size(); i++) {
            (i < 5 + memberOf ? rooms : closed).add(string(reply.get(i)));
        }
        return new Claimed(sid, name, remaining, formerOwner, List.copyOf(rooms), List.copyOf(closed));
    }

    private static String string(Object value) {
        return value instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static CompletionStage<Boolean> ok(CompletionStage<Long> reply) {
        return reply.thenApply(r -> r == 1L);
    }
}
