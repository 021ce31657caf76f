package dev.hotpochato.examples;

import dev.hotpochato.client.EndRule;
import dev.hotpochato.client.Message;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModeratedPanelTest {

    private HotPochatoServer server;

    @BeforeEach
    void start() throws Exception {
        server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(2)).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void theChairPicksTheSpeakersByItsRuleAndTheWriterEndsTheMeetingWithTheStopPhrase() throws Exception {
        ModeratedPanel.Result r = ModeratedPanel.run("127.0.0.1", server.port(), 10);
        assertEquals(List.of("planner", "critic", "planner", "critic", "writer"),
                r.transcript().stream().map(Message::speaker).toList());
        assertEquals("critique: step 2 of plan v1: split the work into 2 steps is vague", r.transcript().get(1).text());
        assertEquals("critique: looks good", r.transcript().get(3).text());
        assertTrue(r.transcript().get(4).text().endsWith(ModeratedPanel.STOP_PHRASE));
        assertEquals(EndRule.STOP_PHRASE, r.endedBy());
    }

    @Test
    void aTurnLimitEndsTheMeetingFirstWhenItIsShorter() throws Exception {
        ModeratedPanel.Result r = ModeratedPanel.run("127.0.0.1", server.port(), 3);
        assertEquals(List.of("planner", "critic", "planner"), r.transcript().stream().map(Message::speaker).toList());
        assertEquals(EndRule.AFTER_TURNS, r.endedBy());
    }

    @Test
    void theChairsRule() {
        assertEquals("planner", ModeratedPanel.next(null, ""));
        assertEquals("critic", ModeratedPanel.next("planner", "plan v1"));
        assertEquals("planner", ModeratedPanel.next("critic", "critique: vague"));
        assertEquals("writer", ModeratedPanel.next("critic", "critique: looks good"));
    }
}
