package dev.hotpochato.server;

import dev.hotpochato.protocol.net.Transport;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.server.admin.AdminServer;
import dev.hotpochato.server.admin.Health;
import dev.hotpochato.server.cluster.ClusterMatchmaker;
import dev.hotpochato.server.cluster.ClusterRoomStore;
import dev.hotpochato.server.cluster.NodeLiveness;
import dev.hotpochato.server.cluster.RedisEngine;
import dev.hotpochato.server.cluster.SessionDirectory;
import dev.hotpochato.server.metrics.RuntimeMetrics;
import dev.hotpochato.server.metrics.ServerMetrics;
import dev.hotpochato.server.net.NodeStanding;
import dev.hotpochato.server.net.ServerInitializer;
import dev.hotpochato.server.room.Frames;
import dev.hotpochato.server.room.Lobby;
import dev.hotpochato.server.room.Matchmaker;
import dev.hotpochato.server.room.MemoryRoomStore;
import dev.hotpochato.server.room.RoomShard;
import dev.hotpochato.server.room.RoomStore;
import dev.hotpochato.server.room.ScheduledTurnClock;
import dev.hotpochato.server.room.rules.RoomSettings;
import dev.hotpochato.server.net.ChannelOutput;
import dev.hotpochato.server.web.WebInitializer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running HotPochato server. {@link #start} binds and returns at once; {@link #close} says
 * goodbye to every client and stops. Safe to embed: tests and benchmarks run it in-process.
 *
 * <p>The composition root: it creates the event loops, rooms, TLS context, metrics and the admin
 * listener, wires them, and shuts them down in order.
 */
public final class HotPochatoServer implements AutoCloseable {

    /** The server's version, as told to clients in {@code Welcome.server_version}. */
    public static final String VERSION = "0.1.0";

    private static final Logger log = LoggerFactory.getLogger(HotPochatoServer.class);

    private final ServerOptions options;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup workers;
    private final EventLoopGroup admin;
    private final ChannelGroup channels;
    private final RoomStore rooms;
    /** Cluster mode's connection to Redis; null when the rooms live in memory. */
    private final RedisEngine redis;
    /** Cluster mode's heartbeat and watch over the other nodes; null when the rooms live in memory. */
    private final NodeLiveness liveness;
    /** The heartbeat's own thread, so that busy event loops do not delay it; null when the rooms live in memory. */
    private final EventExecutor livenessExecutor;
    /** The node listens, so that being fenced closes it. Liveness executor only. */
    private boolean listening;
    /** Completed once the cluster declared this node dead and it stopped serving ({@link #closeFenced}). */
    private final java.util.concurrent.CompletableFuture<Void> fenced = new java.util.concurrent.CompletableFuture<>();
    /** Cluster mode's lobby in Redis; null when the rooms live in memory. */
    private final ClusterMatchmaker clusterLobby;
    private final ServerTls tls;
    private final PrometheusMeterRegistry registry;
    private final ServerMetrics metrics;
    private final RuntimeMetrics runtimeMetrics;
    private final Health health;
    private final ServerInitializer initializer;
    private final Channel serverChannel;
    /** The web page and WebSocket listener; null unless {@link ServerOptions#httpPort()} asks for one. */
    private final Channel webChannel;
    private final AdminServer adminServer;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Object reloadLock = new Object();

    private HotPochatoServer(ServerOptions options) throws InterruptedException {
        this.options = options;
        ServerInitializer[] nodeSessions = new ServerInitializer[1];
        // Checked before any thread starts: a bad certificate or key is one clear line, and no server.
        this.tls = options.tlsCertificate() == null ? null : ServerTls.load(options.tlsCertificate(), options.tlsPrivateKey());
        InetAddress bindAddress = resolve(options.bindAddress(), "bindAddress");
        InetAddress adminBindAddress = options.adminPort() == ServerOptions.NO_ADMIN_PORT ? null
                : resolve(options.adminBindAddress(), "adminBindAddress");

        Transport transport = Transport.best();
        this.acceptor = transport.newGroup(1, "hotpochato-accept");
        // One loop per core by default: more loops than cores only adds wake-ups and hops between them.
        int threads = options.workerThreads() > 0 ? options.workerThreads() : Runtime.getRuntime().availableProcessors();
        this.workers = transport.newGroup(threads, "hotpochato-io");
        this.admin = options.adminPort() == ServerOptions.NO_ADMIN_PORT ? null : transport.newGroup(1, "hotpochato-admin");
        this.channels = new DefaultChannelGroup("hotpochato-clients", GlobalEventExecutor.INSTANCE);
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.runtimeMetrics = RuntimeMetrics.bind(registry, workers);
        this.metrics = new ServerMetrics(registry);
        if (tls != null) {
            metrics.tlsCertificateExpires(tls.notAfter());
        }
        this.health = new Health(workers);

        // Each worker event loop also owns a shard of the rooms, with its own output.
        List<RoomShard> shards = new ArrayList<>();
        RoomSettings defaults = new RoomSettings(options.turnTimeout().toMillis(), options.maxMembersPerRoom(), "",
                false, options.maxTextBytes(), options.historySize());
        Lobby matchmaker;
        if (options.cluster() == null) {
            for (EventExecutor loop : workers) {
                shards.add(new RoomShard(loop, new ScheduledTurnClock(loop), new ChannelOutput(), PooledByteBufAllocator.DEFAULT,
                        metrics));
            }
            MemoryRoomStore store = new MemoryRoomStore(shards, defaults);
            this.rooms = store;
            this.redis = null;
            this.liveness = null;
            this.livenessExecutor = null;
            this.clusterLobby = null;
            matchmaker = new Matchmaker(store, shards.get(0));
        } else {
            // Cluster mode: the rooms live in Redis; each loop keeps a shard of the rooms with members here.
            ClusterRoomStore[] store = new ClusterRoomStore[1];
            try {
                this.redis = RedisEngine.connect(options.cluster(), java.time.Duration.ofSeconds(5),
                        options.clusterNodeTimeout(), options.clusterCa(), new RedisEngine.Channels() {
                            @Override
                            public void published(String room, byte[] message) {
                                store[0].published(room, message);
                            }

                            @Override
                            public void subscribed(String room) {
                                store[0].subscribed(room);
                            }

                            @Override
                            public void node(String message) {
                                // "moved <sid>": another node took one of this node's sessions.
                                ServerInitializer sessions = nodeSessions[0];
                                if (message.startsWith("moved ") && sessions != null) {
                                    sessions.sessionMoved(Long.parseLong(message.substring(6)));
                                }
                            }
                        });
            } catch (RuntimeException e) {
                shutdownGroups();
                runtimeMetrics.close();
                registry.close();
                throw e;
            }
            // Heartbeats from now on, on a thread of their own: the first one, set as Redis gave this
            // node its generation, lives only the node timeout, however long the rest of the start takes.
            this.livenessExecutor = new DefaultEventExecutor(new DefaultThreadFactory("hotpochato-liveness", true));
            this.liveness = new NodeLiveness(redis, livenessExecutor, options.clusterHeartbeat(),
                    options.clusterNodeTimeout(), new NodeLiveness.Listener() {
                        @Override
                        public void dead(long generation) {
                            nodeSessions[0].adoptSessionsOf(generation); // set: others are watched once it serves
                        }

                        @Override
                        public void fenced() {
                            if (listening) {
                                closeFenced();
                            } // else the start fails: failIfFencedWhileStarting
                        }
                    });
            liveness.start();
            List<ClusterRoomStore.Loop> loops = new ArrayList<>();
            for (EventExecutor loop : workers) {
                loops.add(new ClusterRoomStore.Loop(loop, new ScheduledTurnClock(loop), new ChannelOutput()));
            }
            store[0] = new ClusterRoomStore(redis, loops, defaults, PooledByteBufAllocator.DEFAULT, metrics);
            this.rooms = store[0];
            Health.Condition engine = health.condition("engine");
            redis.watchReachability(why -> {
                if (why == null) {
                    engine.up();
                } else {
                    engine.down(why);
                }
            });
            // Strangers wait in a lobby in Redis, whichever node they are on; pair rooms' names carry
            // the generation of the node that makes them, so they are unique across the cluster.
            java.util.concurrent.atomic.AtomicLong pairs = new java.util.concurrent.atomic.AtomicLong();
            long generation = redis.generation();
            this.clusterLobby = new ClusterMatchmaker(redis, store[0], workers.next(),
                    () -> Matchmaker.PRIVATE_PREFIX + "pair-" + generation + "-" + pairs.incrementAndGet(), metrics);
            try {
                clusterLobby.start(java.time.Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                liveness.close();
                shutdownGroups();
                redis.close();
                runtimeMetrics.close();
                registry.close();
                throw e;
            }
            matchmaker = clusterLobby;
        }

        if (redis == null) {
            this.initializer = new ServerInitializer(options, rooms, matchmaker, tls == null ? null : tls.context(), channels,
                    metrics, null);
        } else {
            // Unique across the cluster: the node's generation (never reused) above a counter of its own.
            java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong(redis.generation() << 32);
            this.initializer = new ServerInitializer(options, rooms, matchmaker, tls == null ? null : tls.context(),
                    channels, metrics, ids::incrementAndGet, new SessionDirectory(redis), workers::next,
                    liveness::confirmed);
            nodeSessions[0] = initializer;
        }
        try {
            this.serverChannel = bind("bindAddress, port", options.bindAddress(), options.port(), new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(transport.serverChannelType())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .handler(new AcceptedConnections(metrics))
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                            options.writeBufferHighWaterMark() / 2, options.writeBufferHighWaterMark()))
                    .childHandler(initializer)
                    .localAddress(bindAddress, options.port()));
            this.webChannel = options.httpPort() == ServerOptions.HTTP_OFF ? null
                    : bindWeb(transport, bindAddress, initializer);
            this.adminServer = admin == null ? null : startAdmin(transport, adminBindAddress);
            if (liveness != null) {
                failIfFencedWhileStarting();
                liveness.watchOthers();
            }
        } catch (InterruptedException | RuntimeException e) {
            if (liveness != null) {
                liveness.close();
            }
            shutdownGroups();
            if (redis != null) {
                redis.close();
            }
            runtimeMetrics.close();
            registry.close();
            throw e;
        }
        health.serving();
        log.info("HotPochato {} listening on {} ({}{} transport, {} room shards{}){}", VERSION,
                hostAndPort(options.bindAddress(), port()), tls == null ? "" : "TLS over ",
                transport.name().toLowerCase(Locale.ROOT), threads, redis == null ? "" : ", cluster node " + redis.generation(),
                adminServer == null ? "" : "; admin on http://" + hostAndPort(options.adminBindAddress(),
                        adminServer.localAddress().getPort()));
        if (webChannel != null) {
            log.info("Web page and WebSocket clients at {}", webUrl());
        }
        if (tls != null) {
            log.info("TLS certificate {}, valid until {}", tls.certificate().getSubjectX500Principal().getName(), tls.notAfter());
        }
    }

    /**
     * A node declared dead before it listened (paused longer than the node timeout while starting)
     * must not serve: Redis refuses its commits. It does not start, saying so; from here on, being
     * declared dead closes it ({@link #closeFenced}).
     */
    private void failIfFencedWhileStarting() throws InterruptedException {
        boolean fenced;
        try {
            fenced = livenessExecutor.submit(() -> {
                listening = true;
                return liveness.isFenced();
            }).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (fenced) {
            serverChannel.close();
            if (webChannel != null) {
                webChannel.close();
            }
            if (adminServer != null) {
                adminServer.close();
            }
            throw new IllegalStateException("--cluster: another node declared this one (generation " + redis.generation()
                    + ") dead while it started: its heartbeat lapsed (--cluster-node-timeout "
                    + options.clusterNodeTimeout().toMillis() + " ms); start it again");
        }
    }

    /** The web port: the page and WebSocket clients, whose sessions get {@code initializer}'s handlers. */
    private Channel bindWeb(Transport transport, InetAddress bindAddress, ServerInitializer initializer)
            throws InterruptedException {
        try {
            return bind("bindAddress, httpPort", options.bindAddress(), options.httpPort(), new ServerBootstrap()
                    .group(acceptor, workers)
                    .channel(transport.serverChannelType())
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                            options.writeBufferHighWaterMark() / 2, options.writeBufferHighWaterMark()))
                    .childHandler(new WebInitializer(options, tls == null ? null : tls.context(), initializer, channels,
                            metrics))
                    .localAddress(bindAddress, options.httpPort()));
        } catch (InterruptedException | RuntimeException e) {
            serverChannel.close();
            throw e;
        }
    }

    private AdminServer startAdmin(Transport transport, InetAddress address) throws InterruptedException {
        try {
            return AdminServer.start(address.getHostAddress(), options.adminPort(), admin, transport.serverChannelType(),
                    registry, health, this::reload);
        } catch (InterruptedException e) {
            serverChannel.close();
            throw e;
        } catch (Exception e) {
            serverChannel.close();
            throw cannotListen("adminBindAddress, adminPort", options.adminBindAddress(), options.adminPort(), e);
        }
    }

    /** Binds, turning a failure into one line that says where, which options, and why. */
    private static Channel bind(String optionNames, String host, int port, ServerBootstrap bootstrap)
            throws InterruptedException {
        try {
            return bootstrap.bind().sync().channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) { // sync() rethrows the bind's IOException, unchecked
            throw cannotListen(optionNames, host, port, e);
        }
    }

    private static UncheckedIOException cannotListen(String optionNames, String host, int port, Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        // Netty's native transport says "bind(..) failed with error(-98): Address already in use".
        why = why.substring(why.lastIndexOf(": ") + 1).trim();
        BindException bind = new BindException("cannot listen on " + hostAndPort(host, port) + " (" + optionNames + "): " + why);
        bind.initCause(e);
        return new UncheckedIOException(bind.getMessage(), bind);
    }

    private static InetAddress resolve(String host, String optionName) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(optionName + " " + host + " is not an address or a known host name");
        }
    }

    /** {@code 0.0.0.0:7447}, {@code [::1]:7447}, {@code localhost:7447}: the address as it was given. */
    static String hostAndPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Binds as {@code options} say and starts serving.
     *
     * @throws IllegalArgumentException an option it cannot use (a TLS file, an unknown address), named by
     *                                  its {@link ServerOptions} accessor: {@code tlsPrivateKey key.pem does not
     *                                  belong to the certificate in tlsCertificate cert.pem ...}
     * @throws java.io.UncheckedIOException a port it cannot listen on (its cause a {@link BindException}):
     *                                  {@code cannot listen on 0.0.0.0:7447 (bindAddress, port): Address already in use}
     */
    public static HotPochatoServer start(ServerOptions options) throws InterruptedException {
        return new HotPochatoServer(options);
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The bound port (useful when the options asked for port 0). */
    public int port() {
        return localAddress().getPort();
    }

    /** The address of the web page and WebSocket listener, or null when {@link ServerOptions#httpPort()} is off. */
    public InetSocketAddress webAddress() {
        return webChannel == null ? null : (InetSocketAddress) webChannel.localAddress();
    }

    /**
     * The page's address as a browser on this machine would type it ({@code http://localhost:7480/},
     * https with TLS), or null when the web listener is off. A wildcard bind is shown as localhost.
     */
    public String webUrl() {
        InetSocketAddress a = webAddress();
        if (a == null) {
            return null;
        }
        String host = a.getAddress().isAnyLocalAddress() ? "localhost"
                : a.getAddress() instanceof Inet6Address ? "[" + a.getAddress().getHostAddress() + "]"
                : a.getAddress().getHostAddress();
        return (tls == null ? "http" : "https") + "://" + host + ":" + a.getPort() + "/";
    }

    public ServerOptions options() {
        return options;
    }

    /** How many client connections are open now. */
    public int connectionCount() {
        return channels.size();
    }

    /** Where the admin listener is bound; null without one ({@link ServerOptions#adminPort()}). */
    public InetSocketAddress adminAddress() {
        return adminServer == null ? null : adminServer.localAddress();
    }

    /** The server's metrics, to record with. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** The registry that holds every meter, the server's and the JVM's, as {@code /metrics} shows it. */
    public MeterRegistry meterRegistry() {
        return registry;
    }

    /** The worker event loops; for tests in this package. */
    EventLoopGroup workers() {
        return workers;
    }

    /** Readiness and liveness, as the admin listener reports them; add conditions here. */
    public Health health() {
        return health;
    }

    /**
     * Reads the token file ({@link TokenFileAuthenticator}) and the TLS certificate and key again,
     * checks them as at start, and uses them for new connections; connections and rooms stay as they
     * are. Each part that fails keeps what it had. Called on SIGHUP by the server program and by
     * {@code POST /reload} on the admin port; any thread but the server's own.
     *
     * @return what was reloaded, in a few words
     * @throws IllegalStateException saying what could not be reloaded (the rest was)
     */
    public String reload() {
        synchronized (reloadLock) { // SIGHUP and POST /reload may come together; the turn path never takes it
            return reloadFiles();
        }
    }

    private String reloadFiles() {
        List<String> done = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        if (options.authenticator() instanceof TokenFileAuthenticator tokens) {
            try {
                tokens.reload();
                int count = tokens.tokenCount();
                done.add(count + (count == 1 ? " token" : " tokens") + " from " + tokens.file());
            } catch (IOException e) {
                failed.add(options.optionNames().apply(e.getMessage()) + "; the previous tokens stay");
            }
        }
        if (tls != null) {
            try {
                tls.reload();
                metrics.tlsCertificateExpires(tls.notAfter());
                done.add("the TLS certificate " + tls.certificate().getSubjectX500Principal().getName() + " valid until "
                        + tls.notAfter());
            } catch (IllegalArgumentException e) {
                failed.add(options.optionNames().apply(e.getMessage()) + "; the previous certificate stays");
            }
        }
        metrics.configReloaded(failed.isEmpty());
        String summary = done.isEmpty() ? "nothing (no token file, no TLS)" : String.join(" and ", done);
        if (!failed.isEmpty()) {
            log.warn("reload failed: {}{}", String.join("; ", failed), done.isEmpty() ? "" : "; reloaded " + summary);
            throw new IllegalStateException(String.join("; ", failed));
        }
        log.info("reloaded {}", summary);
        return summary;
    }

    /**
     * Bytes queued for clients and not yet written to their sockets, over every connection: what
     * slow readers cost the server (each is cut off at {@link ServerOptions#maxPendingOutboundBytes()}).
     */
    public long pendingOutboundBytes() {
        long pending = 0;
        for (Channel ch : channels) {
            pending += ServerInitializer.pendingBytes(ch);
        }
        return pending;
    }

    /** How many sessions the server keeps: connected ones, and those away within their resume grace period. */
    public int sessionCount() {
        return initializer.resumableSessions();
    }

    /**
     * Stops gracefully: no new connections; every room is closed with a reason; every client gets
     * {@code Error(SERVER_SHUTTING_DOWN)} and is disconnected; then the threads stop. Returns within
     * about {@link ServerOptions#shutdownTimeout()}. Idempotent. It waits for the server's own
     * threads, so it must not be called on one of them (a handler, a room task).
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        health.stopping(); // load balancers polling /health/ready stop sending clients from now on
        drain(options.shutdownDrainDelay());
        long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
        serverChannel.close().awaitUninterruptibly(remainingMillis(deadline));
        if (webChannel != null) {
            webChannel.close().awaitUninterruptibly(remainingMillis(deadline));
        }
        if (clusterLobby != null) {
            clusterLobby.stop(); // no other node pairs with this node's waiters any more
        }
        try {
            rooms.closeAll("the server is shutting down").get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("rooms did not close in time: {}", e.toString());
        }
        var bye = Frames.fatal(0, Error.Code.SERVER_SHUTTING_DOWN, "the server is shutting down");
        for (Channel ch : channels) {
            ch.writeAndFlush(bye).addListener(ChannelFutureListener.CLOSE);
        }
        for (Channel ch : channels) {
            ch.closeFuture().awaitUninterruptibly(remainingMillis(deadline));
        }
        channels.close().awaitUninterruptibly(remainingMillis(deadline));
        if (adminServer != null) {
            adminServer.close();
        }
        if (liveness != null) {
            // Its sessions end (their members left their rooms above) and it stops counting as alive.
            if (rooms instanceof ClusterRoomStore cluster) {
                cluster.leavingCluster();
            }
            try {
                liveness.stop().toCompletableFuture().get(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("the node did not leave the cluster in time: {}", e.toString());
            }
        }
        shutdownGroups();
        if (rooms instanceof ClusterRoomStore cluster) {
            cluster.logRefusedWhileStopping();
        }
        if (redis != null) {
            redis.close();
        }
        runtimeMetrics.close();
        registry.close();
        log.info("HotPochato stopped");
    }

    /**
     * Keeps serving for {@code delay} while /health/ready says 503, so that load balancers see it
     * before the goodbyes. Waits on the caller's thread (never an event loop's); an interrupt ends the
     * wait early and stays set.
     */
    private static void drain(java.time.Duration delay) {
        if (delay.isZero()) {
            return;
        }
        log.info("not ready; serving {} ms more before shutting down", delay.toMillis());
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The cluster declared this node dead while it could not heartbeat (a long pause, a partition):
     * other nodes have its sessions now, and Redis refuses its commits. It stops serving: no new
     * connections, and every client is told to resume elsewhere ({@code SERVER_SHUTTING_DOWN},
     * which leaves the session resumable). {@link #close} still has to be called.
     */
    private void closeFenced() {
        health.condition("cluster").down("fenced: the cluster declared this node dead; restart it");
        if (serverChannel != null) { // null while the node is still starting
            serverChannel.close();
        }
        if (webChannel != null) {
            webChannel.close();
        }
        var bye = Frames.fatal(0, Error.Code.SERVER_SHUTTING_DOWN, NodeStanding.FENCED_GOODBYE);
        for (Channel ch : channels) {
            ch.writeAndFlush(bye).addListener(ChannelFutureListener.CLOSE);
        }
        fenced.complete(null);
    }

    /**
     * Completes (on the liveness thread) once the cluster declared this node dead and it stopped
     * serving: the program then stops it and exits, so that its supervisor starts a new node in its
     * place (a new generation). Never completes outside cluster mode.
     */
    public java.util.concurrent.CompletionStage<Void> whenFenced() {
        return fenced;
    }

    /** Whether the cluster declared this node dead (it then serves nothing): for tests and health. */
    boolean isFenced() {
        return liveness != null && liveness.isFenced();
    }

    /** Stops (or restarts) this node's heartbeats, as a paused node's: for tests of fencing. */
    void pauseHeartbeats(boolean paused) {
        if (paused) {
            liveness.pause();
        } else {
            liveness.resume();
        }
    }

    private void shutdownGroups() {
        List<EventExecutorGroup> groups = new ArrayList<>(admin == null ? List.of(acceptor, workers)
                : List.of(acceptor, workers, admin));
        if (livenessExecutor != null) {
            groups.add(livenessExecutor);
        }
        for (EventExecutorGroup group : groups) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        for (EventExecutorGroup group : groups) {
            group.terminationFuture().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
    }

    /**
     * On the listening channel: counts each accepted connection, and its close. A handler of the
     * server channel's own pipeline, not of the clients' (that is {@link ServerInitializer}'s).
     */
    @Sharable
    private static final class AcceptedConnections extends ChannelInboundHandlerAdapter {
        private final ServerMetrics metrics;
        private final ChannelFutureListener closed;

        AcceptedConnections(ServerMetrics metrics) {
            this.metrics = metrics;
            this.closed = f -> metrics.connectionClosed(ServerMetrics.Transport.TCP);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                metrics.connectionOpened(ServerMetrics.Transport.TCP);
                child.closeFuture().addListener(closed);
            }
            ctx.fireChannelRead(msg);
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }
}
