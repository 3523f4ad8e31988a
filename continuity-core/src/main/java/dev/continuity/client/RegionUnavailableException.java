package dev.continuity.client;

import dev.continuity.ContinuityException;

/**
 * The active region did not answer and no other region took over in time. The turn stays pending in
 * the journal and is completed exactly once later ({@link ContinuityClient#reconcilePendingTurns()} or
 * the conversation's next send); with {@link dev.continuity.journal.TurnDurability#ANSWER_ONLY} it was
 * not journaled and nothing of it is acknowledged.
 */
public class RegionUnavailableException extends ContinuityException {
    private static final long serialVersionUID = 1L;

    /** For the given turn and region. */
    public RegionUnavailableException(String conversationKey, long sequence, String region, Throwable cause) {
        this(conversationKey, sequence, region, "is pending", cause);
    }

    RegionUnavailableException(String conversationKey, long sequence, String region, String state, Throwable cause) {
        super("turn " + sequence + " of conversation '" + conversationKey + "' " + state + ": region '" + region
                + "' is unavailable (" + cause.getMessage() + ")", cause);
    }
}
