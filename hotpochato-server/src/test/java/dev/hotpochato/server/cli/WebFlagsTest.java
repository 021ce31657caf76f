package dev.hotpochato.server.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The web port's flags as an operator types them. */
class WebFlagsTest {

    @Test
    void theWebPortIsOffUnlessTheFlagIsGiven() {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs();
        assertEquals(-1, command.httpPort);
        assertEquals(List.of(), command.allowedOrigins);
    }

    @Test
    void theFlagsTakeAPortAndACommaSeparatedListOfOrigins() {
        ServerCommand command = new ServerCommand();
        new CommandLine(command).parseArgs("--http-port", "7480", "--allowed-origins",
                "https://chat.example.com,http://localhost:3000");
        assertEquals(7480, command.httpPort);
        assertEquals(List.of("https://chat.example.com", "http://localhost:3000"), command.allowedOrigins);
        new CommandLine(command).parseArgs("--http-port", "-1"); // what turns the launcher's default off
        assertEquals(-1, command.httpPort);
    }

    @Test
    void helpDescribesBoth() {
        StringWriter help = new StringWriter();
        new CommandLine(new ServerCommand()).usage(new PrintWriter(help));
        assertTrue(help.toString().contains("--http-port=PORT"), help.toString());
        assertTrue(help.toString().contains("--allowed-origins=ORIGIN"), help.toString());
    }
}
