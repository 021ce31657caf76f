package dev.hotpochato.server.room;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Comparisons of secrets (room passwords, authentication tokens) that take as long whatever the guess. */
public final class Secrets {

    private Secrets() {
    }

    /**
     * Whether {@code given} equals {@code expected}, compared as UTF-8 bytes in time that depends on
     * their lengths only, never on how much of a guess is right.
     */
    public static boolean equal(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
