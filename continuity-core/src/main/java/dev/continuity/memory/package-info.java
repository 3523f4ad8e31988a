/**
 * Memory stores (the Foundry preview's {@code /memory_stores}): what an agent with the {@code memory_search}
 * tool depends on besides its definition. {@link MemoryStoreService} is the port (the Foundry adapter is
 * {@code dev.continuity.foundry.FoundryMemoryStoreService}); {@link MemoryStores} creates a region's bound
 * stores where they are missing and says how an existing one differs from its binding; {@link MemoryRebuild}
 * rebuilds a region's memories from the journaled conversations. docs/memory.md explains the model.
 */
package dev.continuity.memory;
