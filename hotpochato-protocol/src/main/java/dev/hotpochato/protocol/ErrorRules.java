package dev.hotpochato.protocol;

import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.ErrorRule;
import dev.hotpochato.protocol.v1.HotPochatoProto;
import dev.hotpochato.protocol.v1.MemberLeft;

import java.util.EnumMap;
import java.util.Map;

/**
 * What each {@code Error.Code} does to the connection and the session, read once from the code's
 * {@code (rule)} option in {@code hotpochato.proto}: the one place where the rule is written, for
 * the server (which acts on it) and clients (which decide from it whether to resume).
 *
 * <p>Immutable and safe from any thread.
 */
public final class ErrorRules {

    private static final Map<Error.Code, ErrorRule> RULES = new EnumMap<>(Error.Code.class);

    static {
        for (Error.Code code : Error.Code.values()) {
            if (code != Error.Code.UNRECOGNIZED) {
                RULES.put(code, code.getValueDescriptor().getOptions().getExtension(HotPochatoProto.rule));
            }
        }
    }

    private ErrorRules() {
    }

    /** The rule of {@code code}; the empty rule (a plain refusal) for a code this build does not know. */
    public static ErrorRule of(Error.Code code) {
        return RULES.getOrDefault(code, ErrorRule.getDefaultInstance());
    }

    /** The server closes the connection after every error with {@code code}. */
    public static boolean isFatal(Error.Code code) {
        return of(code).getFatal();
    }

    /**
     * The connection closed after {@code error} leaves its session resumable. A non-fatal error
     * never ends a session; a fatal one does unless its code's rule says it is resumable. Clients
     * decide from this whether to send {@code Resume}.
     */
    public static boolean leavesSessionResumable(Error error) {
        return !error.getFatal() || of(error.getCode()).getResumable();
    }

    /**
     * What the other members are told when a session ends because of {@code code}: the code's
     * declared reason, or {@code KICKED} for a fatal code that declares none (it cannot end a
     * session, since it comes before there is one, but a server must say something).
     */
    public static MemberLeft.Reason memberLeft(Error.Code code) {
        ErrorRule rule = of(code);
        return rule.getMemberLeft() != MemberLeft.Reason.REASON_UNSPECIFIED ? rule.getMemberLeft()
                : MemberLeft.Reason.KICKED;
    }
}
