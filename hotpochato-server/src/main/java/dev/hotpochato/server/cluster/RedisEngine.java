package dev.hotpochato.server.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.Range;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A node's connections to the cluster's Redis, through Lettuce, and the few commands the rooms
 * need: one to commit ({@code FCALL hp_commit}, the function in {@code hotpochato.lua}), one for
 * the node's heartbeat alone, one subscribed to the channels of the rooms with members here. Every call is asynchronous
 * and returns at once; results complete on Lettuce's threads, so callers hop back to their own.
 *
 * <p>Keys of one room share the hash tag {@code {room}}: {@code hp:{room}:s} (version and state),
 * {@code hp:{room}:e} (its events, a stream), channel {@code hp:{room}:c}. {@code hp:rooms} lists the
 * public rooms; {@code hp:node:generation} numbers the nodes as they start.
 */
public final class RedisEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisEngine.class);

    /** The function library, versioned by name: see {@code hotpochato.lua}. */
    static final String LIBRARY = "hotpochato_v1";
    static final String ROOMS_KEY = "hp:rooms";
    static final String GENERATION_KEY = "hp:node:generation";
    /** How long the first connection at start may take, Redis's greeting included. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(3);
    /** The same over TLS, whose handshake alone can take seconds on a loaded machine. */
    static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    private static final String CHANNEL_PREFIX = "hp:{";
    private static final String CHANNEL_SUFFIX = "}:c";
    private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private final RedisClient client;
    private final ClientResources resources;
    private final StatefulRedisConnection<String, byte[]> connection;
    private final RedisAsyncCommands<String, byte[]> commands;
    /**
     * The heartbeat's own connection ({@link NodeLiveness}): Redis answers one connection's commands
     * in order, so on the commit connection a busy node's heartbeats would wait behind its commits
     * and lapse while the node is alive.
     */
    private final StatefulRedisConnection<String, byte[]> liveness;
    private final StatefulRedisPubSubConnection<String, byte[]> pubSub;
    private final long generation;
    private final String address;

    /** Where the rooms' channels are heard, on Lettuce's threads. */
    public interface Channels {
        /** A commit another node (or this one) published on {@code room}'s channel. */
        void published(String room, byte[] message);

        /**
         * Redis confirmed a subscription to {@code room}'s channel: the first time, or again after a
         * reconnect, when whatever was published in between is lost (pub/sub is at most once).
         */
        void subscribed(String room);

        /** A message on this node's own channel ({@code hp:node:<gen>:c}): see {@link SessionDirectory}. */
        default void node(String message) {
        }
    }

    /**
     * Result of {@link #commit}: committed (at {@code version}), or a conflict with the room's current
     * version and state, or refused because the session it acts for is another node's now
     * ({@code sessionMoved}: nothing was written).
     */
    record CommitResult(boolean committed, long version, byte[] state, boolean sessionMoved) {
    }

    /**
     * A session a commit acts for or whose membership of the room it changes, written with the
     * commit (see {@code hp_commit_live}): {@code code} is {@code !} if the command is the session's
     * (refused if another node owns it), followed by {@code +} admitted, {@code -} left, {@code x}
     * removed or the room closed, or nothing.
     */
    record SessionChange(long sessionId, String code) {
    }

    /** A room as Redis keeps it: its version (0 if it never existed) and its state (null: no room). */
    record Stored(long version, byte[] state) {
    }

    private RedisEngine(RedisClient client, ClientResources resources, StatefulRedisConnection<String, byte[]> connection,
                        StatefulRedisConnection<String, byte[]> liveness,
                        StatefulRedisPubSubConnection<String, byte[]> pubSub, long generation, String address) {
        this.client = client;
        this.resources = resources;
        this.connection = connection;
        this.commands = connection.async();
        this.liveness = liveness;
        this.pubSub = pubSub;
        this.generation = generation;
        this.address = address;
    }

    /**
     * Connects to {@code uri} ({@code redis://host:port}, {@code rediss://} for TLS, {@code user:pass@}
     * for a password), loads the commit function and takes a node generation. Called once at start,
     * off the event loops: it waits for Redis (at most {@code timeout} per step).
     *
     * @param channels where each room's published commits and subscriptions go, on Lettuce's threads
     * @throws IllegalStateException with one line saying why if Redis cannot be used
     */
    public static RedisEngine connect(String uri, Duration timeout, Channels channels) {
        return connect(uri, timeout, NodeLiveness.DEFAULT_TIMEOUT, channels);
    }

    /**
     * As {@link #connect(String, Duration, Channels)}, with the node's first heartbeat set to live
     * {@code nodeTimeout} ({@link NodeLiveness} keeps it alive from then on), so that its commits
     * are accepted from the start.
     */
    public static RedisEngine connect(String uri, Duration timeout, Duration nodeTimeout, Channels channels) {
        return connect(uri, timeout, nodeTimeout, null, channels);
    }

    /**
     * As {@link #connect(String, Duration, Duration, Channels)}, trusting the PEM certificates in
     * {@code trustedCertificates} for a {@code rediss://} address (null: the JVM's trusted authorities).
     */
    public static RedisEngine connect(String uri, Duration timeout, Duration nodeTimeout, Path trustedCertificates,
                                      Channels channels) {
        RedisURI redisUri;
        try {
            redisUri = address(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("--cluster: " + e.getMessage());
        }
        redisUri.setTimeout(timeout);
        String address = redisUri.getHost() + ":" + redisUri.getPort();
        // Few threads (the node's own loops do the work), and a reconnect at least every 2 s while
        // Redis is away, so that service resumes soon after it returns.
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2)
                .reconnectDelay(() -> Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        ClientOptions.Builder options = ClientOptions.builder();
        if (trustedCertificates != null) {
            if (!Files.isReadable(trustedCertificates)) {
                resources.shutdown(0, 1, TimeUnit.SECONDS);
                throw new IllegalStateException("--cluster-ca: cannot read " + trustedCertificates);
            }
            options.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(trustedCertificates.toFile()).build());
        }
        RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(options
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                // While Redis is away, commands fail at once instead of queueing up behind it.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        StatefulRedisConnection<String, byte[]> connection = null;
        StatefulRedisConnection<String, byte[]> liveness = null;
        StatefulRedisPubSubConnection<String, byte[]> pubSub = null;
        try {
            connection = handshake(client, redisUri);
            liveness = client.connect(CODEC);
            connection.sync().functionLoad(LIBRARY_SOURCE, true);
            long generation = connection.sync().fcall("hp_new_generation", ScriptOutputType.INTEGER,
                    new String[] {GENERATION_KEY});
            String nodeChannel = nodeChannel(generation);
            liveness.sync().fcall("hp_heartbeat", ScriptOutputType.INTEGER, NodeLiveness.heartbeatKeys(generation),
                    ascii(Long.toString(generation)), ascii(Long.toString(nodeTimeout.toMillis())));
            pubSub = client.connectPubSub(CODEC);
            pubSub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, byte[] message) {
                    if (channel.equals(nodeChannel)) {
                        channels.node(new String(message, StandardCharsets.UTF_8));
                        return;
                    }
                    String room = room(channel);
                    if (room != null) {
                        channels.published(room, message);
                    }
                }

                @Override
                public void subscribed(String channel, long count) {
                    String room = room(channel);
                    if (room != null) {
                        channels.subscribed(room);
                    }
                }
            });
            pubSub.sync().subscribe(nodeChannel);
            log.info("Cluster mode: Redis at {}, node generation {}", address, generation);
            return new RedisEngine(client, resources, connection, liveness, pubSub, generation, address);
        } catch (RuntimeException e) {
            if (pubSub != null) {
                pubSub.close();
            }
            if (liveness != null) {
                liveness.close();
            }
            if (connection != null) {
                connection.close();
            }
            client.shutdown(0, 1, TimeUnit.SECONDS);
            resources.shutdown(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("--cluster: cannot use Redis at " + address + ": " + why(e), e);
        }
    }

    /** Why Redis could not be used, in one line: the innermost cause, with a hint for a password refused. */
    private static String why(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        if (message.startsWith("NOAUTH")) {
            return "Redis asks for a password (redis://USER:PASSWORD@HOST:PORT)";
        }
        if (message.startsWith("WRONGPASS")) {
            return "Redis refused the user name or password";
        }
        if (cause instanceof java.security.cert.CertificateException
                || cause instanceof java.security.cert.CertPathValidatorException
                || cause instanceof java.security.cert.CertPathBuilderException) {
            return "Redis's TLS certificate is not trusted here (" + message + "; name its authority with --cluster-ca)";
        }
        return message.lines().findFirst().orElse(message);
    }

    /**
     * The first connection, given {@link #HANDSHAKE_TIMEOUT} in all ({@link #TLS_HANDSHAKE_TIMEOUT}
     * over TLS): something that accepts the connection but never answers as Redis (another service's port) would otherwise hold the start
     * through several of Lettuce's own timeouts, about half a minute, and end in a cryptic error.
     */
    private static StatefulRedisConnection<String, byte[]> handshake(RedisClient client, RedisURI uri) {
        Duration limit = uri.isSsl() ? TLS_HANDSHAKE_TIMEOUT : HANDSHAKE_TIMEOUT;
        var connecting = client.connectAsync(CODEC, uri);
        try {
            return connecting.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            connecting.cancel(true);
            throw new IllegalStateException("no Redis answered there within " + limit.toSeconds()
                    + "s (is a Redis server listening there?)");
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting");
        }
    }

    /**
     * {@code uri} as a Redis address ({@code redis://HOST:PORT}, {@code rediss://}, {@code
     * redis://USER:PASSWORD@HOST:PORT}), checked before anything connects.
     *
     * @throws IllegalArgumentException saying what is expected, without the value (it may hold a password)
     */
    public static RedisURI address(String uri) {
        String expected = "not a Redis address (expected redis://HOST:PORT, rediss://HOST:PORT or "
                + "redis://USER:PASSWORD@HOST:PORT)";
        try {
            // Lettuce takes "redis://host:notaport" for a host named "host:notaport"; java.net.URI does not.
            if (new java.net.URI(uri).getHost() == null) {
                throw new IllegalArgumentException(expected);
            }
            return RedisURI.create(uri);
        } catch (java.net.URISyntaxException | RuntimeException e) {
            throw new IllegalArgumentException(expected);
        }
    }

    private static String room(String channel) {
        return channel.startsWith(CHANNEL_PREFIX) && channel.endsWith(CHANNEL_SUFFIX)
                ? channel.substring(CHANNEL_PREFIX.length(), channel.length() - CHANNEL_SUFFIX.length()) : null;
    }

    private static final String LIBRARY_SOURCE = librarySource();

    static String librarySource() {
        try (InputStream in = RedisEngine.class.getResourceAsStream("hotpochato.lua")) {
            if (in == null) {
                throw new IllegalStateException("hotpochato.lua is missing from the server's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read hotpochato.lua: " + e.getMessage(), e);
        }
    }

    /**
     * Tells {@code listener} whether this node reaches Redis: null while both its connections (the
     * one that commits and the subscribed one) are up, else why not, in a few words. Called at once
     * with the current state, then on every change, on Lettuce's threads. Readiness hangs on it:
     * a node that cannot commit should not be sent new clients.
     */
    public void watchReachability(Consumer<String> listener) {
        Set<Object> down = ConcurrentHashMap.newKeySet();
        Runnable report = () -> listener.accept(down.isEmpty() ? null
                : "Redis at " + address + " unreachable (" + (down.size() == 2 ? "both connections"
                : down.contains(connection) ? "the commit connection" : "the subscription") + " down)");
        client.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> c, SocketAddress remote) {
                if ((c == connection || c == pubSub) && down.remove(c)) {
                    report.run();
                }
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> c) {
                if ((c == connection || c == pubSub) && down.add(c)) {
                    report.run();
                }
            }
        });
        if (!connection.isOpen()) {
            down.add(connection);
        }
        if (!pubSub.isOpen()) {
            down.add(pubSub);
        }
        report.run();
    }

    /** This node's generation: numbered by Redis as nodes start, never reused. */
    public long generation() {
        return generation;
    }

    public String address() {
        return address;
    }

    static String stateKey(String room) {
        return "hp:{" + room + "}:s";
    }

    static String streamKey(String room) {
        return "hp:{" + room + "}:e";
    }

    static String channel(String room) {
        return CHANNEL_PREFIX + room + CHANNEL_SUFFIX;
    }

    /** A node's own channel, where it hears that another node took one of its sessions. */
    static String nodeChannel(long generation) {
        return "hp:node:" + generation + ":c";
    }

    /** A node's heartbeat: present while the node is alive. */
    static String heartbeatKey(long generation) {
        return "hp:node:" + generation;
    }

    CompletionStage<Stored> read(String room) {
        return commands.hmget(stateKey(room), "v", "d").thenApply(values -> {
            byte[] v = values.get(0).getValueOrElse(null);
            byte[] d = values.get(1).getValueOrElse(null);
            long version = v == null ? 0 : Long.parseLong(new String(v, StandardCharsets.US_ASCII));
            return new Stored(version, d == null || d.length == 0 ? null : d);
        });
    }

    /**
     * Runs the commit function: see {@code hotpochato.lua} for the modes.
     *
     * @param events each event's seq and bytes, in seq order
     */
    CompletionStage<CommitResult> commit(String room, long expectedVersion, char mode, byte[] state, byte[] message,
                                         boolean publicRoom, int historySize, List<long[]> seqs, List<byte[]> events,
                                         List<SessionChange> sessions) {
        List<byte[]> args = new ArrayList<>(8 + 2 * events.size() + sessions.size());
        args.add(ascii(Long.toString(expectedVersion)));
        args.add(new byte[] {(byte) mode});
        args.add(state == null ? new byte[0] : state);
        args.add(message == null ? new byte[0] : message);
        args.add(ascii(channel(room)));
        args.add(room.getBytes(StandardCharsets.UTF_8));
        args.add(publicRoom ? new byte[] {'1'} : new byte[] {'0'});
        args.add(ascii(Integer.toString(historySize)));
        for (int i = 0; i < events.size(); i++) {
            args.add(ascii(Long.toString(seqs.get(i)[0])));
            args.add(events.get(i));
        }
        // hp_commit_live: hp_commit, refused if this node's heartbeat has lapsed (fencing) or if a
        // session it acts for moved to another node; the sessions' records change with it.
        String[] keys = new String[4 + sessions.size()];
        keys[0] = stateKey(room);
        keys[1] = streamKey(room);
        keys[2] = ROOMS_KEY;
        keys[3] = heartbeatKey(generation);
        for (int i = 0; i < sessions.size(); i++) {
            keys[4 + i] = SessionDirectory.sessionKey(sessions.get(i).sessionId());
            args.add(ascii(sessions.get(i).code()));
        }
        byte[][] argv = args.toArray(byte[][]::new);
        CompletionStage<List<Object>> reply = withLibrary(() -> commands.fcall("hp_commit_live", ScriptOutputType.MULTI,
                keys, argv));
        return reply.thenApply(r -> {
            long status = (Long) r.get(0);
            if (status == 2L) {
                return new CommitResult(false, 0, null, true);
            }
            boolean ok = status == 1L;
            long version = (Long) r.get(1);
            byte[] current = ok ? null : (byte[]) r.get(2);
            return new CommitResult(ok, version, current == null || current.length == 0 ? null : current, false);
        });
    }

    /**
     * The room's kept events with seqs {@code from..to} ({@code to} = {@link Long#MAX_VALUE}: all
     * after {@code from}), oldest first; fewer if some are no longer kept.
     */
    CompletionStage<List<byte[]>> events(String room, long from, long to) {
        Range<String> range = Range.from(Range.Boundary.including(from + "-0"), to == Long.MAX_VALUE
                ? Range.Boundary.unbounded() : Range.Boundary.including(to + "-0"));
        return commands.xrange(streamKey(room), range).thenApply(messages -> {
            List<byte[]> events = new ArrayList<>(messages.size());
            for (StreamMessage<String, byte[]> m : messages) {
                events.add(m.getBody().get("e"));
            }
            return events;
        });
    }

    /** Up to {@code limit} public room names after {@code after} ("" for the first), sorted. */
    CompletionStage<List<String>> publicNames(String after, int limit) {
        Range<byte[]> range = Range.from(after.isEmpty() ? Range.Boundary.unbounded()
                : Range.Boundary.excluding(after.getBytes(StandardCharsets.UTF_8)), Range.Boundary.unbounded());
        return commands.zrangebylex(ROOMS_KEY, range, io.lettuce.core.Limit.create(0, limit)).thenApply(names -> {
            List<String> out = new ArrayList<>(names.size());
            for (byte[] n : names) {
                out.add(new String(n, StandardCharsets.UTF_8));
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ the lobby (ClusterMatchmaker)

    static final String LOBBY_KEY = "hp:lobby";
    static final String LEASES_KEY = "hp:lobby:leases";
    static final String CLAIMS_KEY = "hp:lobby:claims";
    private static final String[] LOBBY_KEYS = {LOBBY_KEY, LEASES_KEY, CLAIMS_KEY};

    /** This node's lobby channel: the sessions of its waiters another node has paired. */
    String lobbyChannel() {
        return "hp:lobby:" + generation;
    }

    /**
     * {@code hp_match}: takes the longest waiter a session can be paired with out of the lobby and
     * returns its entry, or (null) appends {@code entry}. See {@code hotpochato.lua}.
     *
     * @param room the pair room's name, told to a waiter of another node if one is taken
     */
    CompletionStage<String> match(String entry, long sessionId, String name, long leaseMillis, String room) {
        byte[][] args = {utf8(entry), ascii(Long.toString(generation)), ascii(Long.toString(sessionId)), utf8(name),
                ascii(Long.toString(leaseMillis)), utf8(room)};
        CompletionStage<byte[]> reply = withLibrary(() -> commands.fcall("hp_match", ScriptOutputType.VALUE, LOBBY_KEYS,
                args));
        return reply.thenApply(b -> b == null ? null : new String(b, StandardCharsets.UTF_8));
    }

    /** Takes {@code entry} out of the lobby; 1 if it was there, 0 if another node took it first. */
    CompletionStage<Long> unmatch(String entry) {
        return commands.lrem(LOBBY_KEY, 1, utf8(entry));
    }

    /** This node's waiters count for {@code leaseMillis} more (Redis time). */
    CompletionStage<Object> lease(long leaseMillis) {
        return withLibrary(() -> commands.fcall("hp_lease", ScriptOutputType.INTEGER, new String[] {LEASES_KEY},
                ascii(Long.toString(generation)), ascii(Long.toString(leaseMillis))));
    }

    /** This node's waiters no longer count (it stops): nobody is paired with them any more. */
    CompletionStage<Long> endLease() {
        return commands.hdel(LEASES_KEY, Long.toString(generation));
    }

    /** The pair rooms other nodes made for these sessions (null where none), in order. */
    CompletionStage<List<String>> claims(List<Long> sessionIds) {
        String[] fields = sessionIds.stream().map(Object::toString).toArray(String[]::new);
        return commands.hmget(CLAIMS_KEY, fields).thenApply(values -> {
            List<String> rooms = new ArrayList<>(values.size());
            for (var v : values) {
                byte[] b = v.getValueOrElse(null);
                rooms.add(b == null ? null : new String(b, StandardCharsets.UTF_8));
            }
            return rooms;
        });
    }

    CompletionStage<Long> forgetClaim(long sessionId) {
        return commands.hdel(CLAIMS_KEY, Long.toString(sessionId));
    }

    /**
     * Subscribes to this node's lobby channel: {@code claimed} gets each session of this node that
     * another node paired, with the pair room's name; {@code subscribed} runs whenever Redis confirms the subscription (again
     * after a reconnect: what was published in between is in the claims). On Lettuce's threads.
     */
    CompletionStage<Void> listenLobby(java.util.function.BiConsumer<Long, String> claimed, Runnable subscribed) {
        String mine = lobbyChannel();
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                if (channel.equals(mine)) {
                    String m = new String(message, StandardCharsets.UTF_8);
                    int colon = m.indexOf(':');
                    claimed.accept(Long.parseLong(m.substring(0, colon)), m.substring(colon + 1));
                }
            }

            @Override
            public void subscribed(String channel, long count) {
                if (channel.equals(mine)) {
                    subscribed.run();
                }
            }
        });
        return pubSub.async().subscribe(mine);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    CompletionStage<Void> subscribe(String room) {
        return pubSub.async().subscribe(channel(room));
    }

    CompletionStage<Void> unsubscribe(String room) {
        return pubSub.async().unsubscribe(channel(room));
    }

    /** Calls a function of the library that returns an array. */
    CompletionStage<List<Object>> fcall(String function, String[] keys, String... args) {
        return withLibrary(() -> commands.fcall(function, ScriptOutputType.MULTI, keys, bytes(args)));
    }

    /** Calls a function of the library that returns a string. */
    CompletionStage<byte[]> fcallValue(String function, String[] keys, String... args) {
        return withLibrary(() -> commands.fcall(function, ScriptOutputType.VALUE, keys, bytes(args)));
    }

    /** Calls a function of the library that returns an integer. */
    CompletionStage<Long> fcallInteger(String function, String[] keys, String... args) {
        return withLibrary(() -> commands.fcall(function, ScriptOutputType.INTEGER, keys, bytes(args)));
    }

    /** Calls a liveness function of the library that returns an integer, on the heartbeat's own connection. */
    CompletionStage<Long> livenessInteger(String function, String[] keys, String... args) {
        return withLibrary(() -> liveness.async().fcall(function, ScriptOutputType.INTEGER, keys, bytes(args)));
    }

    /** Calls a liveness function of the library that returns an array, on the heartbeat's own connection. */
    CompletionStage<List<Object>> livenessArray(String function, String[] keys, String... args) {
        return withLibrary(() -> liveness.async().fcall(function, ScriptOutputType.MULTI, keys, bytes(args)));
    }

    /** Members of a set, as strings. */
    CompletionStage<List<String>> members(String key) {
        return commands.smembers(key).thenApply(values -> {
            List<String> out = new ArrayList<>(values.size());
            for (byte[] v : values) {
                out.add(new String(v, StandardCharsets.UTF_8));
            }
            return out;
        });
    }

    /**
     * Runs {@code call} (an {@code FCALL} of the library) and, if Redis no longer has the library
     * (it restarted without its data, or someone ran {@code FUNCTION FLUSH}), loads it again and
     * runs {@code call} once more. Nothing ran the first time, so running it again is safe.
     */
    private <T> CompletionStage<T> withLibrary(Supplier<CompletionStage<T>> call) {
        return call.get().exceptionallyCompose(failure -> {
            if (!libraryMissing(failure)) {
                return CompletableFuture.failedStage(failure);
            }
            log.warn("Redis at {} no longer has the function library {} (restarted without its data, or FUNCTION "
                    + "FLUSH): loading it again", address, LIBRARY);
            return commands.functionLoad(LIBRARY_SOURCE, true).thenCompose(loaded -> call.get());
        });
    }

    /**
     * Whether a command that failed this way may still have been run by Redis: it was sent, but no
     * answer came in time (Redis paused, slow, or the answer lost). Any other failure (refused while
     * disconnected, an error reply) means Redis did not run it, or ran a function that changed nothing.
     */
    static boolean outcomeUnknown(Throwable failure) {
        return unwrap(failure) instanceof io.lettuce.core.RedisCommandTimeoutException;
    }

    /** What failed, in a few words for a log line: no answer in time, unreachable, or refused (and why). */
    static String describe(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof io.lettuce.core.RedisCommandTimeoutException) {
            return "Redis did not answer in time (" + cause.getMessage() + ")";
        }
        if (cause instanceof io.lettuce.core.RedisCommandExecutionException) {
            return "Redis refused it: " + cause.getMessage();
        }
        if (cause instanceof io.lettuce.core.RedisException) {
            return "Redis unreachable: " + cause.getMessage();
        }
        return cause.toString();
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Redis's answer to a commit of a node that is not alive in the cluster ({@code hp_commit_live}): nothing was run. */
    static boolean refusedAsFenced(Throwable failure) {
        Throwable cause = unwrap(failure);
        String message = cause instanceof io.lettuce.core.RedisCommandExecutionException ? cause.getMessage() : null;
        return message != null && message.startsWith("FENCED");
    }

    /** Redis's answer to a call of a function (or script) it does not have: nothing was run. */
    static boolean libraryMissing(Throwable failure) {
        Throwable cause = unwrap(failure);
        String message = cause instanceof io.lettuce.core.RedisCommandExecutionException ? cause.getMessage() : null;
        return message != null && (message.startsWith("ERR Function not found") || message.startsWith("NOSCRIPT"));
    }

    private static byte[][] bytes(String... args) {
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        pubSub.close();
        liveness.close();
        connection.close();
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
