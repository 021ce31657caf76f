package dev.hotpochato.terminal;

import java.util.List;
import java.util.Locale;

/**
 * One line of input read as a command: {@code /name argument}, or plain text to say. Both the
 * interactive and the scripted mode read their input through this.
 *
 * @param name     the command without its slash, lower case; {@code "say"} for plain text
 * @param argument what follows the command name (trimmed), or the text to say
 */
public record ChatCommand(String name, String argument) {

    /**
     * How {@code /me} travels: the protocol has no action message, so {@code /me waves} is said as
     * the text {@code "/me waves"}. This client shows such a text as {@code * alice waves}; any other
     * client shows the text itself, which still reads right.
     */
    public static final String ACTION_PREFIX = "/me ";

    /** The commands of the interactive mode, for completion. */
    public static final List<String> COMMANDS = List.of("/me", "/pass", "/queue", "/edit", "/drop", "/who",
            "/rooms", "/join", "/switch", "/leave", "/match", "/nick", "/help", "/quit",
            // floor control (FloorCommands)
            "/create", "/hand", "/withdraw", "/hands", "/grant", "/revoke", "/deny", "/mute", "/unmute", "/remove",
            "/chair", "/stepdown", "/listen", "/speaker", "/audience");

    /** The commands a user can type, with what they do; printed by {@code /help}. */
    public static final String HELP = String.join("\n",
            "  text            say it; typed while it is not your turn, it is queued as a draft",
            "                  and said on your next turn (each Enter is one message)",
            "  //text          say text that starts with a slash (\"//etc\" says \"/etc\")",
            "  /me ACTION      say ACTION as an action: \"* alice ACTION\"",
            "  /pass           give up your turn",
            "  /queue          list this room's drafts",
            "  /edit [N]       edit draft N (default: the last) in place; Enter puts it back, an empty line drops it",
            "  /drop [N|all]   drop draft N (default: the last), or all",
            "  /who            who is in the room, in turn order",
            "  /rooms          list the public rooms",
            "  /join ROOM      join ROOM in a new window",
            "  /switch ROOM|N  show the window of ROOM, or window N",
            "  /leave [ROOM]   leave this room (or ROOM)",
            "  /match          be paired with a stranger in a private room (a new window)",
            "  /nick NAME      (names are fixed at connect time: run again with --name NAME)",
            "  /help           this list",
            "  /quit           leave every room and exit (Ctrl-C and Ctrl-D do the same)",
            "keys: Alt-1..Alt-9, Alt-0 window 1..10; Ctrl-N / Ctrl-P next / previous window;",
            "      Tab completes commands, names and rooms; Up / Down recall earlier lines");

    /** Reads {@code line}; a line starting with {@code //} says the text after the first slash. */
    public static ChatCommand parse(String line) {
        if (!line.startsWith("/") || line.startsWith("//")) {
            return new ChatCommand("say", line.startsWith("//") ? line.substring(1) : line);
        }
        int space = line.indexOf(' ');
        String name = (space < 0 ? line.substring(1) : line.substring(1, space)).toLowerCase(Locale.ROOT);
        String argument = space < 0 ? "" : line.substring(space + 1).trim();
        return new ChatCommand(name, argument);
    }

    public boolean isSay() {
        return name.equals("say");
    }

    /** The action of a text said with {@code /me}, or null if {@code text} is not one. */
    public static String action(String text) {
        return text.startsWith(ACTION_PREFIX) && text.length() > ACTION_PREFIX.length()
                ? text.substring(ACTION_PREFIX.length()) : null;
    }
}
