package dev.hotpochato.terminal;

import dev.hotpochato.terminal.script.EventLines;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventLinesTest {

    @Test
    void textWithTabsAndLineBreaksStaysOneLineAndOneField() {
        assertEquals("error\tX\ttab\\there\\nnext\\\\line\\r", EventLines.error("X", "tab\there\nnext\\line\r"));
    }

    @Test
    void plainTextIsSaidAndSlashesMakeCommands() {
        assertEquals(new ChatCommand("say", "hello"), ChatCommand.parse("hello"));
        assertEquals(new ChatCommand("join", "lobby"), ChatCommand.parse("/JOIN  lobby "));
        assertEquals(new ChatCommand("pass", ""), ChatCommand.parse("/pass"));
        assertEquals(new ChatCommand("say", "/not a command"), ChatCommand.parse("//not a command"));
    }

    @Test
    void reconnectionEventsAreOneFieldLines() {
        assertEquals("reconnecting", EventLines.reconnecting());
        assertEquals("reconnected", EventLines.reconnected());
    }
}
