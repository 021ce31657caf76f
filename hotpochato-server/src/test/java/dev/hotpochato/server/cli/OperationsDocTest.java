package dev.hotpochato.server.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.OptionSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/operations.md's table of every flag, with its environment variable, file key and default,
 * is generated from the flags themselves: this test fails when the two differ. Rewrite the table
 * with {@code mvn -B -o verify -pl hotpochato-server -am -Dtest=OperationsDocTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dhotpochato.updateDocs=true}.
 */
class OperationsDocTest {

    static final Path DOC = Path.of("..", "docs", "operations.md");
    static final String BEGIN = "<!-- BEGIN server options: generated from ServerCommand by OperationsDocTest -->";
    static final String END = "<!-- END server options -->";

    /** The table as the flags say it should be. */
    static String table() {
        CommandLine cl = ServerCommand.commandLine(new ServerCommand(), Map.of());
        StringBuilder t = new StringBuilder();
        t.append("| Flag | Environment variable | File key | Default | What it sets |\n");
        t.append("|---|---|---|---|---|\n");
        for (OptionSpec o : cl.getCommandSpec().options()) {
            if (!ConfigurationSources.configurable(o)) {
                continue;
            }
            boolean config = o.longestName().equals(ConfigurationSources.CONFIG_FLAG);
            String flag = o.longestName() + (o.arity().max() > 0 ? " " + o.paramLabel() : "");
            String defaultValue = o.showDefaultValue() == Visibility.NEVER || o.defaultValueString() == null
                    || o.defaultValueString().equals("null") ? "—" : "`" + o.defaultValueString() + "`";
            t.append("| `").append(flag).append("` | `").append(ConfigurationSources.environmentVariable(o)).append("` | ")
                    .append(config ? "—" : "`" + ConfigurationSources.key(o) + "`").append(" | ")
                    .append(defaultValue).append(" | ")
                    .append(String.join(" ", o.description()).replace("|", "\\|")).append(" |\n");
        }
        return t.toString();
    }

    @Test
    void theTableOfFlagsInOperationsMdIsTheFlags() throws Exception {
        String doc = Files.readString(DOC);
        int begin = doc.indexOf(BEGIN);
        int end = doc.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "docs/operations.md lacks the markers " + BEGIN + " ... " + END);
        String written = doc.substring(begin + BEGIN.length() + 1, end);
        String expected = table();
        if (!written.equals(expected) && Boolean.getBoolean("hotpochato.updateDocs")) {
            Files.writeString(DOC, doc.substring(0, begin + BEGIN.length() + 1) + expected + doc.substring(end));
            return;
        }
        assertEquals(expected, written, "docs/operations.md's table of flags is stale; rerun this test with "
                + "-Dhotpochato.updateDocs=true to rewrite it");
    }

    @Test
    void theTableShowsDurationsAsTypedAndEveryVariable() {
        String table = table();
        assertTrue(table.contains("| `--turn-timeout DURATION` | `HOTPOCHATO_TURN_TIMEOUT` | `turn-timeout` | `30s` |"), table);
        assertTrue(table.contains("| `--no-console` | `HOTPOCHATO_NO_CONSOLE` | `no-console` |"), table);
        assertTrue(!table.contains("`PT"), table); // a Duration's toString, not ATTEMPTS
    }
}
