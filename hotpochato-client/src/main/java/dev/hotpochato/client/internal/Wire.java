package dev.hotpochato.client.internal;

import dev.hotpochato.client.ErrorCode;
import dev.hotpochato.client.LeaveReason;
import dev.hotpochato.client.RoomInfo;
import dev.hotpochato.client.ServerErrorException;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.RoomSummary;
import dev.hotpochato.protocol.v1.ServerFrame;

import java.util.Optional;

/** Translations from protocol messages to the public API's types, so no generated type leaks out. */
final class Wire {

    private Wire() {
    }

    static ServerErrorException exception(Error error) {
        return ServerErrorException.of(errorCode(error.getCode()), error.getMessage(), error.getRoom(),
                error.getFatal());
    }

    static ErrorCode errorCode(Error.Code code) {
        if (code == Error.Code.UNRECOGNIZED || code == Error.Code.CODE_UNSPECIFIED) {
            return ErrorCode.UNKNOWN;
        }
        try {
            return ErrorCode.valueOf(code.name());
        } catch (IllegalArgumentException e) {
            return ErrorCode.UNKNOWN;
        }
    }

    static LeaveReason leaveReason(MemberLeft.Reason reason) {
        return switch (reason) {
            case LEFT -> LeaveReason.LEFT;
            case DISCONNECTED -> LeaveReason.DISCONNECTED;
            case TIMED_OUT -> LeaveReason.TIMED_OUT;
            case KICKED -> LeaveReason.KICKED;
            default -> LeaveReason.UNKNOWN;
        };
    }

    static RoomInfo roomInfo(RoomSummary s) {
        return new RoomInfo(s.getName(), s.getMembers(),
                s.getHolder().isEmpty() ? Optional.empty() : Optional.of(s.getHolder()),
                s.getPassword(), s.getInviteOnly());
    }

    /** The room a sequenced room event belongs to, or null if {@code frame} is not one. */
    static String roomOf(ServerFrame frame) {
        return switch (frame.getBodyCase()) {
            case MEMBER_JOINED -> frame.getMemberJoined().getRoom();
            case MEMBER_LEFT -> frame.getMemberLeft().getRoom();
            case TURN_GRANTED -> frame.getTurnGranted().getRoom();
            case SAID -> frame.getSaid().getRoom();
            case PASSED -> frame.getPassed().getRoom();
            case TURN_EXPIRED -> frame.getTurnExpired().getRoom();
            case TURN_SKIPPED -> frame.getTurnSkipped().getRoom();
            case MEMBER_AWAY -> frame.getMemberAway().getRoom();
            case MEMBER_BACK -> frame.getMemberBack().getRoom();
            case ROOM_CLOSED -> frame.getRoomClosed().getRoom();
            default -> null;
        };
    }

    /** The room sequence number of a sequenced room event. */
    static long seqOf(ServerFrame frame) {
        return switch (frame.getBodyCase()) {
            case MEMBER_JOINED -> frame.getMemberJoined().getSeq();
            case MEMBER_LEFT -> frame.getMemberLeft().getSeq();
            case TURN_GRANTED -> frame.getTurnGranted().getSeq();
            case SAID -> frame.getSaid().getSeq();
            case PASSED -> frame.getPassed().getSeq();
            case TURN_EXPIRED -> frame.getTurnExpired().getSeq();
            case TURN_SKIPPED -> frame.getTurnSkipped().getSeq();
            case MEMBER_AWAY -> frame.getMemberAway().getSeq();
            case MEMBER_BACK -> frame.getMemberBack().getSeq();
            case ROOM_CLOSED -> frame.getRoomClosed().getSeq();
            default -> 0;
        };
    }
}
