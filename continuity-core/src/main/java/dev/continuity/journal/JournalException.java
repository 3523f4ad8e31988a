package dev.continuity.journal;

/** A journal operation failed; the message names the conversation and sequence involved. */
public class JournalException extends RuntimeException {
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
