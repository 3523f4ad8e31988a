package dev.continuity.journal;

import java.util.Objects;

/**
 * Where a conversation stands in one region: the regional conversation id and the last journal
 * sequence whose items are known to be in that regional conversation.
 *
 * @param conversationId the region's conversation id ({@code conv_...})
 * @param replayedThrough last sequence present in that conversation (0 = none)
 */
public record RegionCursor(String conversationId, long replayedThrough) {
    /** Validates the fields. */
    public RegionCursor {
        Objects.requireNonNull(conversationId, "conversationId");
        if (replayedThrough < 0) {
            throw new IllegalArgumentException("replayedThrough must be >= 0");
        }
    }

    /** The same conversation, advanced to {@code sequence}. */
    public RegionCursor advancedTo(long sequence) {
        return new RegionCursor(conversationId, Math.max(replayedThrough, sequence));
    }
}
