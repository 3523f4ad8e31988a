package dev.continuity.emulator.internal.model;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code run CODE}, for a responder with a {@code code_interpreter} tool: a {@code code_interpreter_call}
 * ({@code status: completed}, {@code container_id} derived from the conversation id, {@code code: CODE},
 * {@code outputs: [{"type":"logs","logs":"ran N characters"}]}) and the message
 * {@code The code ran: ran N characters}. Without such a tool the text falls through (ordinary chat).
 */
public final class RunCommand implements ScriptCommand {

    private static final Pattern PATTERN = Pattern.compile("(?is)^\\s*run\\s+(.+?)\\s*$");

    @Override
    public Optional<ModelReply> answer(ModelTurn turn, int trigger) {
        Matcher m = turn.triggerMessage(trigger, PATTERN).orElse(null);
        if (m == null || turn.tool("code_interpreter", null) == null) {
            return Optional.empty();
        }
        String code = m.group(1);
        String logs = "ran " + code.length() + " characters";
        ObjectNode call = JsonNodeFactory.instance.objectNode();
        call.put("status", "completed");
        call.put("container_id", "cntr_" + CallCommand.callId(turn.conversationId(), 0).substring("call_".length()));
        call.put("code", code);
        ObjectNode log = call.putArray("outputs").addObject();
        log.put("type", "logs");
        log.put("logs", logs);
        return Optional.of(new ModelReply(List.of(new ModelOutput.ToolItem("code_interpreter_call", call),
                new ModelOutput.Message("The code ran: " + logs))));
    }
}
