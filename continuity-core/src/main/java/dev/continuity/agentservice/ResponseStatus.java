package dev.continuity.agentservice;

import java.util.Locale;

/**
 * How a response ended, as the service reports it ({@code status} of the Responses API's response).
 * Only {@link #COMPLETED} is a whole answer.
 */
public enum ResponseStatus {
    /** The model finished its answer. */
    COMPLETED,
    /**
     * The answer was cut ({@code incomplete_details.reason}: {@code max_output_tokens} or
     * {@code content_filter}); what was produced is in the conversation.
     */
    INCOMPLETE,
    /** The response failed ({@code error}); it has no answer. */
    FAILED,
    /** The response was cancelled. */
    CANCELLED,
    /** A background response not started yet (not final). */
    QUEUED,
    /** A background response still running (not final). */
    IN_PROGRESS;

    /**
     * The status of a wire value ({@code completed}, {@code incomplete}, {@code in_progress}, ...); null (a
     * service that does not say) is {@link #COMPLETED}.
     *
     * @throws IllegalArgumentException naming the value
     */
    public static ResponseStatus ofWire(String status) {
        if (status == null) {
            return COMPLETED;
        }
        try {
            return valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("response status '" + status + "' is not a response status", e);
        }
    }
}
