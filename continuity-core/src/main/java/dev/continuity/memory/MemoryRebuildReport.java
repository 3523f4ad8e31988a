package dev.continuity.memory;

import java.util.List;
import java.util.Objects;

/**
 * What a memory rebuild of one region did. Plain data.
 *
 * @param region the target region
 * @param stores one entry per memory store the definitions use there (created or found)
 * @param conversations journaled conversations whose memories were sent to a store
 * @param updates update operations started ({@code update_memories} calls)
 * @param completed updates that completed
 * @param failed updates that failed, were superseded or did not finish in time
 * @param unscoped conversations left out because their scope could not be resolved (per-user scopes
 *     without a {@link MemoryScopeResolver} that knows the user)
 * @param calls every memory store call made (reads, creates, updates, polls)
 * @param millis wall time
 * @param problems one line per failure, naming the store, the conversation and the reason
 */
public record MemoryRebuildReport(String region, List<MemoryStores.Ensured> stores, long conversations, long updates,
        long completed, long failed, long unscoped, long calls, long millis, List<String> problems) {

    /** No rebuild ran. */
    public static final MemoryRebuildReport NONE = new MemoryRebuildReport("", List.of(), 0, 0, 0, 0, 0, 0, 0, List.of());

    /** Copies the lists. */
    public MemoryRebuildReport {
        Objects.requireNonNull(region, "region");
        stores = List.copyOf(stores);
        problems = List.copyOf(problems);
    }

    /** True when every store was created or found and every update completed. */
    public boolean succeeded() {
        return failed == 0 && problems.isEmpty();
    }

    /** Stores created by this rebuild. */
    public long storesCreated() {
        return stores.stream().filter(MemoryStores.Ensured::created).count();
    }
}
