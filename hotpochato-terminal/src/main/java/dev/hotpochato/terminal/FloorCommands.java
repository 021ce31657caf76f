package dev.hotpochato.terminal;

import dev.hotpochato.client.FloorState;
import dev.hotpochato.client.FloorUpdate;
import dev.hotpochato.client.JoinOptions;
import dev.hotpochato.client.RoomHandle;
import dev.hotpochato.client.Session;
import dev.hotpochato.client.Turn;
import dev.hotpochato.client.TurnPolicy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The floor-control commands of the terminal ({@code /create}, {@code /hand}, {@code /grant}, ...),
 * the lines that tell of floor events, and the queue shown in the status bar: kept apart from the
 * screen so that they can be tested without a terminal.
 */
public final class FloorCommands {

    /** The floor commands, with what they do; appended to {@code /help}. */
    public static final String HELP = String.join("\n",
            "  /create ROOM POLICY [N]  create ROOM with POLICY round-robin, queue or moderated",
            "                           (N: end the room after N turns)",
            "  /listen ROOM  join ROOM as audience: listen; /hand to ask to speak",
            "  /hand         raise your hand for the floor (queue and moderated rooms; audience anywhere)",
            "  /withdraw     lower your raised hand",
            "  /hands        who has a hand up, in order, and who chairs the room",
            "  chairs only:",
            "  /grant [NAME [DURATION]] give the floor to NAME (default: the head of the queue), name first:",
            "                           /grant bob 30s (DURATION: 30s, 2m, a bare number is seconds;",
            "                           default: the room's turn length)",
            "  /revoke [REASON]         take the floor back from its holder",
            "  /deny NAME [REASON]      turn down NAME's raised hand",
            "  /mute NAME, /unmute NAME keep NAME from getting the floor, or stop",
            "  /remove NAME [REASON]    remove NAME from the room",
            "  /chair NAME              make NAME a chair too",
            "  /stepdown                stop being a chair (the longest-present member succeeds the last)",
            "  /speaker NAME, /audience NAME  move NAME to the speakers, or to the audience");

    /** What a command asked for: a request to report, a line to show, or a usage error. */
    public record Outcome(CompletableFuture<?> request, String info, String error) {
        static Outcome request(CompletableFuture<?> r) {
            return new Outcome(r, null, null);
        }

        static Outcome info(String text) {
            return new Outcome(null, text, null);
        }

        static Outcome error(String text) {
            return new Outcome(null, null, text);
        }
    }

    private FloorCommands() {
    }

    /** Whether {@code name} is one of these commands. */
    public static boolean isFloorCommand(String name) {
        return switch (name) {
            case "create", "listen", "hand", "withdraw", "hands", "grant", "revoke", "deny", "mute", "unmute", "remove",
                 "chair", "stepdown", "speaker", "audience" -> true;
            default -> false;
        };
    }

    /** Carries out floor command {@code c} in {@code room} (null if the client is in none). */
    public static Outcome run(ChatCommand c, RoomHandle room, Session session) {
        return run(c, room, session, JoinOptions.defaults());
    }

