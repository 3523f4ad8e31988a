/**
 * Moving a journal between stores and machines: {@link dev.continuity.journal.io.JournalExporter}
 * writes any {@link dev.continuity.journal.TurnJournal} to a JSON Lines file in the versioned format
 * described by {@link dev.continuity.journal.io.JournalFormat}, and
 * {@link dev.continuity.journal.io.JournalImporter} writes such a file into a journal, idempotently.
 */
package dev.continuity.journal.io;

