package dev.hotpochato.server.net;

import dev.hotpochato.protocol.ProtocolLimits;
import dev.hotpochato.protocol.v1.ClientFrame;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.Join;
import dev.hotpochato.protocol.v1.ListRooms;
import dev.hotpochato.protocol.v1.RoomList;
import dev.hotpochato.protocol.v1.Say;
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
 * and answers the session there. Checks here only what needs no room: names, text, options, and
 * the allowance of password attempts. Holds no state of its own, so one instance serves every
 * connection.
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
            case JOIN -> join(ctx, session, requestId, frame.getJoin());
            case LEAVE -> {
                if (mayExist(session, requestId, frame.getLeave().getRoom())) {
                    rooms.leave(session, requestId, frame.getLeave().getRoom(), LeaveReason.LEFT);
                }
            }
            case SAY -> say(session, requestId, frame.getSay());
            case PASS -> {
                if (mayExist(session, requestId, frame.getPass().getRoom())) {
                    rooms.pass(session, requestId, frame.getPass().getRoom());
                }
            }
            case INVITE -> invite(session, requestId, frame.getInvite().getRoom(), frame.getInvite().getDisplayName());
            case MATCH -> session.match(requestId);
            case CANCEL_MATCH -> session.cancelMatch(requestId);
            case LIST_ROOMS -> listRooms(session, requestId, frame.getListRooms());
            case RAISE_HAND -> floor(session, requestId, frame.getRaiseHand().getRoom(), "", "",
                    new RoomCommand.RaiseHand(frame.getRaiseHand().getRoom(), session.sessionId(), requestId));
            case WITHDRAW -> floor(session, requestId, frame.getWithdraw().getRoom(), "", "",
                    new RoomCommand.Withdraw(frame.getWithdraw().getRoom(), session.sessionId(), requestId));
            case GRANT -> floor(session, requestId, frame.getGrant().getRoom(), frame.getGrant().getMember(), "",
                    new RoomCommand.Grant(frame.getGrant().getRoom(), session.sessionId(), requestId,
                            frame.getGrant().getMember(), Integer.toUnsignedLong(frame.getGrant().getTalkTimeMs())));
            case REVOKE -> floor(session, requestId, frame.getRevoke().getRoom(), "", frame.getRevoke().getReason(),
                    new RoomCommand.Revoke(frame.getRevoke().getRoom(), session.sessionId(), requestId,
                            frame.getRevoke().getReason()));
            case DENY -> floor(session, requestId, frame.getDeny().getRoom(), frame.getDeny().getMember(),
                    frame.getDeny().getReason(), new RoomCommand.Deny(frame.getDeny().getRoom(), session.sessionId(),
                            requestId, frame.getDeny().getMember(), frame.getDeny().getReason()));
            case APPOINT_CHAIR -> floor(session, requestId, frame.getAppointChair().getRoom(),
                    frame.getAppointChair().getMember(), "", new RoomCommand.AppointChair(
                            frame.getAppointChair().getRoom(), session.sessionId(), requestId,
                            frame.getAppointChair().getMember()));
            case STEP_DOWN -> floor(session, requestId, frame.getStepDown().getRoom(), "", "",
                    new RoomCommand.StepDown(frame.getStepDown().getRoom(), session.sessionId(), requestId));
            case MUTE -> floor(session, requestId, frame.getMute().getRoom(), frame.getMute().getMember(), "",
                    new RoomCommand.Mute(frame.getMute().getRoom(), session.sessionId(), requestId,
                            frame.getMute().getMember(), frame.getMute().getMuted()));
            case MOVE -> floor(session, requestId, frame.getMove().getRoom(), frame.getMove().getMember(), "",
                    new RoomCommand.Move(frame.getMove().getRoom(), session.sessionId(), requestId,
                            frame.getMove().getMember(), frame.getMove().getAudience()));
            case REMOVE -> floor(session, requestId, frame.getRemove().getRoom(), frame.getRemove().getMember(),
                    frame.getRemove().getReason(), new RoomCommand.Remove(frame.getRemove().getRoom(),
                            session.sessionId(), requestId, frame.getRemove().getMember(),
                            frame.getRemove().getReason()));
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
        problem = WireOptions.checkRequested(join.getOptions(), maxTurnTimeoutMillis);
        if (problem == null && NameRules.checkText(join.getOptions().getEnd().getStopPhrase()) != null) {
            problem = "the stop phrase: " + NameRules.checkText(join.getOptions().getEnd().getStopPhrase());
        }
        if (problem != null) {
            session.send(Frames.error(requestId, Error.Code.INVALID_OPTION, problem, name));
            return;
        }
        // A Join carrying a password is an attempt at it: it takes one from the session's and the
        // address's allowances, and the session gives it back if the room admits it.
        if (!join.getPassword().isEmpty()) {
            AddressLedger.Place place = ctx.channel().attr(ConnectionLimiter.PLACE).get();
            if (!AddressLedger.tryAttempt(session.passwordAttempts(), place, ctx.executor().ticker().nanoTime())) {
                session.send(Frames.error(requestId, Error.Code.TOO_MANY_ATTEMPTS,
                        "too many wrong passwords; try again in a minute", name));
                return;
            }
            session.passwordAttempted(name, place);
        }
        rooms.join(session, requestId, name, WireOptions.resolve(join.getOptions(), rooms.defaults()),
                join.getPassword(), join.getAudience());
    }

    private void say(ServerSession session, long requestId, Say say) {
        String problem = NameRules.checkText(say.getText());
        if (problem != null) {
            session.send(Frames.error(requestId, Error.Code.INVALID_TEXT, problem, say.getRoom()));
            return;
        }
        if (mayExist(session, requestId, say.getRoom())) {
            rooms.say(session, requestId, say.getRoom(), say.getText());
        }
    }

    private void invite(ServerSession session, long requestId, String room, String invitee) {
        String problem = NameRules.checkDisplayName(invitee);
        if (problem != null) {
            session.send(Frames.error(requestId, Error.Code.INVALID_NAME, problem, room));
            return;
        }
        if (mayExist(session, requestId, room)) {
            rooms.invite(session, requestId, room, invitee);
        }
    }

    /**
     * Whether a room called {@code name} may exist: no room has a name longer than a valid room
     * name (pairs' names are short too). A longer one is answered UNKNOWN_ROOM here, quoted as an
     * excerpt, so that no request's name reaches the rooms, or the replies they quote it in,
     * longer than that.
     */
    /**
     * A floor-control request: checked here for what needs no room (a room name that may exist, a
     * member name that may be one, a reason that is text), then applied by the room.
     */
    private void floor(ServerSession session, long requestId, String room, String member, String reason,
                       RoomCommand command) {
        if (!mayExist(session, requestId, room)) {
            return;
        }
        if (!member.isEmpty() && NameRules.checkDisplayName(member) != null) {
            session.send(Frames.error(requestId, Error.Code.UNKNOWN_MEMBER, "no member by that name", room));
            return;
        }
        String problem = NameRules.checkText(reason);
        if (problem != null) {
            session.send(Frames.error(requestId, Error.Code.INVALID_TEXT, "the reason: " + problem, room));
            return;
        }
        rooms.floor(session, command);
    }

    private static boolean mayExist(ServerSession session, long requestId, String name) {
        if (name.length() <= ProtocolLimits.MAX_ROOM_NAME_CHARS
                || name.codePointCount(0, name.length()) <= ProtocolLimits.MAX_ROOM_NAME_CHARS) {
            return true;
        }
        session.send(Frames.error(requestId, Error.Code.UNKNOWN_ROOM, "no room named " + Frames.excerpt(name), name));
        return false;
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
