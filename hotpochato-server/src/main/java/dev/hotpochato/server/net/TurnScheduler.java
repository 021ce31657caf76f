package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.RoomList;
import dev.hotpochato.protocol.v1.Say;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.Frames;
import dev.hotpochato.server.room.Room;
import dev.hotpochato.server.room.RoomSettings;
import dev.hotpochato.server.room.RoomShard;
import dev.hotpochato.server.room.Rooms;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

import java.util.function.Consumer;

/**
 * Hands a session's room commands to the rooms: checks what it can without a room (names, text,
 * options, the allowance of password attempts), then finds the room's shard, hops onto its thread
 * and calls the rule there. Holds no state of its own, so one instance serves every connection.
 */
@ChannelHandler.Sharable
final class TurnScheduler extends ChannelInboundHandlerAdapter {

    private final Rooms rooms;
    /** The longest turn a Join may ask for; 0 for no cap. */
    private final long maxTurnTimeoutMillis;

    TurnScheduler(Rooms rooms, long maxTurnTimeoutMillis) {
        this.rooms = rooms;
        this.maxTurnTimeoutMillis = maxTurnTimeoutMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientFrame frame = (ClientFrame) msg;
        ServerSession session = ctx.channel().attr(ServerSession.KEY).get();
        long requestId = frame.getRequestId();
        switch (frame.getBodyCase()) {
            case JOIN -> join(ctx, session, requestId, frame.getJoin());
            case LEAVE -> inRoom(session, requestId, frame.getLeave().getRoom(),
                    room -> room.leave(session, requestId, MemberLeft.Reason.LEFT));
            case SAY -> say(session, requestId, frame.getSay());
            case PASS -> inRoom(session, requestId, frame.getPass().getRoom(),
                    room -> room.pass(session, requestId));
            case INVITE -> invite(session, requestId, frame.getInvite().getRoom(), frame.getInvite().getDisplayName());
            case MATCH -> session.match(requestId);
            case CANCEL_MATCH -> session.cancelMatch(requestId);
            case LIST_ROOMS -> rooms.listPublic().thenAccept(list -> session.send(
                    ServerFrame.newBuilder().setRequestId(requestId)
                            .setRoomList(RoomList.newBuilder().addAllRooms(list)).build()));
            default -> throw new ProtocolException(Error.Code.PROTOCOL_VIOLATION,
                    frame.getBodyCase() + " is not valid here", requestId);
        }
    }

    private void join(ChannelHandlerContext ctx, ServerSession session, long requestId, Join join) {
        String name = join.getRoom();
        String problem = NameRules.checkRoomName(name);
        if (problem != null) {
            session.send(Frames.error(requestId, Error.Code.INVALID_ROOM_NAME, problem, name));
            return;
        }
        // Checked whether or not this Join would create the room, so that the answer does not
        // depend on who got there first.
        problem = RoomSettings.checkRequested(join.getOptions(), maxTurnTimeoutMillis);
        if (problem != null) {
            session.send(Frames.error(requestId, Error.Code.INVALID_OPTION, problem, name));
            return;
        }
        // A Join carrying a password is an attempt at it: it takes one from the session's and the
        // address's allowances, and gives it back if it lets the session in.
        boolean attempt = !join.getPassword().isEmpty();
        AddressLedger.Place place = ctx.channel().attr(ConnectionLimiter.PLACE).get();
        if (attempt && !AddressLedger.tryAttempt(session.passwordAttempts(), place, ctx.executor().ticker().nanoTime())) {
            session.send(Frames.error(requestId, Error.Code.TOO_MANY_ATTEMPTS,
                    "too many wrong passwords; try again in a minute", name));
            return;
        }
        RoomShard shard = rooms.shardFor(name);
        shard.execute(() -> {
            shard.join(name, join.getOptions(), rooms.defaults(), session, requestId, join.getPassword());
            if (attempt) {
                Room room = shard.findVisible(name, session);
                if (room != null && room.isMember(session)) {
                    AddressLedger.attemptSucceeded(session.passwordAttempts(), place);
                }
            }
        });
    }

    private void say(ServerSession session, long requestId, Say say) {
        String problem = NameRules.checkText(say.getText());
        if (problem != null) {
            session.send(Frames.error(requestId, Error.Code.INVALID_TEXT, problem, say.getRoom()));
            return;
        }
        inRoom(session, requestId, say.getRoom(), room -> room.say(session, requestId, say.getText()));
    }

    private void invite(ServerSession session, long requestId, String room, String invitee) {
        String problem = NameRules.checkDisplayName(invitee);
        if (problem != null) {
            session.send(Frames.error(requestId, Error.Code.INVALID_NAME, problem, room));
            return;
        }
        inRoom(session, requestId, room, r -> r.invite(session, requestId, invitee));
    }

    /** Runs {@code action} on the room's thread, or answers UNKNOWN_ROOM if there is no such public room. */
    private void inRoom(ServerSession session, long requestId, String name, Consumer<Room> action) {
        RoomShard shard = rooms.shardFor(name);
        shard.execute(() -> {
            Room room = shard.findVisible(name, session);
            if (room == null) {
                session.send(Frames.error(requestId, Error.Code.UNKNOWN_ROOM,
                        "no room named " + Frames.excerpt(name), name));
            } else {
                action.accept(room);
            }
        });
    }
}
