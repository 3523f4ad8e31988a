/**
 * The service-provider interface for journal implementers: the rules every {@link dev.continuity.journal.TurnJournal}
 * must apply the same way ({@link dev.continuity.journal.spi.TurnWriteRules}: the journal's invariants on
 * every write, idempotent writes, the head a {@code compareAndSetHead} stores, the errors that name
 * conversation and sequence; Continuity's replay, validation and import check histories with it too) and the
 * listing token format ({@link dev.continuity.journal.spi.ListingToken}). Applications do not need this
 * package; a new backend uses it and proves itself with the journal TCK
 * ({@code continuity-journal-tck}).
 */
package dev.continuity.journal.spi;
