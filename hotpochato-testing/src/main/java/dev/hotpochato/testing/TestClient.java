package dev.hotpochato.testing;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.codec.FrameDecoder;
import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Invite;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Pass;
import dev.hotpochato.protocol.v1.Ping;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Resume;
import dev.hotpochato.protocol.v1.Say;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.protocol.v1.Welcome;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.protobuf.ProtobufDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Promise;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A raw protocol client for tests: sends any frame (or any bytes), and hands back what the server
 * sent, in order, with a timeout instead of sleeps. Not the client library: it checks nothing, so
 * tests can break the protocol on purpose.
 */
public final class TestClient implements AutoCloseable {

    /** Long enough for a loaded CI machine; only reached when a test is about to fail anyway. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final EventLoopGroup GROUP =
            new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("test-client", true), NioIoHandler.newFactory());

    private final Channel channel;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private static final Object CLOSED = new Object();
    private String name;

    private Welcome welcome;
    /** The latest seq read by the test, per room: what a real client would resume from. */
    private final Map<String, Long> lastSeq = new HashMap<>();

    private TestClient(InetSocketAddress server, SslContext tls) throws InterruptedException {
        this(server, ch -> {
            if (tls != null) {
                ch.pipeline().addLast(tls.newHandler(ch.alloc(), server.getHostString(), server.getPort()));
            }
            ch.pipeline()
                    .addLast(new FrameDecoder(16 * 1024 * 1024))
                    .addLast(new ProtobufDecoder(ServerFrame.getDefaultInstance()))
                    .addLast(FrameEncoder.INSTANCE);
        });
    }