    /**
     * @param created how this client creates rooms ({@code --turn-timeout}, {@code --messages-per-turn},
     *                {@code --revoke-grace}); {@code /create} adds the policy and the end rule
     */
    public static Outcome run(ChatCommand c, RoomHandle room, Session session, JoinOptions created) {
        String arg = c.argument();
        if (c.name().equals("create")) {
            return create(arg, session, created);
        }
        if (c.name().equals("listen")) {
            return arg.isEmpty() || arg.contains(" ") ? Outcome.error("usage: /listen ROOM")
                    : Outcome.request(session.join(arg, JoinOptions.builder().audience(true).build()));
        }
        if (room == null || !room.isOpen()) {
            return Outcome.error("you are not in a room: /join ROOM or /create ROOM POLICY");
        }
        String first = firstWord(arg);
        String rest = arg.substring(first.length()).trim();
        return switch (c.name()) {
            case "hand" -> Outcome.request(room.raiseHand());
            case "withdraw" -> Outcome.request(room.withdraw());
            case "hands" -> Outcome.info(queueLine(room));
            case "grant" -> grant(room, first, rest);
            case "revoke" -> Outcome.request(room.revoke(arg));
            case "deny" -> first.isEmpty() ? Outcome.error("usage: /deny NAME [REASON]")
                    : Outcome.request(room.deny(first, rest));
            case "mute", "unmute" -> first.isEmpty() ? Outcome.error("usage: /" + c.name() + " NAME")
                    : Outcome.request(room.mute(first, c.name().equals("mute")));
            case "remove" -> first.isEmpty() ? Outcome.error("usage: /remove NAME [REASON]")
                    : Outcome.request(room.remove(first, rest));
            case "chair" -> first.isEmpty() ? Outcome.error("usage: /chair NAME")
                    : Outcome.request(room.appointChair(first));
            case "stepdown" -> Outcome.request(room.stepDown());
            case "speaker", "audience" -> first.isEmpty() ? Outcome.error("usage: /" + c.name() + " NAME")
                    : Outcome.request(room.move(first, c.name().equals("audience")));
            default -> throw new IllegalArgumentException("not a floor command: /" + c.name());
        };
    }

    /** What {@code /create} asks for: the room and how to create it, or a usage error. */
    public record Create(String room, JoinOptions options, String error) {
    }

    /** {@code /create ROOM POLICY [TURNS]}, with {@code created}'s flags for the rest. */
    public static Create parseCreate(String arg, JoinOptions created) {
        String[] words = arg.isEmpty() ? new String[0] : arg.split("\\s+");
        if (words.length < 2 || words.length > 3) {
            return new Create(null, null, "usage: /create ROOM round-robin|queue|moderated [TURNS]");
        }
        TurnPolicy policy = policy(words[1]);
        if (policy == null) {
            return new Create(null, null, "unknown policy " + words[1] + ": round-robin, queue or moderated");
        }
        JoinOptions.Builder options = JoinOptions.builder().policy(policy)
                .messagesPerTurn(created.messagesPerTurn()).revokeGrace(created.revokeGrace());
        created.turnTimeout().ifPresent(options::turnTimeout);
        if (words.length == 3) {
            try {
                options.endAfterTurns(Integer.parseInt(words[2]));
            } catch (RuntimeException e) {
                return new Create(null, null, "TURNS must be a positive number, not " + words[2]);
            }
        }
        return new Create(words[0], options.build(), null);
    }

    private static Outcome create(String arg, Session session, JoinOptions created) {
        Create c = parseCreate(arg, created);
        return c.error() != null ? Outcome.error(c.error()) : Outcome.request(session.join(c.room(), c.options()));
    }

