package dev.hotpochato.terminal;

import java.util.Locale;

/**
 * One line of input read as a command: {@code /name argument}, or plain text to say. Both the
 * interactive and the scripted mode read their input through this.
 *
 * @param name     the command without its slash, lower case; {@code "say"} for plain text
 * @param argument what follows the command name (trimmed), or the text to say
 */
public record ChatCommand(String name, String argument) {

    /** The commands a user can type, with what they do; printed by {@code /help}. */
    public static final String HELP = String.join("\n",
            "  text          say it (only while it is your turn)",
            "  /pass         give up your turn",
            "  /who          who is in the room, in turn order",
            "  /rooms        list the public rooms",
            "  /join ROOM    join ROOM (it becomes the current room)",
            "  /leave        leave the current room",
            "  /match        be paired with a stranger in a private room",
            "  /help         this list",
            "  /quit         leave every room and exit (Ctrl-C does the same)");

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
}
