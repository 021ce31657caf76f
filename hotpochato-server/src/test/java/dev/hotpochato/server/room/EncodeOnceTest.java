package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.RoomFixture.Member;
import dev.hotpochato.server.room.RoomFixture.RecordingOutput.Write;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * A hand-off's events are encoded once, into one buffer that every member who gets them all shares;
 * only the speaker, whose copy echoes its request id, gets bytes of its own. (Specific to the
 * in-memory store, which encodes; a shared store may deliver the same bytes differently.)
 */
class EncodeOnceTest {

    private final RoomFixture f = new RoomFixture(RoomFixture.Store.MEMORY);
    private final List<Write> writes = new ArrayList<>();

    @Test
    void everyMemberButTheSpeakerSharesOneEncodingOfTheEvents() {
        List<Member> members = new ArrayList<>();
        for (String name : List.of("a", "b", "c", "d", "e")) {
            Member m = f.member(name);
            members.add(m);
            f.join(m, "r");
        }
        f.output.watcher = writes::add;
        f.say(members.get(0), "r", 3, "hi");
        assertEquals(5, writes.size(), "one write per member");
        Map<String, Long> memory = writes.stream().collect(Collectors.toMap(w -> w.to().name, Write::memory));
        for (String name : List.of("c", "d", "e")) {
            assertEquals(memory.get("b"), memory.get(name), name + " got the same buffer as b");
        }
        assertNotEquals(memory.get("b"), memory.get("a"), "the speaker's copy carries its request id");
        List<ServerFrame> speakers = writes.stream().filter(w -> w.to().name.equals("a")).findFirst().orElseThrow().frames();
        List<ServerFrame> others = writes.stream().filter(w -> w.to().name.equals("b")).findFirst().orElseThrow().frames();
        assertEquals(others.get(0).toBuilder().setRequestId(3).build(), speakers.get(0));
        assertEquals(others.get(1), speakers.get(1));
    }

    @Test
    void aResumingMemberIsReplayedTheVeryBytesTheOthersWereSent() {
        Member a = f.member("a");
        Member b = f.member("b");
        Member c = f.member("c");
        f.join(a, "r");
        f.join(b, "r");
        f.join(c, "r");
        long seen = f.state("r").seq();
        f.away(c, "r");
        a.drain();
        f.say(a, "r", 0, "while away"); // the fixture allows 16 bytes
        f.pass(b, "r", 0);
        List<ServerFrame> live = a.drain();
        c.drain();
        f.back(c, "r", seen);
        List<ServerFrame> replay = c.drain();
        assertEquals(live, replay.subList(1, 1 + live.size()), "after its own MemberAway, the same frames");
    }
}