    /**
     * What was asked for a new room but not applied because {@code room} already existed (a join
     * creates only a room that does not): "standup already existed: it is a queue room (your
     * moderated, end after 3 turns were not applied)"; null when it was new, or nothing asked differs.
     * A room just created holds only its creator, so a room joined with others in it existed.
     *
     * @param policyAsked whether the policy was asked for (a script's default round robin was not)
     */
    public static String notApplied(RoomHandle room, JoinOptions asked, boolean policyAsked) {
        if (room.members().size() < 2) {
            return null;
        }
        List<String> lost = new ArrayList<>();
        if (policyAsked && asked.policy() != room.policy()) {
            lost.add(policyName(asked.policy()));
        }
        JoinOptions has = room.rules();
        if (asked.endAfterTurns() > 0 && asked.endAfterTurns() != has.endAfterTurns()) {
            lost.add("end after " + asked.endAfterTurns() + (asked.endAfterTurns() == 1 ? " turn" : " turns"));
        }
        asked.endAfter().filter(d -> !has.endAfter().equals(Optional.of(d)))
                .ifPresent(d -> lost.add("end after " + DurationText.of(d)));
        if (!asked.stopPhrase().isEmpty() && !asked.stopPhrase().equalsIgnoreCase(has.stopPhrase())) {
            lost.add("stop phrase");
        }
        if (!asked.revokeGrace().isZero() && !asked.revokeGrace().equals(has.revokeGrace())) {
            lost.add("a revoke grace of " + DurationText.of(asked.revokeGrace()));
        }
        if (asked.messagesPerTurn() > 1 && asked.messagesPerTurn() != room.messagesPerTurn()) { // 1: the default, not asked
            lost.add(asked.messagesPerTurn() + " messages per turn");
        }
        asked.turnTimeout().filter(t -> !room.turnTimeout().equals(Optional.of(t)))
                .ifPresent(t -> lost.add("turns of " + DurationText.of(t)));
        if (lost.isEmpty()) {
            return null;
        }
        return SafeText.name(room.name()) + " already existed: it is a " + policyName(room.policy()) + " room (your "
                + String.join(", ", lost) + (lost.size() == 1 ? " was" : " were") + " not applied)";
    }

    private static String policyName(TurnPolicy policy) {
        return policy.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** A policy as the user names it ({@code round-robin}, {@code queue}, {@code moderated}), or null. */
    public static TurnPolicy policy(String word) {
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "round-robin", "roundrobin", "rr" -> TurnPolicy.ROUND_ROBIN;
            case "queue", "hand", "hands" -> TurnPolicy.QUEUE;
            case "moderated", "chair" -> TurnPolicy.MODERATED;
            default -> null;
        };
    }

    /** Whether {@code name} is a floor command that scripted mode runs (all but /create and /listen: the room is --room). */
    public static boolean isScriptCommand(String name) {
        return isFloorCommand(name) && !name.equals("create") && !name.equals("listen");
    }

    static final String GRANT_USAGE = "usage: /grant [NAME [DURATION]], name first: /grant bob 30s";

    /**
     * {@code /grant}: the head of the queue; {@code /grant NAME}; {@code /grant NAME DURATION}. The
     * name always comes first, so a lone duration ({@code /grant 30s}) is refused rather than taken
     * for a member's name, unless a member has that name.
     */
    private static Outcome grant(RoomHandle room, String name, String rest) {
        if (!name.isEmpty() && rest.isEmpty() && duration(name) != null && !room.members().contains(name)) {
            return Outcome.error(GRANT_USAGE + " (" + SafeText.name(name) + " is no member)");
        }
        Duration talkTime = Duration.ZERO;
        if (!rest.isEmpty()) {
            talkTime = rest.contains(" ") ? null : duration(rest);
            if (talkTime == null) {
                return Outcome.error(GRANT_USAGE + " (not a duration: " + SafeText.name(rest) + ")");
            }
            // Checked here, so that the line reads "1 min 30 s", not the library's "PT-5S" or the server's ms.
            if (talkTime.isNegative() || talkTime.isZero()) {
                return Outcome.error("talk time must be a positive duration such as 30s or 2m");
            }
            Optional<Duration> limit = room.turnTimeout();
            if (limit.isPresent() && talkTime.compareTo(limit.get()) > 0) {
                return Outcome.error("talk time " + DurationText.of(talkTime) + " is above the room's turn length of "
                        + DurationText.of(limit.get()));
            }
            if (talkTime.compareTo(Duration.ofDays(24)) > 0) {
                return Outcome.error("talk time must be at most 24 days");
            }
        }
        return Outcome.request(room.grant(name, talkTime));
    }

