package dev.continuity.memory;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The memory stores of one region's Foundry project, in domain terms (the preview spec's
 * {@code /memory_stores} operations). The Foundry adapter is
 * {@code dev.continuity.foundry.FoundryMemoryStoreService} (continuity-foundry). Failures are
 * {@link dev.continuity.agentservice.AgentServiceException}s naming the region and the operation.
 *
 * <p>The spec has no operation that lists or reads a store's memories: {@code search_memories} returns
 * only memories relevant to given items, for one scope the caller must already know. So memories cannot be
 * copied from a region; {@link MemoryRebuild} rebuilds them from the journal through
 * {@link #updateMemories}.
 */
public interface MemoryStoreService {

    /** The region this service belongs to. */
    String region();

    /** The store named {@code name}, or empty when the region has none. */
    Optional<MemoryStoreInfo> memoryStore(String name);

    /**
     * Creates a store.
     *
     * @throws dev.continuity.agentservice.AgentServiceException {@code CONFLICT} when it exists already
     */
    MemoryStoreInfo createMemoryStore(String name, ObjectNode definition, String description,
            Map<String, String> metadata);

    /**
     * Starts an update of {@code scope}'s memories from conversation {@code items} (input items of the
     * Responses API, as the journal holds them) with {@code update_delay: 0}, so the service processes it at
     * once; returns its first state.
     */
    MemoryUpdate updateMemories(String store, String scope, List<ObjectNode> items);

    /** The update's state now. */
    MemoryUpdate memoryUpdate(String store, String updateId);
}
