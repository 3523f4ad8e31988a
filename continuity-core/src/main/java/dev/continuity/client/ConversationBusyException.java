package dev.continuity.client;

import dev.continuity.ContinuityException;

/**
 * Another turn of the same conversation was in progress for longer than the client's lock timeout.
 * Turns of one conversation are serialized, never interleaved; nothing was journaled for this call.
 */
public class ConversationBusyException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    /** For the given conversation. */
    public ConversationBusyException(String conversationKey, java.time.Duration waited) {
        super("conversation '" + conversationKey + "' is busy with another turn (waited " + waited.toMillis()
                + " ms); turns of one conversation run one at a time");
    }
}
