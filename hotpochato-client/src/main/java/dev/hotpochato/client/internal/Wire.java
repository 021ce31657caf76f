package dev.hotpochato.client.internal;

import dev.hotpochato.client.ErrorCode;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.LeaveReason;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.RoomInfo;
import dev.hotpochato.client.ServerErrorException;
import dev.hotpochato.client.TurnPolicy;
import dev.hotpochato.protocol.v1.Error;
import dev.hotpochato.protocol.v1.MemberLeft;
import dev.hotpochato.protocol.v1.RoomOptions;
import dev.hotpochato.protocol.v1.RoomSummary;
import dev.hotpochato.protocol.v1.Said;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Translations from protocol messages to the public API's types, so no generated type leaks out. */
final class Wire {

    private Wire() {
    }

    static ServerErrorException exception(Error error) {
        return ServerErrorException.of(errorCode(error.getCode()), error.getMessage(), error.getRoom(),
                error.getFatal());
    }

    static ErrorCode errorCode(Error.Code code) {
        if (code == Error.Code.UNRECOGNIZED || code == Error.Code.CODE_UNSPECIFIED) {
            return ErrorCode.UNKNOWN;
        }
        try {
            return ErrorCode.valueOf(code.name());
        } catch (IllegalArgumentException e) {
            return ErrorCode.UNKNOWN;
        }
    }

    static Message message(Said said) {
        return new Message(said.getRoom(), said.getSpeaker(), said.getText(), Instant.ofEpochMilli(said.getTimeMs()),
                said.getTurn());
    }

    static LeaveReason leaveReason(MemberLeft.Reason reason) {
        return switch (reason) {
            case LEFT -> LeaveReason.LEFT;
            case DISCONNECTED -> LeaveReason.DISCONNECTED;
            case TIMED_OUT -> LeaveReason.TIMED_OUT;
            case KICKED -> LeaveReason.KICKED;
            case REMOVED -> LeaveReason.REMOVED;
            default -> LeaveReason.UNKNOWN;
        };
    }

    static RoomInfo roomInfo(RoomSummary s) {
        return new RoomInfo(s.getName(), s.getMembers(),
                s.getHolder().isEmpty() ? Optional.empty() : Optional.of(s.getHolder()),
                s.getPassword(), s.getInviteOnly(), policy(s.getPolicy()));
    }

    static TurnPolicy policy(dev.hotpochato.protocol.v1.TurnPolicy p) {
        return switch (p) {
            case ROUND_ROBIN -> TurnPolicy.ROUND_ROBIN;
            case QUEUE -> TurnPolicy.QUEUE;
            case MODERATED -> TurnPolicy.MODERATED;
            default -> TurnPolicy.UNKNOWN;
        };
    }

    /**
     * A room's rules in force, from its snapshot's options, as {@link JoinOptions} holds them (the
     * password is never reported; a policy this client does not know reads as round robin).
     */
    static JoinOptions rules(RoomOptions o) {
        JoinOptions.Builder b = JoinOptions.builder()
                .turnTimeout(Duration.ofMillis(Integer.toUnsignedLong(o.getTurnTimeoutMs())))
                .maxMembers(o.getMaxMembers()).inviteOnly(o.getInviteOnly())
                .messagesPerTurn(Math.max(1, Math.min(100, o.getMessagesPerTurn())))
                .revokeGrace(Duration.ofMillis(Math.min(60_000, Integer.toUnsignedLong(o.getRevokeGraceMs()))));
        TurnPolicy policy = policy(o.getPolicy());
        if (policy != TurnPolicy.UNKNOWN) {
            b.policy(policy);
        }
        if (o.getWarningMs() > 0) {
            b.warning(Duration.ofMillis(o.getWarningMs()));
        }
        if (o.hasEnd()) {
            if (o.getEnd().getAfterTurns() > 0) {
                b.endAfterTurns(o.getEnd().getAfterTurns());
            }
            if (o.getEnd().getAfterMs() > 0) {
                b.endAfter(Duration.ofMillis(o.getEnd().getAfterMs()));
            }
            if (!o.getEnd().getStopPhrase().isBlank()) {
                b.stopPhrase(o.getEnd().getStopPhrase());
            }
            b.endWhenAll(o.getEnd().getAll());
        }
        return b.build();
    }
}
