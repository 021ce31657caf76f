package dev.hotpochato.client;

import dev.hotpochato.protocol.v1.Error;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

class ErrorCodeTest {

    @Test
    void everyProtocolErrorCodeHasAPublicCodeOfTheSameName() {
        for (Error.Code code : Error.Code.values()) {
            if (code != Error.Code.UNRECOGNIZED && code != Error.Code.CODE_UNSPECIFIED) {
                assertDoesNotThrow(() -> ErrorCode.valueOf(code.name()), code.name());
            }
        }
    }
}
