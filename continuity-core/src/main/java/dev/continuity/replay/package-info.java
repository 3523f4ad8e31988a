/**
 * Replay: writing one conversation's journaled turns into a region's conversation, exactly once, at most
 * twenty items per call, resumable after a crash. {@link dev.continuity.replay.ConversationReplayer} is
 * the engine shared by the journaling client (lazy replay), rehydration and the warm standby.
 */
package dev.continuity.replay;
