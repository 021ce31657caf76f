package dev.hotpochato.terminal;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.Session;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The interactive client as a user runs it: its own JVM in a real pseudo-terminal (tmux), with
 * the kernel's SIGWINCH on a resize, against a server that is stopped and started again.
 */
class PseudoTerminalTest {

    private HotPochatoServer server;
    private int port;
    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @TempDir
    Path home;

    @BeforeEach
    void startServer() throws InterruptedException {
        Tmux.requireTmux();
        server = startServer(0);
        port = server.port();
    }

    private static HotPochatoServer startServer(int port) throws InterruptedException {
        return HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1").port(port)
                .turnTimeout(Duration.ofMinutes(5)).shutdownTimeout(Duration.ofSeconds(2)).build());
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** The client's main, in its own JVM, in tmux; its home is empty, so no configuration or history of the developer's. */
    private Tmux client(int columns, int rows, String... args) {
        List<String> command = new ArrayList<>(List.of("env", "HOME=" + home, "XDG_CONFIG_HOME=", "XDG_STATE_HOME=",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), TerminalCommand.class.getName(),
                "--host", "127.0.0.1", "--port", String.valueOf(port)));
        command.addAll(List.of(args));
        Tmux tmux = new Tmux(columns, rows, command);
        cleanup.add(tmux);
        return tmux;
    }

    private Session bob() {
        Session bob = HotPochatoClient.connect(ClientOptions.builder("bob").host("127.0.0.1").port(port)
                .autoRejoin(true).build()).join();
        cleanup.add(bob);
        return bob;
    }

    @Test
    void resizesNeverLoseALineNorLeaveTheCursorOnTheStatusRow() {
        Tmux alice = client(100, 30, "--name", "alice", "--room", "pty");
        alice.await("the prompt", t -> t.inputRow().startsWith("pty>"));
        RoomHandle bob = bob().join("pty").join();
        AtomicInteger answers = new AtomicInteger();
        bob.onMyTurn(turn -> turn.say("bob line " + answers.incrementAndGet()));
        for (int i = 1; i <= 12; i++) {
            alice.await("alice's turn", t -> t.statusRow().contains("YOUR TURN"));
            alice.type("alice line " + i);
            alice.press("Enter");
            int n = i;
            alice.await("bob's answer " + n, t -> t.rows().stream().anyMatch(r -> r.endsWith("bob: bob line " + n)));
        }
        for (int[] size : new int[][] {{80, 24}, {60, 15}, {140, 40}, {100, 30}}) {
            String where = size[0] + "x" + size[1];
            alice.resize(size[0], size[1]);
            alice.await("the screen resized to " + where, t -> t.height() == size[1]);
            assertIntact(alice, where);
            int answer = answers.get() + 1;
            alice.await("alice's turn", t -> t.statusRow().contains("YOUR TURN"));
            alice.type("after " + where);
            alice.press("Enter");
            alice.await("bob's answer after " + where, t -> {
                List<String> rows = t.rows();
                int h = rows.size();
                return rows.get(h - 5).endsWith("alice: after " + where) && rows.get(h - 4).endsWith("bob line " + answer)
                        && t.statusRow().contains("YOUR TURN");
            });
            assertIntact(alice, where);
        }
    }

    @Test
    void aServerRestartThenAResizeLeaveTheClientChatting() throws Exception {
        Tmux alice = client(100, 30, "--name", "alice", "--room", "pty");
        alice.await("the prompt", t -> t.inputRow().startsWith("pty>"));
        RoomHandle bob = bob().join("pty").join();
        AtomicInteger answers = new AtomicInteger();
        bob.onMyTurn(turn -> turn.say("bob line " + answers.incrementAndGet()));
        alice.await("alice's turn", t -> t.statusRow().contains("YOUR TURN"));
        alice.type("before the restart");
        alice.press("Enter");
        alice.await("bob's answer", t -> t.rows().stream().anyMatch(r -> r.endsWith("bob: bob line 1")));

        server.close(); // a graceful stop: the rooms close, the clients are told and cut off
        alice.awaitText("reconnecting");
        server = startServer(port);
        alice.awaitText("the server no longer knew this session");
        alice.awaitText("rejoined pty");
        assertEquals(1, alice.rows().stream().filter(r -> r.contains("rejoined pty")).count(), alice::toString);

        alice.resize(80, 24);
        alice.await("the screen laid out for 80x24", t -> t.height() == 24 && promptAboveStatus(t));
        alice.await("alice's turn in the new session", t -> t.statusRow().contains("YOUR TURN"));
        int answer = answers.get() + 1;
        alice.type("after the restart");
        alice.press("Enter");
        alice.await("bob's answer after the restart", t -> t.rows().stream().anyMatch(r -> r.endsWith("alice: after the restart"))
                && t.rows().stream().anyMatch(r -> r.endsWith("bob: bob line " + answer)));
        alice.await("the screen intact", PseudoTerminalTest::promptAboveStatus);
    }

    /** The status on the last row, the cursor on the prompt's row above it (the screen need not be full). */
    private static boolean promptAboveStatus(Tmux t) {
        List<String> rows = t.rows();
        int h = rows.size();
        int cursor = t.cursorRow();
        return rows.get(h - 1).startsWith(" pty | ") && cursor < h - 1 && rows.get(cursor).startsWith("pty>");
    }

    /**
     * Waits until the screen shows the status last, the prompt above it with the cursor, and the bob
     * lines above counting up by one. tmux reflows the old screen on a resize before the client
     * redraws, and a capture can catch the redraw halfway, so only a line lost for good (still
     * missing when the wait runs out) fails.
     */
    private static void assertIntact(Tmux t, String where) {
        AtomicReference<String> defect = new AtomicReference<>();
        try {
            t.await(where + " laid out intact", s -> {
                defect.set(defect(s));
                return defect.get() == null;
            });
        } catch (AssertionError e) {
            fail(where + ": " + defect.get() + "\n" + e.getMessage());
        }
    }

    /** What is wrong with the screen's layout, or null when it is intact. */
    private static String defect(Tmux t) {
        List<String> rows = t.rows();
        int h = rows.size();
        if (!rows.get(h - 1).startsWith(" pty | ")) {
            return "status row";
        }
        if (!rows.get(h - 2).startsWith("pty>")) {
            return "prompt row";
        }
        if (t.cursorRow() != h - 2) {
            return "the cursor is on row " + t.cursorRow() + ", not on the prompt row";
        }
        Pattern bobLine = Pattern.compile("\\d\\d:\\d\\d:\\d\\d bob: bob line (\\d+)");
        int last = -1;
        for (int i = 0; i < h - 2; i++) {
            Matcher m = bobLine.matcher(rows.get(i));
            if (m.matches()) {
                int n = Integer.parseInt(m.group(1));
                if (last >= 0 && n != last + 1) {
                    return "a line is missing above row " + i + ": bob line " + (last + 1);
                }
                last = n;
            }
        }
        return last > 0 ? null : "no chat lines left";
    }
}
