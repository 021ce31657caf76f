package dev.hotpochato.examples;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.LeaveReason;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.SessionListener;
import dev.hotpochato.client.Turn;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's bot, run as its own process: it answers what it heard, and Ctrl-C (SIGTERM) makes it leave, not vanish. */
class ReadmeExampleTest {

    private static final long TIMEOUT_SECONDS = 20;

    /** What alice sees of the room, one short line per event. */
    private static final class Seen implements SessionListener {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();

        @Override
        public void onMemberJoined(RoomHandle room, String name) {
            events.add("joined " + name);
        }

        @Override
        public void onTurnGranted(RoomHandle room, Turn turn) {
            events.add("turn " + turn.holder());
        }

        @Override
        public void onSaid(RoomHandle room, Message message) {
            events.add(message.speaker() + ": " + message.text());
        }

        @Override
        public void onMemberAway(RoomHandle room, String name) {
            events.add("away " + name);
        }

        @Override
        public void onMemberLeft(RoomHandle room, String name, LeaveReason reason) {
            events.add("left " + name + " " + reason);
        }

        void await(String expected) throws InterruptedException {
            while (true) {
                String e = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                if (e == null) {
                    throw new AssertionError("no '" + expected + "' within " + TIMEOUT_SECONDS + " s");
                }
                if (e.equals(expected)) {
                    return;
                }
            }
        }

        String next() throws InterruptedException {
            String e = events.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (e == null) {
                throw new AssertionError("no event within " + TIMEOUT_SECONDS + " s");
            }
            return e;
        }
    }

    @Test
    void theBotAnswersOnlyWhatItHeardSinceItsLastTurnAndLeavesCleanlyOnSigterm() throws Exception {
        // A long resume grace: a bot that vanished would stay "away" for all of it.
        try (HotPochatoServer server = HotPochatoServer.start(ServerOptions.builder().bindAddress("127.0.0.1")
                .port(0).resumeGrace(Duration.ofMinutes(5)).shutdownTimeout(Duration.ofSeconds(2)).build())) {
            Seen seen = new Seen();
            Session alice = HotPochatoClient.connect(ClientOptions.builder("alice").host("127.0.0.1")
                    .port(server.port()).build()).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            alice.addListener(seen);
            RoomHandle lobby = alice.join("lobby").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

            Path output = Files.createTempFile("readme-bot", ".log");
            Process bot = startBot(server.port(), output);
            try {
                seen.await("joined echo-bot");
                seen.await("turn alice");
                lobby.say("hi").get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                seen.await("turn echo-bot");
                assertEquals("echo-bot: alice said: hi", seen.next());
                seen.await("turn alice");
                lobby.pass().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                seen.await("turn echo-bot");
                assertEquals("echo-bot: anyone there?", seen.next(), "nothing was said since: no repeat");
                seen.await("turn alice");

                bot.destroy(); // SIGTERM, as Ctrl-C or a service manager would send
                assertTrue(bot.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the bot exits");
                String next = seen.next();
                assertEquals("left echo-bot LEFT", next, "it left the room instead of going away");
            } finally {
                bot.destroyForcibly();
                alice.close();
            }
            List<String> log = Files.readAllLines(output);
            assertFalse(log.stream().anyMatch(l -> l.contains("No SLF4J providers")), log.toString());
            Files.deleteIfExists(output);
        }
    }

    private static Process startBot(int port, Path output) throws Exception {
        // Surefire gives its forked JVM a manifest-only jar; the real class path is in this property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", classPath, ReadmeExample.class.getName(), "127.0.0.1",
                String.valueOf(port))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
    }
}
