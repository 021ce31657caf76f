package dev.hotpochato.examples;

import dev.hotpochato.client.Message;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ThreeBotsTest {

    @Test
    void threeBotsTakeTurnsInJoinOrderForEveryRound() throws Exception {
        try (HotPochatoServer server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1")
                .port(0).shutdownTimeout(Duration.ofSeconds(2)).build())) {
            List<Message> said = ThreeBots.converse("127.0.0.1", server.port(), 3);

            assertEquals(List.of("ada", "bob", "cy", "ada", "bob", "cy", "ada", "bob", "cy"),
                    said.stream().map(Message::speaker).toList());
            assertEquals("round 1, after 2 words", said.get(0).text());
            assertEquals("round 3, after 5 words", said.get(8).text());
            for (int i = 1; i < said.size(); i++) {
                assertEquals(said.get(i - 1).turn() + 1, said.get(i).turn(), "one turn each, none skipped");
            }
        }
    }
}
