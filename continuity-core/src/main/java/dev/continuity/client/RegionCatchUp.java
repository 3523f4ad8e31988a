package dev.continuity.client;

import dev.continuity.agentservice.AgentService;
import dev.continuity.journal.RegionCursor;

/**
 * Brings a conversation's copy in a region up to date with the journal's committed turns (creating it
 * when the region has none) and returns the region's cursor. The rehydration package's replayer is the
 * implementation; the client calls it before a turn in a region that is behind (lazy rehydration).
 */
@FunctionalInterface
public interface RegionCatchUp {

    /** Catches {@code conversationKey} up in {@code target}; returns the resulting cursor. */
    RegionCursor catchUp(AgentService target, String conversationKey);
}
