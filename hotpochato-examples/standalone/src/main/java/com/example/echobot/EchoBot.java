package com.example.echobot;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.ServerAddress;
import dev.hotpochato.client.Session;

import java.util.concurrent.CompletableFuture;

/**
 * A bot in a room of a HotPochato server: on each of its turns it answers the last thing said
 * since its previous turn, or asks if anyone is there. It survives a server restart (auto-rejoin)
 * and leaves its room cleanly on Ctrl-C.
 *
 * <p>{@code java com.example.echobot.EchoBot [HOST:PORT,... [ROOM]]}
 */
public final class EchoBot {

    private EchoBot() {
    }

    public static void main(String[] args) {
        String servers = args.length > 0 ? args[0] : "localhost:7447";
        String room = args.length > 1 ? args[1] : "lobby";
        Session session = start(ClientOptions.builder("echo-bot")
                .addresses(ServerAddress.parseList(servers, 7447))
                .autoRejoin(true)
                .build(), room).join();
        Runtime.getRuntime().addShutdownHook(new Thread(session::close));
        session.closeFuture().join();
    }

    /** Connects as {@code options} say and joins {@code room}; completes with the session once the bot is in. */
    public static CompletableFuture<Session> start(ClientOptions options, String room) {
        return HotPochatoClient.connect(options).thenCompose(session -> session.join(room).thenApply(joined -> {
            answer(joined);
            return session;
        }));
    }

    private static void answer(RoomHandle room) {
        room.onMyTurn(turn -> turn.say(turn.lastHeard()
                .map(m -> m.speaker() + " said: " + m.text())
                .orElse("anyone there?")));
    }
}
