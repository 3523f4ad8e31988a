/**
 * Moving a journal between stores and machines: {@link dev.continuity.cli.journalio.JournalExporter}
 * writes any {@link dev.continuity.journal.TurnJournal} to a JSON Lines file in the versioned format
 * described by {@link dev.continuity.cli.journalio.JournalFormat}, and
 * {@link dev.continuity.cli.journalio.JournalImporter} writes such a file into a journal, idempotently.
 */
package dev.continuity.cli.journalio;
