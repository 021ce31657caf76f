package dev.hotpochato.bench.load;

import dev.hotpochato.protocol.codec.FrameEncoder;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Hello;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.Match;
import dev.hotpochato.protocol.v1.ProtocolVersion;
import dev.hotpochato.protocol.v1.Say;
import dev.hotpochato.protocol.v1.ServerFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One simulated chat client: says Hello, joins a room (or asks to be paired), and then speaks
 * whenever it is granted the turn. Lives on a load-generator event loop; all its fields but the
 * futures are touched only there.
 *
 * <p>It reads as little as it can: a {@code Said} broadcast is recognised by its first byte and
 * only counted, so that the load generator stays cheaper than the server it drives.
 */
public final class Bot extends ChannelInboundHandlerAdapter {

    /** First byte of a ServerFrame holding {@code Said} and no request id: field 8, length-delimited. */
    private static final byte SAID_TAG = (8 << 3) | 2;

    private final String name;
    private final Run run;
    private final Function<String, RoomRun> roomFor;
    private final String text;
    private final CompletableFuture<Void> welcomed = new CompletableFuture<>();
    private final CompletableFuture<Void> joined = new CompletableFuture<>();
    private volatile Channel channel;
    private RoomRun room;
    private ByteBuf sayFrame;
    private volatile boolean closing;

    /**
     * @param roomFor finds the {@link RoomRun} for the room this bot is told it joined
     * @param text    what the bot says on each of its turns
     */
    public Bot(String name, Run run, Function<String, RoomRun> roomFor, String text) {
        this.name = name;
        this.run = run;
        this.roomFor = roomFor;
        this.text = text;
    }

    public String name() {
        return name;
    }

    public Channel channel() {
        return channel;
    }

    public CompletableFuture<Void> welcomed() {
        return welcomed;
    }

    public CompletableFuture<Void> joined() {
        return joined;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        send(ClientFrame.newBuilder().setHello(Hello.newBuilder()
                .setProtocolVersion(ProtocolVersion.PROTOCOL_VERSION_1).setDisplayName(name)));
        ctx.fireChannelActive();
    }

    /** Asks to join {@code roomName}; {@link #joined()} completes with the server's Joined. */
    public CompletableFuture<Void> join(String roomName) {
        send(ClientFrame.newBuilder().setRequestId(1).setJoin(Join.newBuilder().setRoom(roomName)));
        return joined;
    }

    /** Asks to be paired; {@link #joined()} completes when the private room's Joined arrives. */
    public CompletableFuture<Void> match() {
        send(ClientFrame.newBuilder().setRequestId(1).setMatch(Match.getDefaultInstance()));
        return joined;
    }

    private void send(ClientFrame.Builder frame) {
        channel.writeAndFlush(FrameEncoder.encode(channel.alloc(), frame.build()), channel.voidPromise());
    }

    /** Writes this bot's Say; called on its event loop when it holds the turn. */
    void say() {
        channel.writeAndFlush(sayFrame.retainedDuplicate(), channel.voidPromise());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ServerFrame frame) { // from a framing that decodes by itself (JSON)
            if (frame.hasSaid()) {
                run.delivered(1);
            } else {
                handle(frame);
            }
            return;
        }
        ByteBuf body = (ByteBuf) msg;
        try {
            if (body.isReadable() && body.getByte(body.readerIndex()) == SAID_TAG) {
                run.delivered(1);
                return;
            }
            handle(ServerFrame.parseFrom(body.nioBuffer()));
        } catch (IOException e) {
            run.error(name + ": unparsable frame: " + e);
        } finally {
            ReferenceCountUtil.release(body);
        }
    }

    private void handle(ServerFrame frame) {
        switch (frame.getBodyCase()) {
            case WELCOME -> welcomed.complete(null);
            case JOINED -> {
                String roomName = frame.getJoined().getRoom().getName();
                room = roomFor.apply(roomName);
                // Encoded once: each turn writes a duplicate of the same bytes.
                ByteBuf encoded = FrameEncoder.encode(UnpooledByteBufAllocator.DEFAULT, ClientFrame.newBuilder()
                        .setSay(Say.newBuilder().setRoom(roomName).setText(text)).build());
                sayFrame = Unpooled.unreleasableBuffer(encoded);
                joined.complete(null);
            }
            case TURN_GRANTED -> {
                if (room != null && frame.getTurnGranted().getHolder().equals(name)) {
                    room.granted(this);
                }
            }
            case SAID -> run.delivered(1);
            case ERROR -> {
                String what = name + ": " + frame.getError().getCode() + " " + frame.getError().getMessage();
                run.error(what);
                welcomed.completeExceptionally(new IllegalStateException(what));
                joined.completeExceptionally(new IllegalStateException(what));
            }
            default -> {
                // MemberJoined, Paired and the like need no answer from a bot.
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!closing) {
            String what = name + ": connection closed by the server";
            if (!run.stopping()) {
                run.error(what);
            }
            welcomed.completeExceptionally(new IllegalStateException(what));
            joined.completeExceptionally(new IllegalStateException(what));
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!closing) {
            run.error(name + ": " + cause);
        }
        ctx.close();
    }

    /** Marks the coming close as intended, so that it is not reported as an error. */
    void closing() {
        closing = true;
    }

    /** Frees the bot's encoded Say; call once its channel is closed. */
    void free() {
        if (sayFrame != null) {
            sayFrame.unwrap().release();
            sayFrame = null;
        }
    }
}