    /** A duration as the flags take it (30s, 500ms, 2m, a bare number of seconds), or null. */
    private static Duration duration(String word) {
        try {
            return new TerminalCommand.DurationConverter().convert(word);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String firstWord(String s) {
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }

    /** {@code /hands}: the raised hands in order, the chairs, and who is muted. */
    public static String queueLine(RoomHandle room) {
        String policy = room.policy().name().toLowerCase(Locale.ROOT).replace('_', '-');
        return SafeText.name(room.name()) + " (" + policy + "): "
                + (room.queue().isEmpty() ? "no hands up" : "hands up: " + numbered(room))
                + "; chairs: " + (room.chairs().isEmpty() ? "none" : names(room.chairs()))
                + (room.muted().isEmpty() ? "" : "; muted: " + names(room.muted()))
                + (room.audience().isEmpty() ? "" : "; audience: " + names(room.audience()));
    }

    private static String names(Collection<String> names) {
        return String.join(", ", names.stream().map(SafeText::name).sorted().toList());
    }

    private static String numbered(RoomHandle room) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < room.queue().size(); i++) {
            b.append(i == 0 ? "" : ", ").append(i + 1).append(". ").append(SafeText.name(room.queue().get(i)));
        }
        return b.toString();
    }

    /** What the status bar adds for a room: the raised hands and whether this client chairs; "" for round robin. */
    public static String status(RoomHandle room) {
        if (room == null) {
            return "";
        }
        if (room.policy() == TurnPolicy.ROUND_ROBIN) {
            return (room.isAudience() ? " | audience" : "") + (room.queue().isEmpty() ? ""
                    : " | hands: " + String.join(", ", room.queue().stream().map(SafeText::name).toList()))
                    + (room.isChair() ? " | you chair" : "");
        }
        String me = room.session().name();
        int mine = room.queue().indexOf(me) + 1;
        return (room.queue().isEmpty() ? " | no hands up"
                : " | hands: " + String.join(", ", room.queue().stream().map(SafeText::name).toList()))
                + (mine > 0 ? " (you are #" + mine + ")" : "")
                + (room.isChair() ? " | you chair" : "") + (room.isAudience() ? " | audience" : "");
    }

    /**
     * Whether this client's turn will not come in {@code room} until it raises a hand: a queue or
     * moderated room (or the audience of any room), no hand up, not holding the floor, not muted.
     */
    public static boolean needsHand(RoomHandle room) {
        String me = room.session().name();
        return (room.policy() != TurnPolicy.ROUND_ROBIN || room.isAudience()) && !room.isMyTurn()
                && !room.queue().contains(me) && !room.muted().contains(me);
    }

    /** What to do while a queue or moderated room's floor is free, for this client. */
    public static String idle(RoomHandle room) {
        if (room.muted().contains(room.session().name())) {
            return "the floor is free (you are muted)"; // no /hand: the server would refuse it
        }
        if (room.policy() == TurnPolicy.MODERATED) {
            return room.isChair() ? "the floor is free: /grant NAME gives it" : "the floor is free: /hand, and a chair gives it";
        }
        return "the floor is free: /hand to speak";
    }

    /**
     * A floor update as a line for {@code me}; null for one that another line already tells: the
     * acceptance of a raised hand (the move to the speakers says it), and, for the one concerned,
     * the end of its turn or request by a chair's move to the audience or mute (that one line says it).
     */
    public static String describe(FloorUpdate u, String me) {
        boolean mine = u.member().equals(me);
        boolean byMoveOrMute = u.reason().equals("moved to the audience") || u.reason().equals("muted");
        if (u.state() == FloorState.ACCEPTED
                || (mine && byMoveOrMute && (u.state() == FloorState.REVOKED
                    || u.state() == FloorState.DENIED))) {
            return null;
        }
        String who = mine ? "you" : SafeText.name(u.member());
        String by = u.by().isEmpty() ? "" : " by " + SafeText.name(u.by());
        String why = u.reason().isEmpty() ? "" : " (" + SafeText.name(u.reason()) + ")";
        return "* " + switch (u.state()) {
            case PENDING -> who + " raised a hand (#" + u.position() + " in the queue)";
            case GRANTED -> who + (u.by().equals(u.member()) ? " took the floor" : " got the floor" + by)
                    + (u.talkTime().isZero() ? "" : " for " + DurationText.of(u.talkTime()));
            // Without a reason the line before it said why (passed, time ran out), unless the holder's
            // last allowed message ended it: the screen drops this line in the first case, keeps it in the second.
            case RELEASED -> u.reason().isEmpty() ? (mine ? "your turn" : SafeText.name(u.member()) + "'s turn")
                    + " ended (no messages left)" : who + " gave up the floor" + why;
            case REVOKED -> revoked(u, mine);
            case DENIED -> (u.member().equals(me) ? "your" : SafeText.name(u.member()) + "'s") + " raised hand was denied" + by + why;
            case WITHDRAWN -> who + " lowered a hand" + why;
            case ACCEPTED -> who + " joined the speakers" + by;
            case UNKNOWN -> who + ": floor changed";
        };
    }

