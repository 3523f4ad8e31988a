package dev.continuity.retention;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a {@link JournalPruner} run removed and kept.
 *
 * @param retention the retention period
 * @param cutoff conversations whose last activity is before this were due
 * @param dryRun whether nothing was deleted (the report says what would have been)
 * @param examined conversations looked at
 * @param pruned conversations removed whole (or, in a dry run, that would have been)
 * @param kept due conversations kept, with the reason
 */
public record PruneReport(Duration retention, Instant cutoff, boolean dryRun, long examined,
        List<Pruned> pruned, List<Kept> kept) {

    /** Validates and copies. */
    public PruneReport {
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(cutoff, "cutoff");
        pruned = List.copyOf(pruned);
        kept = List.copyOf(kept);
    }

    /**
     * A conversation removed whole.
     *
     * @param conversationKey its key
     * @param agentName its agent
     * @param turns how many turns it had
     * @param lastActivityAt its last activity
     * @param regionsBehind regions whose copy had not received every turn (region to the last turn it holds): their
     *     copies can no longer be completed by replay
     * @param regionalCopies regions holding a copy (region to conversation id): pruning the journal leaves them
     *     (they are the service's; {@code Eraser} deletes them)
     */
    public record Pruned(String conversationKey, String agentName, long turns, Instant lastActivityAt,
            Map<String, Long> regionsBehind, Map<String, String> regionalCopies) {
        /** Copies the maps. */
        public Pruned {
            regionsBehind = Map.copyOf(regionsBehind);
            regionalCopies = Map.copyOf(regionalCopies);
        }
    }

    /**
     * A due conversation that was kept.
     *
     * @param conversationKey its key
     * @param lastActivityAt its last activity
     * @param reason why
     */
    public record Kept(String conversationKey, Instant lastActivityAt, String reason) {
    }
}
