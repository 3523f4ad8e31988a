/**
 * Implementation of replay: the replay run and its parts (chunk planning, item fingerprints and
 * alignment, the retry wrapper, the per-conversation replay locks). Not an API: use
 * {@link dev.continuity.replay.ConversationReplayer}.
 */
package dev.continuity.replay.internal;
