package dev.hotpochato.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's choice of JDK and collector, read from its dry run (it says what it would run and
 * builds nothing), with fake JDKs: a {@code bin/java} and a {@code release} file each.
 */
@EnabledOnOs({OS.LINUX, OS.MAC})
class LauncherTest {

    private static final Path LAUNCHER = Path.of("..", "hotpochato").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path jdk(String name, String version) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    /** What {@code ./hotpochato args} would run with {@code env} (and no JAVA_HOME, JAVA_OPTS or HOTPOCHATO_JAVA of ours). */
    private static String wouldRun(Map<String, String> env, String... args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add("/bin/bash");
        builder.command().add(LAUNCHER.toString());
        builder.command().addAll(java.util.List.of(args));
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(k -> k.equals("JAVA_HOME") || k.equals("JAVA_OPTS") || k.startsWith("HOTPOCHATO_")
                || k.equals("SDKMAN_CANDIDATES_DIR"));
        environment.put("HOTPOCHATO_LAUNCHER_DRY_RUN", "1");
        environment.putAll(env);
        Process p = builder.redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static String jar() {
        return " -jar " + LAUNCHER.getParent().resolve("hotpochato-server/target/hotpochato-server.jar");
    }

    @Test
    void onJdk23OrLaterTheServerRunsGenerationalZgc() throws Exception {
        Path jdk25 = jdk("jdk25", "25.0.1");
        assertEquals(jdk25.resolve("bin/java") + " -XX:+UseZGC" + jar() + " --port 1",
                wouldRun(Map.of("HOTPOCHATO_JAVA", jdk25.toString()), "server", "--port", "1"));
    }

    @Test
    void onJdk21GenerationalZgcIsAskedFor() throws Exception {
        Path jdk21 = jdk("jdk21", "21.0.5");
        String java = jdk21.resolve("bin/java").toString();
        assertEquals(java + " -XX:+UseZGC -XX:+ZGenerational" + jar(), wouldRun(Map.of("HOTPOCHATO_JAVA", java), "server"));
    }

    @Test
    void onJdk17TheServerKeepsTheDefaultCollector() throws Exception {
        Path jdk17 = jdk("jdk17", "17.0.15");
        assertEquals(jdk17.resolve("bin/java") + jar(), wouldRun(Map.of("JAVA_HOME", jdk17.toString()), "server"));
    }

    @Test
    void hotpochatoJavaWinsOverJavaHome() throws Exception {
        Path jdk17 = jdk("jdk17", "17.0.15");
        Path jdk25 = jdk("jdk25", "25");
        Map<String, String> env = new HashMap<>();
        env.put("JAVA_HOME", jdk17.toString());
        env.put("HOTPOCHATO_JAVA", jdk25.toString());
        assertTrue(wouldRun(env, "server").startsWith(jdk25.resolve("bin/java") + " -XX:+UseZGC"));
    }

    @Test
    void aCollectorInJavaOptsIsKept() throws Exception {
        Path jdk25 = jdk("jdk25", "25.0.1");
        assertEquals(jdk25.resolve("bin/java") + " -Xmx2g -XX:+UseG1GC" + jar(),
                wouldRun(Map.of("HOTPOCHATO_JAVA", jdk25.toString(), "JAVA_OPTS", "-Xmx2g -XX:+UseG1GC"), "server"));
    }

    @Test
    void withoutAChoiceTheNewestInstalledJdkIsFound() throws Exception {
        Path candidates = Files.createDirectories(dir.resolve("candidates/java"));
        Path newest = jdk("candidates/java/99.0.1-test", "99.0.1");
        jdk("candidates/java/17.0.1-test", "17.0.1");
        assertTrue(candidates.toFile().isDirectory());
        assertTrue(wouldRun(Map.of("SDKMAN_CANDIDATES_DIR", dir.resolve("candidates").toString()), "server")
                .startsWith(newest.resolve("bin/java") + " -XX:+UseZGC -jar"));
    }

    @Test
    void theCollectorIsTheServersOnly() throws Exception {
        Path jdk25 = jdk("jdk25", "25.0.1");
        String client = wouldRun(Map.of("HOTPOCHATO_JAVA", jdk25.toString()), "client");
        assertTrue(client.startsWith(jdk25.resolve("bin/java") + " -jar "), client);
    }
}
