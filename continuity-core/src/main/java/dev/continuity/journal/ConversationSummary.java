package dev.continuity.journal;

import java.time.Instant;

/**
 * One conversation in a journal listing.
 *
 * @param conversationKey the application's key
 * @param agentName the conversation's agent
 * @param lastSequence highest journaled sequence
 * @param lastActivityAt time of the latest change
 * @param tenant the conversation's tenant ({@link Tenants})
 */
public record ConversationSummary(String conversationKey, String agentName, long lastSequence,
        Instant lastActivityAt, String tenant) {

    /** Defaults a missing tenant to {@link Tenants#DEFAULT}. */
    public ConversationSummary {
        tenant = tenant == null ? Tenants.DEFAULT : tenant;
    }

    /** A summary of a conversation of the default tenant. */
    public ConversationSummary(String conversationKey, String agentName, long lastSequence, Instant lastActivityAt) {
        this(conversationKey, agentName, lastSequence, lastActivityAt, Tenants.DEFAULT);
    }

    /** The summary of {@code head}. */
    public static ConversationSummary of(ConversationHead head) {
        return new ConversationSummary(head.conversationKey(), head.agentName(), head.lastSequence(),
                head.lastActivityAt(), head.tenant());
    }
}
