/**
 * A durable {@link dev.continuity.journal.TurnJournal} in one SQLite file (WAL, {@code synchronous=FULL},
 * group commit through a single writer thread). Open it with
 * {@link dev.continuity.journal.sqlite.SqliteTurnJournal#open(java.nio.file.Path)}.
 */
package dev.continuity.journal.sqlite;
