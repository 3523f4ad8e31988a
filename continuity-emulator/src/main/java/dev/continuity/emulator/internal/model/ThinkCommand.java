package dev.continuity.emulator.internal.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code think TEXT}: a {@code reasoning} item ({@code summary: [{"type":"summary_text","text":"Thought about
 * TEXT"}]}; with {@code encrypted_content} when the request's {@code include} has
 * {@code reasoning.encrypted_content} and its {@code store} is false, as the service returns it to
 * stateless callers) and the message {@code Having thought about it: TEXT}.
 */
public final class ThinkCommand implements ScriptCommand {

    private static final Pattern PATTERN = Pattern.compile("(?is)^\\s*think\\s+(.+?)\\s*$");

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        Matcher m = turn.triggerMessage(trigger, PATTERN).orElse(null);
        if (m == null) {
            return Optional.empty();
        }
        String text = m.group(1);
        ObjectNode reasoning = JsonNodeFactory.instance.objectNode();
        ObjectNode summary = reasoning.putArray("summary").addObject();
        summary.put("type", "summary_text");
        summary.put("text", "Thought about " + text);
        if (turn.include().contains("reasoning.encrypted_content") && !turn.store()) {
            reasoning.put("encrypted_content", "emu:" + turn.region() + ":" + Base64.getEncoder()
                    .encodeToString(("Thought about " + text).getBytes(StandardCharsets.UTF_8)));
        }
        return Optional.of(new ModelReply(List.of(new ModelOutput.ToolItem("reasoning", reasoning),
                new ModelOutput.Message("Having thought about it: " + text))));
    }
}
