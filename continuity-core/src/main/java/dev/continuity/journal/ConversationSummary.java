package dev.continuity.journal;

import java.time.Instant;

/**
 * One conversation in a journal listing.
 *
 * @param conversationKey the application's key
 * @param agentName the conversation's agent
 * @param lastSequence highest journaled sequence
 * @param lastActivityAt time of the latest change
 */
public record ConversationSummary(String conversationKey, String agentName, long lastSequence,
        Instant lastActivityAt) {
}
