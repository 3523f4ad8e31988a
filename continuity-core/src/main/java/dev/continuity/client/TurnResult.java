package dev.continuity.client;

import dev.continuity.agentservice.ResponseStatus;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.TurnItem;
import java.util.List;

/**
 * An acknowledged turn: it is committed to the journal. Check {@link #status()}: an
 * {@link ResponseStatus#INCOMPLETE} answer (cut by {@code max_output_tokens} or the content filter) is
 * committed as the regional conversation holds it, but it is not a whole answer. A failed response is
 * never a {@code TurnResult}: it is a {@link TurnFailedException}.
 *
 * @param conversationKey the conversation
 * @param sequence the turn's sequence number
 * @param region the region that answered
 * @param responseId the service's response id
 * @param output the output items
 * @param usage token usage
 * @param status how the response ended ({@link ResponseStatus#COMPLETED} or {@link ResponseStatus#INCOMPLETE})
 * @param incompleteReason for an incomplete answer, the service's reason ({@code max_output_tokens},
 *     {@code content_filter}); null otherwise
 * @param responseJson the response object as the region wrote it (every field, numbers as written; ids are the
 *     region's), or null when the answer was adopted from the regional conversation's items rather than read
 *     from a response ({@code responseId} then starts with {@code recovered:})
 */
public record TurnResult(String conversationKey, long sequence, String region, String responseId,
        List<TurnItem> output, TokenUsage usage, ResponseStatus status, String incompleteReason,
        String responseJson) {

    /** Copies the output. */
    public TurnResult {
        output = List.copyOf(output);
        status = status == null ? ResponseStatus.COMPLETED : status;
    }

    /** A turn without the service's response object. */
    public TurnResult(String conversationKey, long sequence, String region, String responseId,
            List<TurnItem> output, TokenUsage usage, ResponseStatus status, String incompleteReason) {
        this(conversationKey, sequence, region, responseId, output, usage, status, incompleteReason, null);
    }

    /** A completed turn. */
    public TurnResult(String conversationKey, long sequence, String region, String responseId,
            List<TurnItem> output, TokenUsage usage) {
        this(conversationKey, sequence, region, responseId, output, usage, ResponseStatus.COMPLETED, null, null);
    }

    /** True when the model finished its answer (status {@link ResponseStatus#COMPLETED}). */
    public boolean completed() {
        return status == ResponseStatus.COMPLETED;
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

    /**
     * The MCP tool calls waiting for the application's approval in this turn; answer each with
     * {@link TurnItem#mcpApprovalResponse} in the next turn's input.
     */
    public List<TurnItem> approvalRequests() {
        return output.stream().filter(i -> TurnItem.MCP_APPROVAL_REQUEST.equals(i.type())).toList();
    }

    /** The function calls the model asked for in this turn (empty when it answered in text). */
    public List<TurnItem> functionCalls() {
        return output.stream().filter(i -> TurnItem.FUNCTION_CALL.equals(i.type())).toList();
    }
}
