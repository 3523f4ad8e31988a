package dev.continuity.replay;

import dev.continuity.agentservice.AgentService;
import dev.continuity.journal.RegionCursor;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one {@link ConversationReplayer#catchUp} did for one conversation in one region.
 *
 * <p>Call counts are what this replay sent to the region: {@code writeCalls} counts every
 * create-conversation and add-items attempt (retries included), {@code readCalls} every list-items
 * call (used only to reconcile after an ambiguous failure or before resuming into an existing regional
 * conversation). {@code minimalWriteCalls} is the least number of write calls that could have done the
 * same work: {@code max(1, ceil(k/20))} when a regional conversation had to be created for {@code k}
 * items, {@code ceil(k/20)} when {@code k} items were appended to an existing one, plus one for each
 * boundary a call and its output (or an MCP approval request and its response) must not straddle, where
 * keeping them together forces an extra call (a pair at items 20 and 21 of 40: 19 + 20 + 1 items, 3 calls).
 *
 * @param conversationKey the journal's key
 * @param region the target region
 * @param cursor the region's cursor afterwards ({@code null} only in the progress of a failure before
 *     any regional conversation existed)
 * @param created a regional conversation was created by this replay
 * @param recreated an existing regional conversation was replaced (it was gone or diverged)
 * @param fromSequence first journal sequence this replay had to bring into the region
 * @param throughSequence last committed journal sequence it aimed for ({@code < fromSequence}: nothing to do)
 * @param turnsReplayed turns brought into the region (written now or found already there)
 * @param itemsWritten items this replay wrote (counted once even when a write's answer was lost)
 * @param itemsFoundPresent items found already in the region by reconciliation (a previous, interrupted
 *     replay wrote them), not written again
 * @param itemsDropped items left out of replay by its policy per item type ({@code reasoning}, types that are
 *     no input item, items lacking a field the specification requires, unpaired MCP approvals; see
 *     docs/guarantees.md "Replay of each item type")
 * @param writeCalls create-conversation and add-items attempts
 * @param readCalls list-items calls
 * @param retries attempts that were retries of a failed call
 * @param minimalWriteCalls the least write calls for the same work (see above)
 * @param possibleOrphans regional conversations this replay may have created but does not reference
 *     (a create whose answer was lost, or a concurrent replayer that won the race)
 * @param itemsByType the {@code itemsWritten} counted per item {@code type} (the specification's value,
 *     e.g. {@code message}, {@code file_search_call}), sorted by type
 */
public record ReplayOutcome(
        String conversationKey,
        String region,
        RegionCursor cursor,
        boolean created,
        boolean recreated,
        long fromSequence,
        long throughSequence,
        int turnsReplayed,
        int itemsWritten,
        int itemsFoundPresent,
        int itemsDropped,
        int writeCalls,
        int readCalls,
        int retries,
        int minimalWriteCalls,
        int possibleOrphans,
        Map<String, Integer> itemsByType) {

    /** Validates required fields and copies the per-type counts. */
    public ReplayOutcome {
        Objects.requireNonNull(conversationKey, "conversationKey");
        Objects.requireNonNull(region, "region");
        itemsByType = itemsByType == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(itemsByType));
    }

    /** True when the replay had nothing to do (the region was already up to date). */
    public boolean upToDate() {
        return writeCalls == 0 && readCalls == 0 && !created;
    }

    /**
     * The least write calls for {@code k} items when no pair constrains the cuts: {@code max(1, ceil(k/20))}
     * when creating, else {@code ceil(k/20)}.
     */
    public static int minimalWriteCalls(int items, boolean creating) {
        int chunks = (items + AgentService.MAX_ITEMS_PER_CALL - 1) / AgentService.MAX_ITEMS_PER_CALL;
        return creating ? Math.max(1, chunks) : chunks;
    }
}
