package dev.continuity;

/**
 * The root of every exception Continuity throws: catch it to handle any library failure at once, or one
 * of its subclasses for a specific one ({@code JournalException}, {@code DefinitionException},
 * {@code ReplayException}, {@code AgentServiceException}, {@code KnowledgeSyncException},
 * {@code JournalFileException}, {@code PathRefusedException}, {@code Utf8Text.NotUtf8Exception}, and the
 * journaling client's {@code TurnRejectedException},
 * {@code RegionUnavailableException} and {@code ConversationBusyException}). Unchecked.
 *
 * <p>The journaling client throws it directly when a turn could not be completed; the message then names
 * the conversation, the turn and the region.
 */
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
