package dev.continuity.benchmarks;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What {@link JournalBenchmark} measured.
 *
 * @param sqliteFile the SQLite journal file written (its file system decides the sync cost)
 * @param sqlite durable throughput of the SQLite journal
 * @param memory throughput of the in-memory journal, same workload
 * @param read latency of reading a whole long conversation from the SQLite journal
 */
public record JournalBenchmarkResult(Path sqliteFile, Throughput sqlite, Throughput memory, ReadLatency read) {

    /**
     * Write throughput with {@code conversations} threads, each journaling turns into its own
     * conversation: every turn is two writes, {@code append} (pending) then {@code commit}, and each
     * write returns only when durable (for a durable journal).
     *
     * @param conversations concurrent conversations (one thread each)
     * @param turns turns completed (append + commit) in the measured window
     * @param seconds length of the measured window
     * @param transactions transactions committed in the window (0 when the journal does not report it)
     */
    public record Throughput(int conversations, long turns, double seconds, long transactions) {

        /** Turns (append + commit) per second. */
        public double turnsPerSecond() {
            return turns / seconds;
        }

        /** Writes (appends and commits, each one durable) per second: twice the turns. */
        public double writesPerSecond() {
            return 2 * turns / seconds;
        }

        /** Mean writes per committed transaction (group commit), or 0 when not reported. */
        public double writesPerTransaction() {
            return transactions == 0 ? 0 : 2.0 * turns / transactions;
        }
    }

    /**
     * Time to read one conversation of {@code turns} committed turns with {@code read(key, 1)}.
     *
     * @param turns turns in the conversation
     * @param reads reads measured (after a warm-up)
     * @param firstReadMillis the first read on a freshly opened journal
     * @param p50Millis median of the measured reads
     * @param p99Millis 99th percentile of the measured reads
     * @param maxMillis slowest measured read
     */
    public record ReadLatency(int turns, int reads, double firstReadMillis, double p50Millis, double p99Millis,
            double maxMillis) {
    }

    /** A plain-text report, one measurement per line. */
    public String report() {
        return String.format(Locale.ROOT, """
                SQLite journal (%s), %d concurrent conversations, %.1f s:
                  %,.0f turns/s = %,.0f durable writes/s (append + commit), %.1f writes per transaction
                In-memory journal, %d concurrent conversations, %.1f s:
                  %,.0f turns/s = %,.0f writes/s
                SQLite read of a %,d-turn conversation (%d reads):
                  first %.2f ms, p50 %.2f ms, p99 %.2f ms, max %.2f ms
                """,
                sqliteFile, sqlite.conversations(), sqlite.seconds(),
                sqlite.turnsPerSecond(), sqlite.writesPerSecond(), sqlite.writesPerTransaction(),
                memory.conversations(), memory.seconds(), memory.turnsPerSecond(), memory.writesPerSecond(),
                read.turns(), read.reads(), read.firstReadMillis(), read.p50Millis(), read.p99Millis(),
                read.maxMillis());
    }
}
