package dev.continuity.journal.sqlite;

/**
 * Counters of a {@link SqliteTurnJournal}'s group commit since it was opened.
 *
 * @param transactions transactions committed (each one WAL sync)
 * @param operations writes (appends, commits, head changes) run in those transactions, including
 *     idempotent repeats and refused writes
 */
public record SqliteWriteStats(long transactions, long operations) {

    /** Mean writes per committed transaction (0 when none). */
    public double meanBatchSize() {
        return transactions == 0 ? 0 : (double) operations / transactions;
    }
}
