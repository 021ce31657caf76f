package dev.hotpochato.examples;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.ClientResources;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.RoomListener;
import dev.hotpochato.client.Session;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Embedding the client library: three bots join one room of an in-process server and take turns
 * for a few rounds. Each bot answers the last thing said; the conversation is printed as it goes.
 * The three sessions share one {@link ClientResources}: one set of threads, shut down once.
 *
 * <p>Run it with {@code java -cp ... dev.hotpochato.examples.ThreeBots [rounds]}.
 */
public final class ThreeBots {

    private static final List<String> NAMES = List.of("ada", "bob", "cy");

    private ThreeBots() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        try (HotPochatoServer server = HotPochatoServer.start(
                ServerOptions.builder().bindAddress("127.0.0.1").port(0).build())) {
            for (Message m : converse("127.0.0.1", server.port(), rounds)) {
                System.out.println(m.speaker() + ": " + m.text());
            }
        }
    }

    /**
     * Connects the three bots to {@code host:port}, lets each speak {@code rounds} times, then
     * closes them; returns the conversation in the order it was said.
     */
    public static List<Message> converse(String host, int port, int rounds) throws Exception {
        ClientResources resources = ClientResources.create();
        List<Session> bots = new ArrayList<>();
        try {
            List<RoomHandle> rooms = new ArrayList<>();
            for (String name : NAMES) {
                Session bot = HotPochatoClient.connect(resources, ClientOptions.builder(name).host(host).port(port).build())
                        .get(10, TimeUnit.SECONDS);
                bots.add(bot);
                rooms.add(bot.join("bots").get(10, TimeUnit.SECONDS));
            }

            // One bot also keeps the transcript; its listener runs on its session's callback thread.
            List<Message> transcript = new ArrayList<>();
            CompletableFuture<List<Message>> done = new CompletableFuture<>();
            int expected = rounds * NAMES.size();
            rooms.get(0).addListener(new RoomListener() {
                @Override
                public void onSaid(RoomHandle room, Message message) {
                    transcript.add(message);
                    if (transcript.size() == expected) {
                        done.complete(List.copyOf(transcript));
                    }
                }
            });

            // Turn handlers go on once everyone is in, so that the rounds go ada, bob, cy, ada, ...
            for (RoomHandle room : rooms) {
                int[] spoken = {0};
                room.onMyTurn(turn -> {
                    if (spoken[0] == rounds) {
                        return; // done talking: keep the potato until everyone has been closed
                    }
                    spoken[0]++;
                    String heard = turn.lastHeard().map(Message::text).orElse("nothing yet");
                    turn.say("round " + spoken[0] + ", after " + heard.split(" ").length + " words");
                });
            }
            return done.get(30, TimeUnit.SECONDS);
        } finally {
            bots.forEach(Session::close);
            resources.shutdown().get(10, TimeUnit.SECONDS);
        }
    }
}