    /** "carol revoked your turn: off topic — 10 s to finish" (the grace, if the room gives one). */
    private static String revoked(FloorUpdate u, boolean mine) {
        String whose = mine ? "your turn" : SafeText.name(u.member()) + "'s turn";
        String what = u.by().isEmpty() ? whose + " was revoked" : SafeText.name(u.by()) + " revoked " + whose;
        return what + (u.reason().isEmpty() ? "" : ": " + SafeText.name(u.reason()))
                + (u.talkTime().isZero() ? "" : " \u2014 " + DurationText.of(u.talkTime()) + " to finish");
    }

    /**
     * A move between the speakers and the audience as a line for {@code me}, second person for the
     * one moved: "carol moved you to the audience". Without a chair ({@code by} empty) an audience
     * move is the member joining as audience ({@code /listen}), which it never left the speakers for;
     * a chair moving itself moved, nobody moved it.
     *
     * @param ended     what the move ended of {@code me}'s, as " (your turn ended)", or ""
     * @param mayRaise  whether {@code me} may raise a hand (not muted)
     */
    public static String moved(String room, String name, boolean audience, String by, String me, String ended,
                               boolean mayRaise) {
        boolean mine = name.equals(me);
        String who = mine ? "you" : SafeText.name(name);
        if (by.isEmpty() && audience) {
            return "* " + (mine ? "you are" : who + " is") + " in the audience of " + SafeText.name(room)
                    + (mine && mayRaise ? ": /hand asks to speak" : "");
        }
        String where = audience ? " to the audience" : " to the speakers";
        String what = by.isEmpty() ? who + " joined the speakers"
                : by.equals(name) ? who + " moved" + where
                : SafeText.name(by) + " moved " + who + where;
        return "* " + what + ended + (mine && audience && mayRaise ? ": /hand asks to speak again" : "");
    }

    /** "bob is already muted": a chair request that changed nothing, as the server answered it. */
    public static String unchanged(String name, String state, String me) {
        String who = name.equals(me) ? "you" : SafeText.name(name);
        String is = name.equals(me) ? " are" : " is";
        return "* nothing changed: " + switch (state) {
            case "muted" -> who + is + " already muted";
            case "unmuted" -> who + is + " not muted";
            case "audience" -> who + is + " already in the audience";
            case "speakers" -> who + is + " already a speaker";
            case "chair" -> "you are the only member, so you stay chair";
            default -> who + is + " already " + SafeText.name(state);
        };
    }

    /**
     * How many messages the holder has left in its turn, for the status row and the turn notice;
     * "" when the room allows one per turn (and the turn is not revoked), as it always did.
     */
    public static String messagesLeft(RoomHandle room) {
        int left = room.messagesLeft();
        boolean revoked = room.turn().map(Turn::isRevoked).orElse(false);
        if (room.turn().isEmpty() || (room.messagesPerTurn() <= 1 && !revoked)) {
            return "";
        }
        return left + (left == 1 ? " message left" : " messages left");
    }
}
