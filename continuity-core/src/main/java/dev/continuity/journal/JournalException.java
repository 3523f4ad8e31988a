package dev.continuity.journal;

import dev.continuity.ContinuityException;

/** A journal operation failed; the message names the conversation and sequence involved. */
public class JournalException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    /** With a message. */
    public JournalException(String message) {
        super(message);
    }

    /** With a message and cause. */
    public JournalException(String message, Throwable cause) {
        super(message, cause);
    }
}
