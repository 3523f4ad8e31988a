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
 * @param status how the response ended
 * @param statusReason for {@link ResponseStatus#INCOMPLETE} the {@code incomplete_details.reason}
 *     ({@code max_output_tokens}, {@code content_filter}); for {@link ResponseStatus#FAILED} the error
 *     ({@code code: message}); null otherwise
 * @param json the response object as the region wrote it (every field the service returned, numbers as
 *     written), for callers that hand the service's response on unchanged (the openai-java adoption path); null
 *     when the reply was not read from a response object (an answer recovered from a conversation's items)
 */
public record AgentReply(String responseId, List<TurnItem> output, TokenUsage usage, String model,
        ResponseStatus status, String statusReason, String json) {
    /** Copies the output. */
    public AgentReply {
        output = List.copyOf(output);
        status = status == null ? ResponseStatus.COMPLETED : status;
    }

    /** A reply without the service's response object. */
    public AgentReply(String responseId, List<TurnItem> output, TokenUsage usage, String model,
            ResponseStatus status, String statusReason) {
        this(responseId, output, usage, model, status, statusReason, null);
    }

    /** A completed reply. */
    public AgentReply(String responseId, List<TurnItem> output, TokenUsage usage, String model) {
        this(responseId, output, usage, model, ResponseStatus.COMPLETED, null, null);
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