    /**
     * @param framing adds the handlers that turn the connection's bytes into {@code ServerFrame}s and
     *                {@code ClientFrame}s into bytes; they may hold back {@code channelActive} until
     *                the connection is ready for frames (a WebSocket handshake)
     */
    private TestClient(InetSocketAddress server, Consumer<SocketChannel> framing)
            throws InterruptedException {
        Promise<Void> ready = GROUP.next().newPromise();
        this.channel = new Bootstrap()
                .group(GROUP)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        framing.accept(ch);
                        ch.pipeline()
                                .addLast(new SimpleChannelInboundHandler<ServerFrame>() {
                                    @Override
                                    public void channelActive(ChannelHandlerContext ctx) {
                                        ready.trySuccess(null);
                                        ctx.fireChannelActive();
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ServerFrame msg) {
                                        inbox.add(msg);
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        ready.tryFailure(new IllegalStateException("closed before it was ready"));
                                        inbox.add(CLOSED);
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        ready.tryFailure(cause);
                                        if (!(cause instanceof java.io.IOException)) {
                                            inbox.add(cause); // a reset by the server is just a close
                                        }
                                        ctx.close();
                                    }
                                });
                    }
                })
                .connect(server)
                .sync()
                .channel();
        if (!ready.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            channel.close();
            fail(this + ": the connection was not ready within " + TIMEOUT);
        }
        if (!ready.isSuccess()) {
            channel.close();
            throw new AssertionError(this + ": could not connect", ready.cause());
        }
    }

    /**
     * Connects to the WebSocket endpoint of a server's web port, with {@code subprotocol}
     * ({@code hotpochato.v1.proto} or {@code hotpochato.v1.json}), without saying anything. Frames
     * go one per message; {@link #sendRaw} sends its bytes as one message (binary, or text for JSON).
     */
    public static TestClient webSocket(InetSocketAddress server, String subprotocol) throws InterruptedException {
        return new TestClient(server, ch -> WebSocketFraming.install(ch, server, subprotocol));
    }

    /** Connects to a server's WebSocket endpoint and completes the handshake as {@code name}. */
    public static TestClient webSocketHello(InetSocketAddress server, String subprotocol, String name)
            throws InterruptedException {
        TestClient c = webSocket(server, subprotocol);
        c.hello(name, "");
        return c;
    }

    /** On a fresh WebSocket, takes back the session of {@code lost}, which saw up to {@code lastSeq} per room. */
    public static TestClient webSocketResume(InetSocketAddress server, String subprotocol, TestClient lost,
                                             Map<String, Long> lastSeq) throws InterruptedException {
        TestClient c = webSocket(server, subprotocol);
        c.name = lost.name;
        c.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                .setResumeToken(lost.welcome.getResumeToken())
                .putAllLastSeq(lastSeq)));
        c.welcome = c.expect(ServerFrame.BodyCase.WELCOME).getWelcome();
        return c;
    }

    /** Sends a WebSocket text message as it is (any text, JSON or not). */
    public void sendText(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text))
                .syncUninterruptibly();
    }

    /** The WebSocket close frame the server sent, or null (none yet, or not a WebSocket). */
    public WebSocketCloseStatus closeStatus() {
        return WebSocketFraming.closeStatus(channel);
    }

    /** Connects without saying anything. */
    public static TestClient connect(InetSocketAddress server) throws InterruptedException {
        return new TestClient(server, (SslContext) null);
    }

    /** Connects over TLS (with {@code tls} a client context) without saying anything. */
    public static TestClient connect(InetSocketAddress server, SslContext tls) throws InterruptedException {
        return new TestClient(server, tls);
    }

    /** Connects and completes the handshake as {@code name}. */
    public static TestClient hello(InetSocketAddress server, String name) throws InterruptedException {
        TestClient c = connect(server);
        c.hello(name, "");
        return c;
    }

    /** Sends Hello as {@code name} with {@code authToken}, and expects Welcome. */
    public Welcome hello(String name, String authToken) throws InterruptedException {
        this.name = name;
        send(ClientFrame.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName(name).setAuthToken(authToken)));
        welcome = expect(ServerFrame.BodyCase.WELCOME).getWelcome();
        return welcome;
    }

    /** Sends Hello as {@code name} (without waiting for the write) and returns the server's first reply. */
    public ServerFrame sendHelloAndRead(String name) throws InterruptedException {
        this.name = name;
        sendAndForget(ClientFrame.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName(name)));
        return next();
    }

    /** On a fresh connection, takes back the session of {@code lost}, which saw up to {@code lastSeq} per room. */
    public static TestClient resume(InetSocketAddress server, TestClient lost, Map<String, Long> lastSeq)
            throws InterruptedException {
        TestClient c = connect(server);
        c.name = lost.name;
        c.send(ClientFrame.newBuilder().setResume(Resume.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1)
                .setResumeToken(lost.welcome.getResumeToken())
                .putAllLastSeq(lastSeq)));
        c.welcome = c.expect(ServerFrame.BodyCase.WELCOME).getWelcome();
        return c;
    }

    /** The latest seq of {@code room} that the test has read; 0 if none. */
    public long lastSeq(String room) {
        return lastSeq.getOrDefault(room, 0L);
    }

    /** The Welcome of this client's handshake. */
    public Welcome welcome() {
        return welcome;
    }

    /** Pings the server every {@code interval} from now on, as a live client does; Pongs land in the inbox. */
    public void keepAlive(Duration interval) {
        channel.eventLoop().scheduleAtFixedRate(() -> channel.writeAndFlush(ClientFrame.newBuilder()
                        .setPing(Ping.newBuilder().setNonce(-1)).build()),
                0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops reading from the socket, as a client that has stalled would. */
    public void stopReading() {
        channel.config().setAutoRead(false);
    }

    /** Reads from the socket again after {@link #stopReading()}. */
    public void startReading() {
        channel.config().setAutoRead(true);
    }

    /** Sends {@code frame} with a fresh request id (unless it has one) without flushing; see {@link #flush()}. */
    public long write(ClientFrame.Builder frame) {
        if (frame.getRequestId() == 0) {
            frame.setRequestId(nextRequestId.getAndIncrement());
        }
        channel.write(frame.build());
        return frame.getRequestId();
    }

    /** Flushes what {@link #write} queued. */
    public void flush() {
        channel.flush();
    }

    public String name() {
        return name;
    }

    /** Sends {@code frame} with a fresh request id (unless it has one), and returns the id. */
    public long send(ClientFrame.Builder frame) {
        if (frame.getRequestId() == 0) {
            frame.setRequestId(nextRequestId.getAndIncrement());
        }
        channel.writeAndFlush(frame.build()).syncUninterruptibly();
        return frame.getRequestId();
    }

    /**
     * Sends {@code frame} without waiting for the write: for frames pipelined behind one the server
     * may answer by closing the connection.
     */
    public void sendAndForget(ClientFrame.Builder frame) {
        if (frame.getRequestId() == 0) {
            frame.setRequestId(nextRequestId.getAndIncrement());
        }
        channel.writeAndFlush(frame.build());
    }

    /** Sends bytes as they are, framing and all. */
    public void sendRaw(byte[] bytes) {
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).syncUninterruptibly();
    }

    public long join(String room) {
        return send(ClientFrame.newBuilder().setJoin(Join.newBuilder().setRoom(room)));
    }

    public long say(String room, String text) {
        return send(ClientFrame.newBuilder().setSay(Say.newBuilder().setRoom(room).setText(text)));
    }

    public long pass(String room) {
        return send(ClientFrame.newBuilder().setPass(Pass.newBuilder().setRoom(room)));
    }

    /** The next frame from the server; fails if none comes in time or the connection closed. */
    public ServerFrame next() throws InterruptedException {
        Object o = inbox.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (o == null) {
            fail(this + ": no frame from the server within " + TIMEOUT);
        }
        if (o == CLOSED) {
            inbox.add(CLOSED);
            fail(this + ": the connection closed while a frame was expected");
        }
        if (o instanceof Throwable t) {
            throw new AssertionError(this + ": pipeline error", t);
        }
        ServerFrame frame = (ServerFrame) o;
        long seq = frame.hasJoined() ? frame.getJoined().getRoom().getLastSeq() : RoomEvents.seq(frame);
        if (seq > 0) {
            lastSeq.put(RoomEvents.room(frame), seq);
        }
        return frame;
    }

    /**
     * The next frame, or null once the server has closed the connection: for clients whose
     * connection may or may not survive what they sent. Fails if neither comes in time.
     */
    public ServerFrame nextOrClosed() throws InterruptedException {
        Object o = inbox.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (o == CLOSED) {
            inbox.add(CLOSED); // stays closed for the next call
            return null;
        }
        if (o == null) {
            fail(this + ": neither a frame nor a close from the server within " + TIMEOUT);
        }
        if (o instanceof Throwable t) {
            throw new AssertionError(this + ": pipeline error", t);
        }
        return (ServerFrame) o;
    }

    /** The next frame, which must be of {@code kind}. */
    public ServerFrame expect(ServerFrame.BodyCase kind) throws InterruptedException {
        ServerFrame f = next();
        assertEquals(kind, f.getBodyCase(), () -> this + ": expected " + kind + " but got " + f);
        return f;
    }

    /** The next frame, which must be an error with {@code code}. */
    public Error expectError(Error.Code code) throws InterruptedException {
        ServerFrame f = expect(ServerFrame.BodyCase.ERROR);
        assertEquals(code, f.getError().getCode(), () -> this + ": wrong error " + f);
        return f.getError();
    }

    /** Skips frames until one matches; returns it. */
    public ServerFrame await(Predicate<ServerFrame> match) throws InterruptedException {
        List<ServerFrame> skipped = new ArrayList<>();
        while (true) {
            ServerFrame f = next();
            if (match.test(f)) {
                return f;
            }
            skipped.add(f);
            if (skipped.size() > 10_000) {
                fail(this + ": no matching frame among " + skipped.size());
            }
        }
    }

    /**
     * Asserts that the server sent nothing else so far. The server answers a Ping on the
     * connection's own thread, so this is exact only for frames that thread sends; for room events
     * use {@link #expectNothingMore(String)}.
     */
    public void expectNothingMore() throws InterruptedException {
        long nonce = System.nanoTime();
        send(ClientFrame.newBuilder().setPing(Ping.newBuilder().setNonce(nonce)));
        ServerFrame f = next();
        assertTrue(f.hasPong() && f.getPong().getNonce() == nonce, () -> this + ": expected nothing, got " + f);
    }

    /** Asserts that {@code room} sent this member nothing else so far (see {@link #drain(String)}). */
    public void expectNothingMore(String room) throws InterruptedException {
        List<ServerFrame> frames = drain(room);
        assertTrue(frames.isEmpty(), () -> this + ": expected nothing from " + room + ", got " + frames);
    }

    /**
     * Everything {@code room} has sent this member so far. A room answers its members in order, so
     * the answer to a harmless request that only the room itself handles (an Invite, which the
     * creator gets Invited for and anyone else NOT_INVITED) marks the end; it is not returned.
     */
    public List<ServerFrame> drain(String room) throws InterruptedException {
        long barrier = send(ClientFrame.newBuilder().setInvite(Invite.newBuilder()
                .setRoom(room).setDisplayName("barrier")));
        List<ServerFrame> frames = new ArrayList<>();
        while (true) {
            ServerFrame f = next();
            if (f.getRequestId() == barrier) {
                assertTrue(f.hasInvited() || f.getError().getCode() == Error.Code.NOT_INVITED,
                        () -> this + ": not a member of " + room + ": " + f);
                return frames;
            }
            frames.add(f);
        }
    }

    /** Waits until the server has closed the connection; frames still unread are discarded. */
    public void expectClosed() throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Object o = inbox.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (o == CLOSED) {
                return;
            }
            if (o == null) {
                fail(this + ": the server did not close the connection within " + TIMEOUT);
            }
        }
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public Channel channel() {
        return channel;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }

    @Override
    public String toString() {
        return "TestClient(" + (name == null ? channel.localAddress() : name) + ")";
    }
}
