package dev.continuity.replay;

import java.util.Objects;

/**
 * A conversation that could not be brought up to date.
 *
 * @param conversationKey the journal's key
 * @param reason the failure class
 * @param message what failed
 */
public record ConversationFailure(String conversationKey, FailureReason reason, String message) {
    /** Validates the fields. */
    public ConversationFailure {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Objects.requireNonNull(reason, "reason");
    }
}
