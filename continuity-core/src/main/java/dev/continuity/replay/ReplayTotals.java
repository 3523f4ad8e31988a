package dev.continuity.replay;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the conversations phase did, summed over conversations (failed ones included, with what they
 * did before failing).
 *
 * @param visited conversations looked at
 * @param replayed conversations that needed and got at least one write (or a new regional copy)
 * @param created conversations that got a new regional copy (first time or recreated)
 * @param upToDate conversations that were already up to date (no call at all)
 * @param failed conversations that could not be brought up to date
 * @param turnsReplayed turns brought into the region
 * @param itemsWritten items written
 * @param itemsFoundPresent items found already there by reconciliation (not written again)
 * @param itemsDropped items left out by the replay policy per item type (reasoning, ...)
 * @param writeCalls create-conversation and add-items calls issued (retries included)
 * @param minimalWriteCalls the least write calls the same work needs (see {@link ReplayOutcome})
 * @param readCalls list-items calls (reconciliation)
 * @param retries retried calls
 * @param possibleOrphans regional conversations possibly left unreferenced
 * @param itemsByType {@code itemsWritten} per item {@code type} (the specification's value), sorted by type
 */
public record ReplayTotals(long visited, long replayed, long created, long upToDate, long failed,
        long turnsReplayed, long itemsWritten, long itemsFoundPresent, long itemsDropped, long writeCalls,
        long minimalWriteCalls, long readCalls, long retries, long possibleOrphans, Map<String, Long> itemsByType) {

    /** Nothing visited. */
    public static final ReplayTotals NONE = new ReplayTotals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, Map.of());

    /** Copies the per-type counts. */
    public ReplayTotals {
        itemsByType = itemsByType == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(itemsByType));
    }
}
