package dev.hotpochato.examples;

import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.Session;

/** The embedding example of the README: a bot that answers whatever was said before its turn. */
public final class ReadmeExample {

    public static void main(String[] args) {
        Session session = HotPochatoClient.connect("localhost", 7447, "echo-bot").join();
        RoomHandle room = session.join("lobby").join();
        room.onMyTurn(turn -> turn.say(turn.lastSaid()
                .map(m -> m.speaker() + " said: " + m.text())
                .orElse("hello, room")));
        session.closeFuture().join(); // runs until the connection closes
    }
}
