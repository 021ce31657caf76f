package dev.hotpochato.protocol;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ErrorRule;
import dev.hotpochato.protocol.v1.MemberLeft;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorRulesTest {

    @Test
    void rulesAreReadFromTheProtoOptions() {
        assertEquals(ErrorRule.newBuilder().setFatal(true).setMemberLeft(MemberLeft.Reason.KICKED).build(),
                ErrorRules.of(Error.Code.PROTOCOL_VIOLATION));
        assertEquals(ErrorRule.newBuilder().setFatal(true).setResumable(true).setMemberLeft(MemberLeft.Reason.TIMED_OUT)
                .build(), ErrorRules.of(Error.Code.IDLE_TIMEOUT));
        assertEquals(ErrorRule.getDefaultInstance(), ErrorRules.of(Error.Code.NOT_YOUR_TURN));
    }

    @Test
    void exactlyTheseCodesAreAlwaysFatal() {
        Set<Error.Code> fatal = EnumSet.noneOf(Error.Code.class);
        for (Error.Code code : codes()) {
            if (ErrorRules.isFatal(code)) {
                fatal.add(code);
            }
        }
        assertEquals(EnumSet.of(Error.Code.PROTOCOL_VIOLATION, Error.Code.UNSUPPORTED_VERSION,
                Error.Code.FRAME_TOO_LARGE, Error.Code.SERVER_SHUTTING_DOWN, Error.Code.UNAUTHENTICATED,
                Error.Code.TOO_MANY_CONNECTIONS, Error.Code.RATE_LIMITED, Error.Code.SLOW_CONSUMER,
                Error.Code.IDLE_TIMEOUT, Error.Code.RESUME_FAILED, Error.Code.INTERNAL,
                Error.Code.HANDSHAKE_TIMEOUT), fatal);
    }

    @Test
    void onlyFatalCodesEndSessionsAndOnlyResumableOnesWaitForTheGrace() {
        for (Error.Code code : codes()) {
            ErrorRule rule = ErrorRules.of(code);
            if (rule.getMemberLeft() != MemberLeft.Reason.REASON_UNSPECIFIED) {
                assertTrue(rule.getFatal(), code + " ends a session, so it must be fatal");
            }
            if (rule.getResumable()) {
                assertTrue(rule.getFatal(), code + ": only a fatal error can leave a resumable session");
                assertNotEquals(MemberLeft.Reason.KICKED, rule.getMemberLeft(), code.name());
                assertNotEquals(MemberLeft.Reason.REASON_UNSPECIFIED, rule.getMemberLeft(), code.name());
            } else if (rule.getMemberLeft() != MemberLeft.Reason.REASON_UNSPECIFIED) {
                assertTrue(rule.getMemberLeft() == MemberLeft.Reason.KICKED
                        || code == Error.Code.SERVER_SHUTTING_DOWN, code + ": ended at once is a kick");
            }
        }
    }

    @Test
    void aClientMayResumeAfterANonFatalErrorOrAResumableOne() {
        assertTrue(ErrorRules.leavesSessionResumable(error(Error.Code.NOT_YOUR_TURN, false)));
        assertTrue(ErrorRules.leavesSessionResumable(error(Error.Code.SLOW_CONSUMER, true)));
        assertTrue(ErrorRules.leavesSessionResumable(error(Error.Code.INTERNAL, true)));
        assertTrue(ErrorRules.leavesSessionResumable(error(Error.Code.SERVER_SHUTTING_DOWN, true)),
                "another server sharing the rooms may take it back");
        assertFalse(ErrorRules.leavesSessionResumable(error(Error.Code.RATE_LIMITED, true)));
        assertFalse(ErrorRules.leavesSessionResumable(error(Error.Code.INVALID_NAME, true)), "a refused Hello");
        assertFalse(ErrorRules.leavesSessionResumable(Error.newBuilder().setCodeValue(9999).setFatal(true).build()));
    }

    /** docs/protocol.md §13 says, per code, whether it is fatal: it must say what the rule says. */
    @Test
    void theErrorTableOfTheProtocolDocumentAgreesWithTheRules() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "protocol.md"));
        Pattern row = Pattern.compile("(?m)^\\| `([A-Z_]+)` \\| (\\d+) \\| .*? \\| (yes|no|in `Hello` or `Resume`|in `Hello`|—) \\|");
        Matcher m = row.matcher(doc);
        List<Error.Code> seen = new ArrayList<>();
        while (m.find()) {
            Error.Code code = Error.Code.valueOf(m.group(1));
            assertEquals(code.getNumber(), Integer.parseInt(m.group(2)), code.name());
            boolean documentedFatal = m.group(3).equals("yes");
            assertEquals(ErrorRules.isFatal(code), documentedFatal, () -> code + " in the §13 table: " + m.group(3));
            seen.add(code);
        }
        assertEquals(codes(), seen, "every code has one row in §13, in order");
    }

    private static List<Error.Code> codes() {
        List<Error.Code> all = new ArrayList<>();
        for (Error.Code code : Error.Code.values()) {
            if (code != Error.Code.UNRECOGNIZED) {
                all.add(code);
            }
        }
        return all;
    }

    private static Error error(Error.Code code, boolean fatal) {
        return Error.newBuilder().setCode(code).setFatal(fatal).build();
    }
}
