package dev.hotpochato.server.net;

import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ListRooms;
import dev.hotpochato.protocol.v1.RoomList;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.Frames;
import dev.hotpochato.server.room.RoomStore;
import dev.hotpochato.server.room.rules.LeaveReason;
import dev.hotpochato.server.room.rules.RoomCommand;
import dev.hotpochato.server.room.wire.RoomFrames;
import dev.hotpochato.server.room.wire.WireOptions;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Hands a session's room commands to the room store, which applies them on the room's own thread
 * and answers the session there. Checks here only what needs no room: names and options. Holds no
 * state of its own, so one instance serves every connection.
 */
@ChannelHandler.Sharable
final class TurnScheduler extends ChannelInboundHandlerAdapter {

    private final RoomStore rooms;
    /** The longest turn a Join may ask for; 0 for no cap. */
    private final long maxTurnTimeoutMillis;

    TurnScheduler(RoomStore rooms, long maxTurnTimeoutMillis) {
        this.rooms = rooms;
        this.maxTurnTimeoutMillis = maxTurnTimeoutMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ClientFrame frame = (ClientFrame) msg;
        ServerSession session = ctx.channel().attr(ServerSession.KEY).get();
        long requestId = frame.getRequestId();
        switch (frame.getBodyCase()) {
            case JOIN -> join(session, requestId, frame.getJoin());
            case LEAVE -> rooms.leave(session, requestId, frame.getLeave().getRoom(), LeaveReason.LEFT);
            case SAY -> rooms.say(session, requestId, frame.getSay().getRoom(), frame.getSay().getText());
            case PASS -> rooms.pass(session, requestId, frame.getPass().getRoom());
            case INVITE -> invite(session, requestId, frame.getInvite().getRoom(), frame.getInvite().getDisplayName());
            case MATCH -> session.match(requestId);
            case CANCEL_MATCH -> session.cancelMatch(requestId);
            case LIST_ROOMS -> listRooms(session, requestId, frame.getListRooms());
            case RAISE_HAND -> rooms.floor(session,
                    new RoomCommand.RaiseHand(frame.getRaiseHand().getRoom(), session.sessionId(), requestId));
            case WITHDRAW -> rooms.floor(session,
                    new RoomCommand.Withdraw(frame.getWithdraw().getRoom(), session.sessionId(), requestId));
            case GRANT -> rooms.floor(session, new RoomCommand.Grant(frame.getGrant().getRoom(), session.sessionId(),
                    requestId, frame.getGrant().getMember(), Integer.toUnsignedLong(frame.getGrant().getTalkTimeMs())));
            case REVOKE -> rooms.floor(session, new RoomCommand.Revoke(frame.getRevoke().getRoom(),
                    session.sessionId(), requestId, frame.getRevoke().getReason()));
            case DENY -> rooms.floor(session, new RoomCommand.Deny(frame.getDeny().getRoom(), session.sessionId(),
                    requestId, frame.getDeny().getMember(), frame.getDeny().getReason()));
            case APPOINT_CHAIR -> rooms.floor(session, new RoomCommand.AppointChair(frame.getAppointChair().getRoom(),
                    session.sessionId(), requestId, frame.getAppointChair().getMember()));
            case MUTE -> rooms.floor(session, new RoomCommand.Mute(frame.getMute().getRoom(), session.sessionId(),
                    requestId, frame.getMute().getMember(), frame.getMute().getMuted()));
            case MOVE -> rooms.floor(session, new RoomCommand.Move(frame.getMove().getRoom(), session.sessionId(),
                    requestId, frame.getMove().getMember(), frame.getMove().getAudience()));
            case REMOVE -> rooms.floor(session, new RoomCommand.Remove(frame.getRemove().getRoom(),
                    session.sessionId(), requestId, frame.getRemove().getMember(), frame.getRemove().getReason()));
            default -> throw new ProtocolException(Error.Code.PROTOCOL_VIOLATION,
                    frame.getBodyCase() + " is not valid here", requestId);
        }
    }

    private void join(ServerSession session, long requestId, Join join) {
        String name = join.getRoom();
        String problem = NameRules.checkRoomName(name);
        if (problem != null) {
            session.send(Frames.error(requestId, Error.Code.INVALID_ROOM_NAME, problem, name));
            return;
        }
        // Checked whether or not this Join would create the room, so that the answer does not
        // depend on who got there first.
        problem = WireOptions.checkRequested(join.getOptions(), maxTurnTimeoutMillis);
        if (problem != null) {
            session.send(Frames.error(requestId, Error.Code.INVALID_OPTION, problem, name));
            return;
        }
        if (join.getAudience()) {
            rooms.join(session, requestId, name, WireOptions.resolve(join.getOptions(), rooms.defaults()),
                    join.getPassword(), true);
        } else {
            rooms.join(session, requestId, name, WireOptions.resolve(join.getOptions(), rooms.defaults()),
                    join.getPassword());
        }
    }

    private void invite(ServerSession session, long requestId, String room, String invitee) {
        String problem = NameRules.checkDisplayName(invitee);
        if (problem != null) {
            session.send(Frames.error(requestId, Error.Code.INVALID_NAME, problem, room));
            return;
        }
        rooms.invite(session, requestId, room, invitee);
    }

    private void listRooms(ServerSession session, long requestId, ListRooms request) {
        int limit = (int) Math.min(Integer.toUnsignedLong(request.getLimit()), RoomStore.MAX_PAGE);
        rooms.list(request.getAfter(), limit).thenAccept(page -> {
            RoomList.Builder list = RoomList.newBuilder().setNextAfter(page.nextAfter());
            page.rooms().forEach(room -> list.addRooms(RoomFrames.summary(room)));
            session.send(ServerFrame.newBuilder().setRequestId(requestId).setRoomList(list).build());
        });
    }
}
