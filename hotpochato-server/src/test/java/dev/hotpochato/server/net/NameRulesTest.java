package dev.hotpochato.server.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names show as something; said text holds nothing a terminal acts on. docs/protocol.md §12 states the same. */
class NameRulesTest {

    @Test
    void aNameNeedsAVisibleCharacter() {
        for (String blank : new String[] {"\u3164", "\u115F\u1160", "\uFFA0", "\u2800", "\u0301", "\u20DD",
                "\u0903", "\u3164\u0301"}) {
            assertEquals("a name needs at least one visible character", NameRules.checkDisplayName(blank),
                    () -> "accepted " + blank.codePoints().mapToObj(Integer::toHexString).toList());
        }
        for (String fine : new String[] {"a", "e\u0301", "\u3164x", "x\u2800y", "日本", "\uD83D\uDE00", "Mary Ann"}) {
            assertNull(NameRules.checkDisplayName(fine), fine);
        }
        assertEquals("a room name needs at least one visible character", NameRules.checkRoomName("\u3164\u3164"));
        assertNull(NameRules.checkRoomName("tea\u3164"));
    }

    @Test
    void youIsNobodysName() {
        for (String you : new String[] {"you", "You", "YOU", "yOu"}) {
            assertEquals("the name \"you\" is reserved: clients show each member itself as \"you\"",
                    NameRules.checkDisplayName(you), you);
        }
        for (String fine : new String[] {"yours", "you2", "Mary You", "yo"}) {
            assertNull(NameRules.checkDisplayName(fine), fine);
        }
    }

    @Test
    void invisibleAndControlCharactersWereAndAreRefused() {
        assertEquals("a name may not contain control or invisible characters", NameRules.checkDisplayName("a\u200Bb"));
        assertEquals("a name may not contain control or invisible characters", NameRules.checkDisplayName("a\u001b"));
        assertEquals("a name may not start or end with white space", NameRules.checkDisplayName("\u00A0a"));
    }

    @Test
    void textMayHoldNewlinesAndTabsButNoOtherControlCharacter() {
        assertNull(NameRules.checkText("line\n\tindented \u00A0 日本 \uD83D\uDE00"));
        for (int c = 0; c <= 0x9F; c++) {
            boolean control = c < 0x20 || c >= 0x7F;
            String text = "a" + (char) c + "b";
            if (control && c != '\n' && c != '\t') {
                assertEquals(String.format("text may not contain control character U+%04X (only newline and tab)", c),
                        NameRules.checkText(text));
            } else {
                assertNull(NameRules.checkText(text), () -> Integer.toHexString(text.charAt(1)));
            }
        }
    }

    @Test
    void visibleMeansShowsOnItsOwn() {
        assertTrue(NameRules.isVisible('a'));
        assertTrue(NameRules.isVisible('~'));
        assertFalse(NameRules.isVisible(' '));
        assertFalse(NameRules.isVisible(0x3000));
        assertFalse(NameRules.isVisible(0x0300));
        assertFalse(NameRules.isVisible(0x3164));
        assertFalse(NameRules.isVisible(0x2800));
        assertTrue(NameRules.isVisible(0x2801), "a braille pattern with a dot");
    }
}
