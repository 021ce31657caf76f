package dev.hotpochato.protocol;

import dev.hotpochato.protocol.v1.ServerFrame;

/**
 * The numbered room events: every room numbers its events 1, 2, 3, ... without gaps, and a client
 * that resumes says up to which number it has seen each room.
 */
public final class RoomEvents {

    private RoomEvents() {
    }

    /** The room's sequence number of {@code frame}, or 0 if it is not a numbered room event. */
    public static long seq(ServerFrame frame) {
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
            case FLOOR_UPDATE -> frame.getFloorUpdate().getSeq();
            case FLOOR_IDLE -> frame.getFloorIdle().getSeq();
            case CHAIR_CHANGED -> frame.getChairChanged().getSeq();
            case MEMBER_MUTED -> frame.getMemberMuted().getSeq();
            case MEMBER_MOVED -> frame.getMemberMoved().getSeq();
            default -> 0;
        };
    }

    /** The room {@code frame} is about, or "" if it concerns no single room. */
    public static String room(ServerFrame frame) {
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
            case JOINED -> frame.getJoined().getRoom().getName();
            case LEFT -> frame.getLeft().getRoom();
            case PAIRED -> frame.getPaired().getRoom();
            case HISTORY_LOST -> frame.getHistoryLost().getRoom();
            case INVITED -> frame.getInvited().getRoom();
            case ERROR -> frame.getError().getRoom();
            case FLOOR_UPDATE -> frame.getFloorUpdate().getRoom();
            case FLOOR_IDLE -> frame.getFloorIdle().getRoom();
            case CHAIR_CHANGED -> frame.getChairChanged().getRoom();
            case MEMBER_MUTED -> frame.getMemberMuted().getRoom();
            case MEMBER_MOVED -> frame.getMemberMoved().getRoom();
            case TURN_WARNING -> frame.getTurnWarning().getRoom();
            default -> "";
        };
    }
}
