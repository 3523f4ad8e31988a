package dev.continuity.agentservice;

import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.TurnItem;
import java.util.List;

/**
 * The service's answer to one response request.
 *
 * @param responseId the response id
 * @param output output items in order (messages, function calls, ...)
 * @param usage token usage
 * @param model the model deployment that answered
 */
public record AgentReply(String responseId, List<TurnItem> output, TokenUsage usage, String model) {
    /** Copies the output. */
    public AgentReply {
        output = List.copyOf(output);
    }

    /** The text of the output messages, joined. */
    public String text() {
        StringBuilder text = new StringBuilder();
        for (TurnItem item : output) {
            if (TurnItem.MESSAGE.equals(item.type())) {
                text.append(item.text());
            }
        }
        return text.toString();
    }
}
