package dev.hotpochato.examples;

import dev.hotpochato.client.ClientOptions;
import dev.hotpochato.client.ClientResources;
import dev.hotpochato.client.EndRule;
import dev.hotpochato.client.FloorState;
import dev.hotpochato.client.FloorUpdate;
import dev.hotpochato.client.HotPochatoClient;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.Message;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.RoomListener;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.TurnPolicy;
import dev.hotpochato.server.HotPochatoServer;
import dev.hotpochato.server.ServerOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A moderated room run by a program: a chair bot picks who speaks next among three rule-based agent
 * bots that raise their hands (AutoGen's "selector" group chat, over HotPochato's floor control).
 * The room ends when the writer says the stop phrase {@value #STOP_PHRASE}, or after a number of
 * turns, whichever comes first: the server enforces both and says which rule fired.
 *
 * <p>The agents: the planner proposes a plan, the critic reviews the latest plan (it is satisfied
 * with the second), the writer writes up an agreed plan and ends the meeting. The chair's rule:
 * after the planner, the critic; after a critique, the writer if the critic is satisfied, else the
 * planner again; to start, the planner. It only ever grants the floor to a raised hand.
 *
 * <p>Run it with {@code java -cp ... dev.hotpochato.examples.ModeratedPanel [max-turns]}.
 */
public final class ModeratedPanel {

    /** What ends the meeting when the writer says it. */
    public static final String STOP_PHRASE = "TERMINATE";
    static final String ROOM = "panel";

    /** The conversation, in order, and the end rule that closed the room. */
    public record Result(List<Message> transcript, EndRule endedBy) {
    }

    private ModeratedPanel() {
    }

    public static void main(String[] args) throws Exception {
        int maxTurns = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        try (HotPochatoServer server = HotPochatoServer.start(
                ServerOptions.builder().bindAddress("127.0.0.1").port(0).build())) {
            Result r = run("127.0.0.1", server.port(), maxTurns);
            for (Message m : r.transcript()) {
                System.out.println(m.speaker() + ": " + m.text());
            }
            System.out.println("(the room ended: " + r.endedBy() + ")");
        }
    }

    /** The agents and what each says, given the conversation so far and how often it has spoken. */
    private static final List<Agent> AGENTS = List.of(
            new Agent("planner", said -> "plan v" + (count(said, "planner") + 1) + ": split the work into "
                    + (count(said, "planner") + 2) + " steps"),
            new Agent("critic", said -> count(said, "critic") == 0
                    ? "critique: step 2 of " + last(said, "planner") + " is vague"
                    : "critique: looks good"),
            new Agent("writer", said -> "final: we agreed on \"" + last(said, "planner") + "\". " + STOP_PHRASE));

    private record Agent(String name, Function<List<Message>, String> speak) {
    }

    /** The chair's rule: who should speak after {@code lastSpeaker} said {@code lastText}. */
    static String next(String lastSpeaker, String lastText) {
        if (lastSpeaker == null || lastSpeaker.equals("writer")) {
            return "planner";
        }
        if (lastSpeaker.equals("planner")) {
            return "critic";
        }
        return lastText.contains("looks good") ? "writer" : "planner";
    }

    /**
     * Runs the meeting on the server at {@code host:port}: the chair creates the room, ending after
     * {@code maxTurns} turns or on the stop phrase; the agents join and raise their hands.
     */
    public static Result run(String host, int port, int maxTurns) throws Exception {
        ClientResources resources = ClientResources.create();
        List<Session> sessions = new ArrayList<>();
        try {
            Session chairSession = HotPochatoClient.connect(resources, ClientOptions.builder("chair").host(host)
                    .port(port).build()).get(10, TimeUnit.SECONDS);
            sessions.add(chairSession);
            RoomHandle chair = chairSession.join(ROOM, JoinOptions.builder().policy(TurnPolicy.MODERATED)
                    .endAfterTurns(maxTurns).stopPhrase(STOP_PHRASE).build()).get(10, TimeUnit.SECONDS);
            Chair selector = new Chair();
            chair.addListener(selector);

            for (Agent agent : AGENTS) {
                Session s = HotPochatoClient.connect(resources, ClientOptions.builder(agent.name()).host(host)
                        .port(port).build()).get(10, TimeUnit.SECONDS);
                sessions.add(s);
                RoomHandle room = s.join(ROOM).get(10, TimeUnit.SECONDS);
                // An agent always wants to speak again: it says its piece, then raises its hand.
                room.onMyTurn(turn -> turn.say(agent.speak().apply(room.history()))
                        .thenCompose(said -> room.raiseHand())
                        .exceptionally(e -> null)); // the room may have ended with what it said
                room.raiseHand().get(10, TimeUnit.SECONDS);
            }
            return selector.result.get(30, TimeUnit.SECONDS);
        } finally {
            sessions.forEach(Session::close);
            resources.shutdown().get(10, TimeUnit.SECONDS);
        }
    }

    /** The chair bot: grants the floor by its rule whenever the floor is free and the one it wants has a hand up. */
    private static final class Chair implements RoomListener {
        final CompletableFuture<Result> result = new CompletableFuture<>();
        private final List<Message> transcript = new ArrayList<>();
        private String lastSpeaker;
        private String lastText = "";
        /** A grant is on its way: no second one until the floor is free again. */
        private boolean granting;

        @Override
        public void onSaid(RoomHandle room, Message m) {
            transcript.add(m);
            lastSpeaker = m.speaker();
            lastText = m.text();
        }

        @Override
        public void onFloorUpdate(RoomHandle room, FloorUpdate update) {
            if (update.state() == FloorState.PENDING) {
                select(room);
            }
        }

        @Override
        public void onFloorIdle(RoomHandle room) {
            granting = false;
            select(room);
        }

        private void select(RoomHandle room) {
            if (granting || room.holder().isPresent()
                    || !room.members().containsAll(AGENTS.stream().map(Agent::name).toList())) {
                return; // the meeting starts once every agent is in
            }
            String wanted = next(lastSpeaker, lastText);
            if (room.queue().contains(wanted)) {
                granting = true;
                room.grant(wanted).exceptionally(e -> {
                    granting = false; // refused (the room ended, say): nothing more to do
                    return null;
                });
            }
        }

        @Override
        public void onRoomEnded(RoomHandle room, EndRule rule, String reason) {
            result.complete(new Result(List.copyOf(transcript), rule));
        }

        @Override
        public void onRoomClosed(RoomHandle room, String reason) {
            result.complete(new Result(List.copyOf(transcript), EndRule.UNKNOWN)); // if not ended by a rule
        }
    }

    private static long count(List<Message> said, String speaker) {
        return said.stream().filter(m -> m.speaker().equals(speaker)).count();
    }

    private static String last(List<Message> said, String speaker) {
        for (int i = said.size() - 1; i >= 0; i--) {
            if (said.get(i).speaker().equals(speaker)) {
                return said.get(i).text();
            }
        }
        return "no plan";
    }
}
