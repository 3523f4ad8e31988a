package dev.continuity.emulator.internal.model;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code recall KEY} for a responder with a {@code memory_search} tool: first a
 * {@code memory_search_call} item ({@code status: completed}, {@code results}: the memory stored under KEY
 * in the tool's scope as {@code {"memory_item":{..}}}, or {@code []}; {@code status: failed} and
 * {@code results: null} when the tool's memory store does not exist in the answering region), then
 * {@code KEY is VALUE.} from the latest earlier {@code remember KEY=VALUE} of the conversation, else from
 * the memory, else {@code I don't know KEY.} Without a {@code memory_search} tool the text falls through
 * to {@link RecallCommand}.
 */
public final class MemoryRecallCommand implements ScriptCommand {

    private static final Pattern PATTERN = Pattern.compile("(?is)^\\s*recall\\s+(.+?)\\s*$");

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        Matcher m = turn.triggerMessage(trigger, PATTERN).orElse(null);
        if (m == null || !turn.memorySearch().enabled()) {
            return Optional.empty();
        }
        String key = m.group(1);
        boolean exists = turn.memorySearch().storeExists();
        List<MemorySearch.Found> found = exists ? turn.memorySearch().find(key) : List.of();
        ObjectNode fields = JsonNodeFactory.instance.objectNode();
        fields.put("status", exists ? "completed" : "failed");
        if (exists) {
            ArrayNode results = fields.putArray("results");
            found.forEach(f -> results.addObject().set("memory_item", f.memoryItem()));
        } else {
            fields.putNull("results");
        }
        ModelOutput call = new ModelOutput.ToolItem("memory_search_call", fields);
        String fromConversation = RecallCommand.rememberedEarlier(turn, trigger, key);
        String answer = fromConversation != null ? key + " is " + fromConversation + "."
                : !found.isEmpty() ? key + " is " + found.get(found.size() - 1).value() + "."
                : "I don't know " + key + ".";
        return Optional.of(new ModelReply(List.of(call, new ModelOutput.Message(answer))));
    }
}
