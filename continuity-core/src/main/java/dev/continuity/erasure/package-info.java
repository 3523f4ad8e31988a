/**
 * Erasure of a conversation (issue 15, item 3): {@link dev.continuity.erasure.Eraser} deletes it from the journal
 * and from every region's copy, leaves a {@link dev.continuity.journal.Tombstone} so nothing brings it back, and
 * retries regions that were down until they are clean.
 */
package dev.continuity.erasure;
