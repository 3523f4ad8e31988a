package dev.continuity.rehydrate;

import dev.continuity.replay.ConversationReplayer;
/**
 * Which conversations a rehydration visits. Every visited conversation is caught up by
 * {@link ConversationReplayer}, which only ever writes the turns the region is missing; the modes
 * differ in what they visit.
 */
public enum RehydrationMode {
    /** Agents, then every conversation of the journal, most recently active first. */
    EAGER,
    /**
     * Agents, then only conversations with journal activity since a point in time
     * ({@code Rehydrator.Builder.changedSince}; all conversations when unset), bringing a partly
     * replayed region up to date with only the missing turns. Used for failback and for catching up a
     * warm standby.
     */
    INCREMENTAL,
    /** Agents only; conversations replay on first use through the journaling client. */
    LAZY
}
