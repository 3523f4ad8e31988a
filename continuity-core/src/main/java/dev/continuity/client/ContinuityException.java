package dev.continuity.client;

/** A turn could not be completed; the message names the conversation, the turn and the region. */
public class ContinuityException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public ContinuityException(String message) {
        super(message);
    }

    /** With a message and cause. */
    public ContinuityException(String message, Throwable cause) {
        super(message, cause);
    }
}
