package dev.continuity.emulator.model;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code search TERM} over the responder's {@code file_search} vector stores in the answering region:
 * {@code Found TERM in: a.txt, b.txt.} citing each matching file, or {@code No document mentions TERM.}
 * A responder without a {@code file_search} tool does not search: the text falls through to the next
 * command (ordinary chat).
 */
public final class SearchCommand implements ScriptCommand {

    private static final Pattern PATTERN = Pattern.compile("(?is)^\\s*search\\s+(.+?)\\s*$");

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        if (trigger < 0 || turn.items().get(trigger).type() != ModelItem.Type.MESSAGE || !turn.fileSearch().enabled()) {
            return Optional.empty();
        }
        Matcher m = PATTERN.matcher(turn.items().get(trigger).text());
        if (!m.matches()) {
            return Optional.empty();
        }
        String term = m.group(1);
        List<Citation> hits = turn.fileSearch().find(term);
        if (hits.isEmpty()) {
            return Optional.of(ModelReply.message("No document mentions " + term + "."));
        }
        StringBuilder text = new StringBuilder("Found ").append(term).append(" in: ");
        for (int i = 0; i < hits.size(); i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(hits.get(i).filename());
        }
        text.append('.');
        return Optional.of(new ModelReply(List.of(new ModelOutput.Message(text.toString(), hits))));
    }
}
