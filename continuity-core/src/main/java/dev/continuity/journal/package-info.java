/**
 * The turn journal: the durable record of every conversation turn, kept outside any one region.
 *
 * <p>{@link dev.continuity.journal.TurnJournal} is the SPI; the in-memory journal lives in
 * {@code memory}, the others in modules of their own ({@code continuity-sqlite}, {@code continuity-cosmos}).
 * Rules every implementation shares are in {@code spi}; every implementation must pass the journal TCK
 * ({@code TurnJournalContract} in {@code continuity-journal-tck}).
 */
package dev.continuity.journal;

