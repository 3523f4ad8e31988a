package dev.continuity.knowledge;

import dev.continuity.ContinuityException;

/** Knowledge sync could not finish; the message names the knowledge source, region and file. */
public class KnowledgeSyncException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    /** With a message naming what failed. */
    public KnowledgeSyncException(String message) {
        super(message);
    }

    /** With a message naming what failed and the cause. */
    public KnowledgeSyncException(String message, Throwable cause) {
        super(message, cause);
    }
}
