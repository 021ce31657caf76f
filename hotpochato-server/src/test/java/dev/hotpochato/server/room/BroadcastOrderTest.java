package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.ServerFrame.BodyCase;
import dev.hotpochato.server.room.RoomFixture.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** In which order a store addresses its members: the one it waits on comes first. */
@ParameterizedClass
@EnumSource(RoomFixture.Store.class)
class BroadcastOrderTest {

    private final RoomFixture f;
    private final List<String> writes = new ArrayList<>();

    BroadcastOrderTest(RoomFixture.Store store) {
        f = new RoomFixture(store);
        f.output.watcher = w -> writes.add(w.to().name + ":" + w.frames().stream()
                .map(frame -> frame.getBodyCase() == BodyCase.SAID && frame.getRequestId() != 0 ? "SAID(echo)"
                        : frame.getBodyCase().name()).toList());
    }

    @Test
    void theNextHolderIsWrittenBeforeTheOtherMembers() {
        List<Member> members = List.of(f.member("a"), f.member("b"), f.member("c"), f.member("d"));
        for (Member m : members) {
            f.join(m, "r");
        }
        f.say(members.get(0), "r", 5, "hi"); // a hands over to b
        writes.clear();
        f.say(members.get(1), "r", 6, "hi"); // b hands over to c
        assertEquals(List.of(
                "c:[SAID, TURN_GRANTED]",
                "a:[SAID, TURN_GRANTED]",
                "b:[SAID(echo), TURN_GRANTED]",
                "d:[SAID, TURN_GRANTED]"), writes, "one write per member, the new holder's first");
    }
}
