package dev.continuity.emulator.internal.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code search TERM} over the responder's {@code file_search} vector stores in the answering region:
 * a {@code file_search_call} item ({@code queries: [TERM]}, {@code status: completed}, {@code results} listing
 * each matching file with its matching line when the request's {@code include} has
 * {@code file_search_call.results}, else {@code null}), then the message
 * {@code Found TERM in: a.txt, b.txt.} citing each matching file, or {@code No document mentions TERM.}
 * A responder without a {@code file_search} tool does not search: the text falls through to the next
 * command (ordinary chat).
 */
public final class SearchCommand implements ScriptCommand {

    private static final Pattern PATTERN = Pattern.compile("(?is)^\\s*search\\s+(.+?)\\s*$");

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        Matcher m = turn.triggerMessage(trigger, PATTERN).orElse(null);
        if (m == null || !turn.fileSearch().enabled()) {
            return Optional.empty();
        }
        String term = m.group(1);
        List<Citation> hits = turn.fileSearch().find(term);
        ModelOutput call = fileSearchCall(term, hits, turn.include().contains("file_search_call.results"));
        if (hits.isEmpty()) {
            return Optional.of(new ModelReply(List.of(call, new ModelOutput.Message("No document mentions " + term + "."))));
        }
        StringBuilder text = new StringBuilder("Found ").append(term).append(" in: ");
        for (int i = 0; i < hits.size(); i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(hits.get(i).filename());
        }
        text.append('.');
        return Optional.of(new ModelReply(List.of(call, new ModelOutput.Message(text.toString(), hits))));
    }

    private static ModelOutput fileSearchCall(String term, List<Citation> hits, boolean withResults) {
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.put("status", "completed");
        fields.putArray("queries").add(term);
        if (withResults) {
            ArrayNode results = fields.putArray("results");
            for (Citation hit : hits) {
                ObjectNode result = results.addObject();
                result.put("file_id", hit.fileId());
                result.put("filename", hit.filename());
                result.put("text", hit.text());
                result.put("score", 1.0);
                result.putObject("attributes");
            }
        } else {
            fields.putNull("results");
        }
        return new ModelOutput.ToolItem("file_search_call", fields);
    }
}
