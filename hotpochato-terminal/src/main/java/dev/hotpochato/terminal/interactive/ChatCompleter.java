package dev.hotpochato.terminal.interactive;

import dev.hotpochato.terminal.ChatCommand;
import dev.hotpochato.terminal.SafeText;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Tab completion: a command at the start of a line, a room after {@code /join}, {@code /switch}
 * and {@code /leave}, else a member of the room in view (followed by {@code ": "} at the start of
 * a line, the way chat users address someone). Runs on the editor's thread, under its lock.
 */
final class ChatCompleter implements Completer {

    private static final Set<String> ROOM_COMMANDS = Set.of("/join", "/switch", "/leave");

    private final Supplier<List<String>> members;
    private final Supplier<List<String>> rooms;

    ChatCompleter(Supplier<List<String>> members, Supplier<List<String>> rooms) {
        this.members = members;
        this.rooms = rooms;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        int word = line.wordIndex();
        if (word == 0 && line.word().startsWith("/")) {
            ChatCommand.COMMANDS.forEach(c -> candidates.add(new Candidate(c)));
            return;
        }
        if (word == 1 && ROOM_COMMANDS.contains(line.words().get(0).toLowerCase(java.util.Locale.ROOT))) {
            rooms.get().stream().filter(SafeText::isPrintable).forEach(r -> candidates.add(new Candidate(r)));
            return;
        }
        for (String member : members.get()) {
            if (!SafeText.isPrintable(member)) {
                continue; // never put a control from the wire into the editor
            }
            if (word == 0) {
                candidates.add(new Candidate(member + ":", member, null, null, null, null, true));
            } else {
                candidates.add(new Candidate(member));
            }
        }
    }
}
