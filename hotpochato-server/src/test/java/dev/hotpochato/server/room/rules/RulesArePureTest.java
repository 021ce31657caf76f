package dev.hotpochato.server.room.rules;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The turn rules are plain Java: no Netty, no protobuf or other wire type, no network or store
 * class, no clock or thread of their own. Read from the sources, so that a new import cannot slip in.
 */
class RulesArePureTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/hotpochato/server/room/rules");
    private static final Pattern IMPORT = Pattern.compile("^import (static )?([\\w.]+)", Pattern.MULTILINE);
    /** What the rules may use: the JDK's language, collections and byte comparison, and themselves. */
    private static final List<String> ALLOWED = List.of("java.util.", "java.nio.charset.", "java.security.MessageDigest",
            "dev.hotpochato.server.room.rules.");
    private static final Pattern FORBIDDEN_CALL = Pattern.compile(
            "System\\.(currentTimeMillis|nanoTime)|new Thread|Instant\\.now|Clock\\.|synchronized");

    @Test
    void theRulesImportNothingButTheJdksBasicsAndEachOther() throws IOException {
        List<String> offences = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(SOURCES)) {
            files = s.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(files.size() >= 10, "the rules' sources are at " + SOURCES.toAbsolutePath());
        for (Path file : files) {
            String source = Files.readString(file);
            Matcher m = IMPORT.matcher(source);
            while (m.find()) {
                String imported = m.group(2);
                if (ALLOWED.stream().noneMatch(imported::startsWith)) {
                    offences.add(file.getFileName() + " imports " + imported);
                }
            }
            Matcher call = FORBIDDEN_CALL.matcher(source);
            while (call.find()) {
                offences.add(file.getFileName() + " uses " + call.group());
            }
            if (source.contains("io.netty") || source.contains("dev.hotpochato.protocol")) {
                offences.add(file.getFileName() + " names Netty or the protocol");
            }
        }
        assertEquals(List.of(), offences);
    }
}
