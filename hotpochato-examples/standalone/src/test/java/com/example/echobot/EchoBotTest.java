package com.example.echobot;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.MyTurn;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.SyncRoom;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bot against a real server on 127.0.0.1, talked to through the library's blocking facade. */
class EchoBotTest {

    @Test
    void theBotAnswersWhatItHeardSinceItsLastTurn() throws Exception {
        try (HotPochatoServer server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1")
                .port(0).shutdownTimeout(Duration.ofSeconds(2)).build())) {
            ClientOptions.Builder options = ClientOptions.builder("alice").host("127.0.0.1").port(server.port());
            try (Session alice = HotPochatoClient.connect(options.build()).get(30, TimeUnit.SECONDS);
                 Session bot = EchoBot.start(options.displayName("echo-bot").build(), "lobby")
                         .get(30, TimeUnit.SECONDS)) {
                SyncRoom lobby = alice.sync().join("lobby");

                MyTurn mine = lobby.awaitMyTurn();
                assertEquals(List.of("anyone there?"), texts(mine.heard()));
                lobby.say("hello bot");
                assertEquals(List.of("alice said: hello bot"), texts(lobby.awaitMyTurn().heard()));
                lobby.pass();
                assertEquals(List.of("anyone there?"), texts(lobby.awaitMyTurn().heard()));
                assertEquals("echo-bot", bot.name());
            }
        }
    }

    private static List<String> texts(List<Message> messages) {
        return messages.stream().map(Message::text).toList();
    }
}
