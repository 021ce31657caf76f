package dev.hotpochato.terminal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.TlsOptions;
import dev.hotpochato.protocol.ProtocolDefaults;
import dev.hotpochato.terminal.interactive.ChatScreen;
import dev.hotpochato.terminal.script.ScriptedClient;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code java -jar hotpochato-client.jar}: the terminal client. Interactive (JLine) when standard
 * input and output are a terminal; otherwise (or with {@code --batch}) scripted, see
 * {@link ScriptedClient}.
 */
@Command(name = "hotpochato-client", mixinStandardHelpOptions = true, version = "HotPochato client 0.1.0",
        sortOptions = false, showDefaultValues = true,
        description = {
            "Chats in a HotPochato room, where only the holder of the hot potato may speak.",
            "",
            "On a terminal it is interactive: type to talk on your turn; /help lists the commands.",
            "",
            "Without a terminal (input from a pipe or file, or with --batch) each input line is said on "
                + "your turn, and events are printed one per line, TAB-separated: kind, room, details. "
                + "After the end of input it leaves once its turn comes round again.",
            "",
            "Ctrl-C or /quit leaves every room cleanly."})
public final class TerminalCommand implements Callable<Integer> {

    @Option(names = "--host", description = "Server host name or address.")
    String host = "localhost";

    @Option(names = "--port", description = "Server TCP port.")
    int port = ProtocolDefaults.PORT;

    @Option(names = "--name", description = "Your display name (1-32 printable characters).")
    String name = System.getProperty("user.name", "guest");

    @ArgGroup(exclusive = true)
    Destination destination = new Destination();

    static final class Destination {
        @Option(names = "--room", paramLabel = "ROOM", description = "Room to join (created if missing). Default: lobby.")
        String room;

        @Option(names = "--match", description = "Instead of a room, be paired with a stranger in a private room.")
        boolean match;
    }

    @Option(names = "--batch", description = "Run non-interactively even on a terminal.")
    boolean batch;

    @Option(names = "--tls", description = "Connect with TLS, trusting the JDK's certificate authorities "
            + "(or those of --trust); the certificate must name the host.")
    boolean tls;

    @Option(names = "--trust", paramLabel = "FILE", description = "PEM file of the certificates to trust "
            + "(a CA's or the server's own) instead of the JDK's; implies --tls.")
    Path trust;

    @Option(names = "--token", paramLabel = "TOKEN", description = "Credential for a server that requires one.")
    String token = "";

    @Option(names = "--no-reconnect", description = "Give up when the connection is lost, instead of "
            + "reconnecting and resuming the session.")
    boolean noReconnect;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", description = "How long to wait for a reply.")
    int requestTimeoutSeconds = 10;

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final boolean onTerminal;

    /** The session now open, for the shutdown hook that leaves cleanly on Ctrl-C. */
    private static volatile Session current;

    TerminalCommand(InputStream in, PrintStream out, PrintStream err, boolean onTerminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.onTerminal = onTerminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        ClientOptions.Builder builder = ClientOptions.builder(name).host(host).port(port).authToken(token)
                .reconnect(!noReconnect)
                .requestTimeout(java.time.Duration.ofSeconds(requestTimeoutSeconds));
        if (tls || trust != null) {
            builder.tls(TlsOptions.builder().trustedCertificates(trust).build());
        }
        ClientOptions options = builder.build();
        Session session;
        try {
            session = HotPochatoClient.connect(options).get(requestTimeoutSeconds + 10L, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            err.println("hotpochato-client: cannot connect to " + host + ":" + port + ": " + describe(cause));
            return 1;
        }
        current = session;
        try {
            Target target = destination.match ? Target.match()
                    : Target.room(destination.room == null ? "lobby" : destination.room);
            if (onTerminal && !batch) {
                return new ChatScreen(session).run(target);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            return new ScriptedClient(reader, out).run(session, target);
        } finally {
            session.close();
            current = null;
        }
    }

    /** One line saying what went wrong, never a stack trace. */
    public static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Runs the command with the given streams, as {@link #main} does with the process's; returns the exit code. */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean onTerminal) {
        return new CommandLine(new TerminalCommand(in, out, err, onTerminal))
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    err.println("hotpochato-client: " + describe(e));
                    return 1;
                })
                .execute(args);
    }

    public static void main(String[] args) {
        // Ctrl-C (or SIGTERM) outside the line editor: leave every room before the JVM goes.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            Session s = current;
            if (s != null) {
                s.close();
            }
        }, "hotpochato-leave"));
        System.exit(run(args, System.in, System.out, System.err, System.console() != null));
    }
}
