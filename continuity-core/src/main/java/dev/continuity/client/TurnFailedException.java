package dev.continuity.client;

import dev.continuity.ContinuityException;
import dev.continuity.agentservice.ResponseStatus;

/**
 * The service answered the turn with a {@code failed} (or, for a background turn, {@code cancelled}; see
 * {@link #status()}) response: there is no answer and nothing is
 * acknowledged. The journal is left as the region's conversation is: when the region kept the turn's
 * input (as the Responses API does for a failed response in a conversation) the turn is committed
 * input-only (no output), so the journal and the region stay in step and the next turn continues
 * after it; when the region kept nothing the pending turn is removed. Either way the conversation can
 * continue: send the message again to ask again.
 */
public class TurnFailedException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    private final String conversationKey;
    private final long sequence;
    private final String region;
    private final String responseId;
    private final String error;
    private final ResponseStatus status;
    private final boolean inputKept;

    /** For a failed response. */
    public TurnFailedException(String conversationKey, long sequence, String region, String responseId, String error,
            boolean inputKept) {
        this(conversationKey, sequence, region, responseId, ResponseStatus.FAILED, error, inputKept);
    }

    /** For a response that ended {@code status} ({@link ResponseStatus#FAILED} or {@link ResponseStatus#CANCELLED}). */
    public TurnFailedException(String conversationKey, long sequence, String region, String responseId,
            ResponseStatus status, String error, boolean inputKept) {
        super("turn " + sequence + " of conversation '" + conversationKey + "' " + (status == ResponseStatus.CANCELLED
                ? "was cancelled" : "failed") + " in region '" + region + "': response " + responseId + " ended with "
                + "status " + status.name().toLowerCase(java.util.Locale.ROOT) + " (" + error + "); no answer is "
                + "acknowledged" + (inputKept ? " (the region kept the input: the turn is journaled input-only)"
                        : " (the region kept nothing: the pending turn was removed)"));
        this.conversationKey = conversationKey;
        this.sequence = sequence;
        this.region = region;
        this.responseId = responseId;
        this.error = error;
        this.status = status;
        this.inputKept = inputKept;
    }

    /** The conversation. */
    public String conversationKey() {
        return conversationKey;
    }

    /** The turn's sequence number. */
    public long sequence() {
        return sequence;
    }

    /** The region whose response failed. */
    public String region() {
        return region;
    }

    /** The failed response's id. */
    public String responseId() {
        return responseId;
    }

    /** The service's error ({@code code: message}). */
    public String error() {
        return error;
    }

    /** How the response ended: {@link ResponseStatus#FAILED}, or {@link ResponseStatus#CANCELLED} for a cancelled one. */
    public ResponseStatus status() {
        return status;
    }

    /** True when the region kept the input and the turn is journaled input-only. */
    public boolean inputKept() {
        return inputKept;
    }
}
