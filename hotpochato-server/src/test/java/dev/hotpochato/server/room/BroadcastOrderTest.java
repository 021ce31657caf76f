package dev.hotpochato.server.room;

import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.RoomFixture.Member;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** In which order a room addresses its members: the one it waits on comes first. */
class BroadcastOrderTest {

    private final RoomFixture f = new RoomFixture();
    private final List<List<String>> recipients = new ArrayList<>();
    private final RoomShard shard = new RoomShard(Runnable::run, f.clock, new RoomOutput() {
        @Override
        public void broadcast(List<? extends Participant> to, ServerFrame frame) {
            recipients.add(to.stream().map(Participant::name).toList());
            f.output.broadcast(to, frame);
        }

        @Override
        public void send(Participant to, ServerFrame frame) {
            f.output.send(to, frame);
        }
    });

    @Test
    void theNextHolderIsAddressedBeforeTheOtherMembers() {
        List<Member> members = List.of(f.member("a"), f.member("b"), f.member("c"), f.member("d"));
        for (Member m : members) {
            shard.join("r", RoomOptions.getDefaultInstance(), RoomFixture.DEFAULTS, m, 1, "");
        }
        Room room = shard.findVisible("r", members.get(0));
        room.say(members.get(0), 5, "hi"); // a hands over to b
        room.say(members.get(1), 6, "hi"); // b hands over to c
        int n = recipients.size();
        assertEquals(List.of("c", "a", "d"), recipients.get(n - 2), "Said to all but b: c first, then the rest");
        assertEquals(List.of("c", "a", "b", "d"), recipients.get(n - 1), "TurnGranted: the new holder first");
    }
}
