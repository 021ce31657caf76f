package dev.hotpochato.terminal;

import dev.hotpochato.terminal.script.EventLines;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    void controlSequencesFromTheWireAreEscapedInEveryField() {
        String title = "\u001b]2;pwned\u0007";
        String wipe = "\u001b[2J";
        String line = EventLines.error(wipe, title + " and " + wipe + " and \u009b31m and \u202eevil");
        assertEquals("error\t\\u001b[2J\t\\u001b]2;pwned\\u0007 and \\u001b[2J and \\u009b31m and \\u202eevil", line);
        assertEquals("unsaid\tr\u00e9union\t/pass", EventLines.unsaid("r\u00e9union", "/pass"));
        for (int c = 0; c < 0x20; c++) {
            String escaped = EventLines.left("a" + (char) c + "b");
            assertTrue(escaped.chars().noneMatch(ch -> ch < 0x20 && ch != '\t'), escaped);
            assertEquals(2, escaped.split("\t").length, escaped);
        }
    }

    @Test
    void aMeActionIsTextStartingWithSlashMe() {
        assertEquals(new ChatCommand("me", "waves"), ChatCommand.parse("/me waves"));
        assertEquals("waves", ChatCommand.action("/me waves"));
        assertEquals(null, ChatCommand.action("/meh"));
        assertEquals(null, ChatCommand.action("hello"));
    }

    @Test
    void reconnectionEventsAreOneFieldLines() {
        assertEquals("reconnecting", EventLines.reconnecting());
        assertEquals("reconnected", EventLines.reconnected());
    }
}
