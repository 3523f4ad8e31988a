/**
 * Rehydration: bringing a whole region back from the definitions and the journal. A
 * {@link dev.continuity.rehydrate.Rehydrator} runs the phases (preflight, agents, conversations,
 * validation) and produces a {@link dev.continuity.rehydrate.RehydrationReport}; the conversations
 * phase replays through {@link dev.continuity.replay.ConversationReplayer}.
 */
package dev.continuity.rehydrate;
