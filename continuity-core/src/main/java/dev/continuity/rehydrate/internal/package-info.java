/**
 * Implementation of the rehydration package: the replay run and its parts (chunk planning, item
 * fingerprints and alignment, the retry wrapper, the per-conversation replay locks) and the phases of
 * a rehydration. Not an API: use {@link dev.continuity.rehydrate.ConversationReplayer} and
 * {@link dev.continuity.rehydrate.Rehydrator}.
 */
package dev.continuity.rehydrate.internal;
