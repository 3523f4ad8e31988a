package dev.continuity.journal;

import java.time.Instant;

/**
 * Refuses to start (or write to) a conversation whose key was forgotten: the journal holds a {@link Tombstone} for
 * it. A forgotten key is never used again; start a new conversation under a new key.
 */
public final class ConversationForgottenException extends JournalException {

    private static final long serialVersionUID = 1L;

    private final String conversationKey;

    /** An exception for {@code conversationKey}, forgotten at {@code forgottenAt}. */
    public ConversationForgottenException(String conversationKey, Instant forgottenAt) {
        super("conversation '" + conversationKey + "' was forgotten (erased on request) at " + forgottenAt
                + ": it cannot be started or continued again; use a new conversation key");
        this.conversationKey = conversationKey;
    }

    /** The forgotten conversation's key. */
    public String conversationKey() {
        return conversationKey;
    }
}
