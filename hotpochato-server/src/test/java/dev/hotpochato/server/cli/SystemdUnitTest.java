package dev.hotpochato.server.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** dist/hotpochato.service is a unit systemd accepts, sandboxed as docs/operations.md says. */
class SystemdUnitTest {

    private static final Path UNIT = Path.of("..", "dist", "hotpochato.service");

    @Test
    void theUnitIsSandboxedAndReloadsOnSighup() throws Exception {
        String unit = Files.readString(UNIT);
        for (String line : List.of("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes",
                "PrivateDevices=yes", "CapabilityBoundingSet=", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
                "SystemCallFilter=@system-service", "ExecReload=/bin/kill -HUP $MAINPID",
                "Environment=HOTPOCHATO_NO_CONSOLE=true", "Environment=HOTPOCHATO_CONFIG=/etc/hotpochato/server.properties")) {
            assertTrue(unit.lines().anyMatch(line::equals), () -> "the unit lacks " + line);
        }
        assertTrue(unit.lines().noneMatch(l -> l.startsWith("MemoryDenyWriteExecute=yes")), "the JIT needs W+X memory");
    }

    @Test
    void systemdAnalyzeVerifiesTheUnitWithoutAWarning(@TempDir Path dir) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze is not installed here; dist/hotpochato.service is not verified");
        String unit = Files.readString(UNIT);
        // The one line that depends on the machine: systemd checks that the JDK it names exists.
        Matcher exec = Pattern.compile("^ExecStart=(\\S+)", Pattern.MULTILINE).matcher(unit);
        assertTrue(exec.find(), "no ExecStart");
        if (!Files.isExecutable(Path.of(exec.group(1)))) {
            String here = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            System.out.println("SystemdUnitTest: " + exec.group(1) + " is not on this machine; verifying with " + here);
            unit = unit.replace("ExecStart=" + exec.group(1), "ExecStart=" + here);
        }
        Path copy = Files.writeString(dir.resolve("hotpochato.service"), unit);
        Process verify = new ProcessBuilder(analyze.toString(), "verify", copy.toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS), "systemd-analyze did not finish");
        // It exits 0 after an unknown key or a bad value too: only silence means the unit is clean.
        assertEquals("", output.strip(), "systemd-analyze verify says:\n" + output);
        assertEquals(0, verify.exitValue());
    }
}
