package dev.continuity.journal;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the service answered for a turn; committing it acknowledges the turn.
 *
 * @param output the output items
 * @param responseId the service's response id
 * @param region the region that answered
 * @param usage token usage
 * @param completedAt when the answer was received
 */
public record TurnOutcome(List<TurnItem> output, String responseId, String region, TokenUsage usage,
        Instant completedAt) {

    /** Validates required fields and copies the output list. */
    public TurnOutcome {
        output = List.copyOf(output);
        Objects.requireNonNull(responseId, "responseId");
        Objects.requireNonNull(region, "region");
        usage = usage == null ? TokenUsage.NONE : usage;
        Objects.requireNonNull(completedAt, "completedAt");
    }
}
