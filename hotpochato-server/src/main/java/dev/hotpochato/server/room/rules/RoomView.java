package dev.hotpochato.server.room.rules;

import java.util.List;

/**
 * A room as one member is shown it at one moment: what {@code Joined} carries.
 *
 * @param members        the rotation, in turn order
 * @param holder         the holder's name, or "" while no turn runs
 * @param turn           the latest turn number (0 before the first)
 * @param deadlineMillis when the current turn ends; 0 while waiting or for no limit
 * @param lastSeq        the seq of the room's latest event
 * @param waiting        no turn runs (fewer than two members are present; in QUEUE and MODERATED rooms, the floor is idle)
 * @param chairs         the chairs' names, the first chair first
 * @param queue          the names of the pending floor requests, head first
 * @param muted          the muted members' names
 * @param turnsEnded     turns ended so far
 * @param audience       the names of the members in the audience
 */
public record RoomView(String name, List<RoomMember> members, String holder, long turn, long deadlineMillis,
                       long lastSeq, RoomSettings settings, boolean waiting, boolean privateRoom,
                       List<String> chairs, List<String> queue, List<String> muted, long turnsEnded,
                       List<String> audience) {
}
