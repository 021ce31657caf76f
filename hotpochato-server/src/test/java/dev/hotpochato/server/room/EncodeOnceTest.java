package dev.hotpochato.server.room;

import dev.hotpochato.protocol.RoomEvents;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.ServerFrame;
import dev.hotpochato.server.room.RoomFixture.Member;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A numbered event is serialized once, by the room, for its history and for the wire. */
class EncodeOnceTest {

    private final RoomFixture f = new RoomFixture();
    /** Numbered events that reached the output as protobuf objects, to be serialized a second time. */
    private final List<String> serializedAgain = new ArrayList<>();
    private final RoomShard shard = new RoomShard(Runnable::run, f.clock, new RoomOutput() {
        @Override
        public void broadcast(List<? extends Participant> to, ServerFrame frame) {
            if (RoomEvents.seq(frame) > 0) {
                serializedAgain.add(frame.getBodyCase().name());
            }
            f.output.broadcast(to, frame);
        }

        @Override
        public void send(Participant to, ServerFrame frame) {
            if (RoomEvents.seq(frame) > 0) {
                serializedAgain.add(frame.getBodyCase().name());
            }
            f.output.send(to, frame);
        }

        @Override
        public void broadcast(List<? extends Participant> to, byte[] serializedFrame) {
            f.output.broadcast(to, serializedFrame);
        }

        @Override
        public void send(Participant to, byte[] serializedFrame) {
            f.output.send(to, serializedFrame);
        }
    });

    @Test
    void everyNumberedEventReachesTheOutputAlreadySerialized() {
        Member a = f.member("a");
        Member b = f.member("b");
        shard.join("r", RoomOptions.getDefaultInstance(), RoomFixture.DEFAULTS, a, 1, "");
        shard.join("r", RoomOptions.getDefaultInstance(), RoomFixture.DEFAULTS, b, 2, "");
        Room room = shard.findVisible("r", a);
        room.say(a, 3, "hi");
        room.pass(b, 4);
        assertEquals(List.of(), serializedAgain);
    }
}
