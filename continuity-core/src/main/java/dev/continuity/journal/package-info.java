/**
 * The turn journal: the durable record of every conversation turn, kept outside any one region.
 *
 * <p>{@link dev.continuity.journal.TurnJournal} is the SPI; implementations live in sub-packages
 * ({@code memory}, {@code sqlite}) and in integration modules ({@code continuity-cosmos}). Every
 * implementation must pass the contract suite {@code TurnJournalContract} in this module's test jar.
 */
package dev.continuity.journal;

