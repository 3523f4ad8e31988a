package dev.continuity.cosmos;

import java.time.Instant;

/**
 * How far a {@link WarmStandby}'s region is behind the journal, as this instance sees it.
 *
 * <p>Counted over the conversations whose turn documents the change feed delivered to this instance
 * and that are not yet fully in the standby region: for each, its last committed sequence minus the
 * standby region's cursor ({@code replayedThrough}, taken from the head documents in the feed and from
 * the replays' outcomes; turns served in the standby region itself count as present). A commit that
 * the feed has not delivered yet is not counted; while the standby region is dark, a lease waits on
 * the batch it holds, so later commits of that lease appear only once it moves on, but {@link #seconds()}
 * keeps growing.
 *
 * @param unreplicatedTurns committed turns not yet in the standby region
 * @param seconds age of the oldest of them (now minus its commit time), 0 when there is none
 * @param conversationsBehind conversations with at least one such turn
 * @param oldestUnreplicatedCommit commit time of the oldest such turn, or {@code null} when there is none
 */
public record StandbyLag(long unreplicatedTurns, double seconds, int conversationsBehind,
        Instant oldestUnreplicatedCommit) {

    /** No lag. */
    public static final StandbyLag NONE = new StandbyLag(0, 0, 0, null);

    /** Validates the values. */
    public StandbyLag {
        if (unreplicatedTurns < 0 || seconds < 0 || conversationsBehind < 0) {
            throw new IllegalArgumentException("lag values must not be negative");
        }
    }

    /** True when every committed turn the feed delivered is in the standby region. */
    public boolean caughtUp() {
        return unreplicatedTurns == 0;
    }
}
