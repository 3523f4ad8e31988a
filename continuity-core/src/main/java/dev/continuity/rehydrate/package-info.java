/**
 * Rehydration: recreating a region's agents and conversations from the definitions and the journal.
 *
 * <p>{@link dev.continuity.rehydrate.ConversationReplayer} is the replay engine shared with the
 * journaling client (lazy replay); {@link dev.continuity.rehydrate.Rehydrator} runs the phases
 * (preflight, agents, conversations, validation) for a whole region and produces a
 * {@link dev.continuity.rehydrate.RehydrationReport}.
 */
package dev.continuity.rehydrate;
