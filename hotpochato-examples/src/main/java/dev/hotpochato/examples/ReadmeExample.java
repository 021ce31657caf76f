package dev.hotpochato.examples;

import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.Session;

/**
 * The embedding example of the README: a bot that answers what was said since its last turn.
 * Run it with {@code [host [port]]}; it connects to localhost:7447 by default.
 */
public final class ReadmeExample {

    private ReadmeExample() {
    }

    public static void main(String[] args) {
        String host = args.length > 0 ? args[0] : "localhost";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 7447;

        Session session = HotPochatoClient.connect(host, port, "echo-bot").join();
        // Ctrl-C: leave the rooms cleanly, instead of staying "away" until the server gives up on us.
        Runtime.getRuntime().addShutdownHook(new Thread(session::close));
        RoomHandle room = session.join("lobby").join();
        room.onMyTurn(turn -> turn.say(turn.lastHeard()
                .map(m -> m.speaker() + " said: " + m.text())
                .orElse("anyone there?")));
        session.closeFuture().join(); // runs until the session ends
    }
}
