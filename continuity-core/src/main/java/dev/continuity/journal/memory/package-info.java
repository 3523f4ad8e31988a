/**
 * A {@link dev.continuity.journal.TurnJournal} kept in process memory: for tests, samples and
 * applications that accept losing the journal with the process.
 */
package dev.continuity.journal.memory;

