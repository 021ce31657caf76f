package dev.hotpochato.server.internal;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * Says what went wrong with a file in a few words, for messages that already name the file and the
 * flag: {@code no such file} rather than the bare path that {@link NoSuchFileException#getMessage()} is.
 */
public final class Problems {

    private Problems() {
    }

    public static String describe(Throwable e) {
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof CharacterCodingException) {
            return "not UTF-8 text";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof IOException && e.getMessage() != null && e.getMessage().equals("Is a directory")) {
            return "is a directory";
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
