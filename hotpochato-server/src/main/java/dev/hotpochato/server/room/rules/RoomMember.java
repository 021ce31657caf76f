package dev.hotpochato.server.room.rules;

/**
 * A place in a room's rotation. Immutable: a change (going away, coming back) replaces it.
 *
 * @param sessionId the member's session; unique across the server (across every node of a cluster)
 * @param name      its display name, unique within the room
 * @param away      its connection is lost but its session may resume: it keeps its place, and its turns are skipped
 * @param joinedSeq the room's seq when it was admitted (its own {@code MemberJoined}, or the seq before it if
 *                  it was the first member): it receives events after this one and never those before
 */
public record RoomMember(long sessionId, String name, boolean away, long joinedSeq) {

    RoomMember withAway(boolean nowAway) {
        return nowAway == away ? this : new RoomMember(sessionId, name, nowAway, joinedSeq);
    }
}
