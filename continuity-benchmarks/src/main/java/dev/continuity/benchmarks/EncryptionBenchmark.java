package dev.continuity.benchmarks;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.crypto.EncryptingTurnJournal;
import dev.continuity.journal.crypto.LocalKeyFile;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The per-turn cost of journal encryption with a cached data key: the same turns (a 135-character question, a
 * 249-character answer, as {@link JournalBenchmark} writes) journaled (append + commit) and read back one by one,
 * through an {@link EncryptingTurnJournal} and directly, over the in-memory journal so that only the encryption
 * differs; one thread, interleaved in rounds so both see the same machine. Also counts the key-encryption key's
 * calls (a {@link LocalKeyFile}). Not a unit test: {@code ./continuity bench encryption [conversations turns]}.
 */
public final class EncryptionBenchmark {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    /**
     * What was measured.
     *
     * @param turns turns measured per journal
     * @param plainWrite p50/p99 of append + commit without encryption (ms)
     * @param encryptedWrite p50/p99 of append + commit with encryption (ms)
     * @param plainRead p50/p99 of reading one committed turn without encryption (ms)
     * @param encryptedRead p50/p99 of reading one committed turn with encryption (ms)
     * @param wraps key-encryption key wraps (one per conversation)
     * @param unwraps key-encryption key unwraps
     * @param conversations conversations written through encryption
     */
    public record Result(int turns, double[] plainWrite, double[] encryptedWrite, double[] plainRead,
            double[] encryptedRead, long wraps, long unwraps, int conversations) {
    }

    private EncryptionBenchmark() {
    }

    /** Runs {@code conversations} x {@code turnsEach} turns per journal (after a warm-up of the same size). */
    public static Result run(int conversations, int turnsEach) throws IOException {
        Path dir = Files.createTempDirectory("continuity-encryption-bench");
        try {
            LocalKeyFile key = LocalKeyFile.create(dir.resolve("bench.key"), "bench");
            measure(new InMemoryTurnJournal(), conversations, turnsEach, "warm", new Recorders(conversations
                    * turnsEach));
            EncryptingTurnJournal warm = EncryptingTurnJournal.builder(new InMemoryTurnJournal())
                    .keyEncryptionKey(key).build();
            measure(warm, conversations, turnsEach, "warm", new Recorders(conversations * turnsEach));

            Recorders plain = new Recorders(conversations * turnsEach);
            Recorders encrypted = new Recorders(conversations * turnsEach);
            TurnJournal plainJournal = new InMemoryTurnJournal();
            EncryptingTurnJournal encryptedJournal = EncryptingTurnJournal.builder(new InMemoryTurnJournal())
                    .keyEncryptionKey(key).build();
            for (int c = 0; c < conversations; c++) {
                // interleaved: a conversation each, so both run on the same machine state
                measure(plainJournal, 1, turnsEach, "c" + c, plain);
                measure(encryptedJournal, 1, turnsEach, "c" + c, encrypted);
            }
            EncryptingTurnJournal.KeyCalls calls = encryptedJournal.keyEncryptionKeyCalls();
            return new Result(conversations * turnsEach, plain.write(), encrypted.write(), plain.read(),
                    encrypted.read(), calls.wraps(), calls.unwraps(), conversations);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    Files.deleteIfExists(file);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private static final class Recorders {
        final LatencyRecorder write;
        final LatencyRecorder read;

        Recorders(int capacity) {
            write = new LatencyRecorder(capacity);
            read = new LatencyRecorder(capacity);
        }

        double[] write() {
            return new double[] {write.percentileMillis(50), write.percentileMillis(99)};
        }

        double[] read() {
            return new double[] {read.percentileMillis(50), read.percentileMillis(99)};
        }
    }

    private static void measure(TurnJournal journal, int conversations, int turnsEach, String prefix,
            Recorders recorders) {
        for (int c = 0; c < conversations; c++) {
            String key = prefix + "-" + c;
            journal.compareAndSetHead(ConversationHead.start(key, "bench-agent", null, T0), 0).orElseThrow();
            for (int n = 1; n <= turnsEach; n++) {
                Turn turn = Turn.pending(key, n, "bench-agent", null,
                        List.of(TurnItem.userMessage(String.format(JournalBenchmark.QUESTION, n))), T0);
                TurnOutcome outcome = new TurnOutcome(
                        List.of(TurnItem.assistantMessage(String.format(JournalBenchmark.ANSWER, n))), "resp_" + n,
                        "eastus", new TokenUsage(40, 60, 100), T0);
                long start = System.nanoTime();
                journal.append(turn);
                journal.commit(key, n, outcome);
                long written = System.nanoTime();
                journal.turn(key, n).orElseThrow();
                long read = System.nanoTime();
                recorders.write.record(written - start);
                recorders.read.record(read - written);
            }
        }
    }

    /** Prints the result. */
    public static void print(PrintStream out, Result r) {
        out.printf(Locale.ROOT, "Journal encryption (AES-256-GCM, cached data key), %,d turns per journal, one thread%n",
                r.turns());
        out.printf(Locale.ROOT, "  %-34s %10s %10s%n", "", "p50 ms", "p99 ms");
        row(out, "append + commit, plain", r.plainWrite());
        row(out, "append + commit, encrypted", r.encryptedWrite());
        row(out, "read one turn, plain", r.plainRead());
        row(out, "read one turn, encrypted", r.encryptedRead());
        out.printf(Locale.ROOT, "  %-34s %10.4f%n", "encryption per turn (p50 difference)",
                r.encryptedWrite()[0] - r.plainWrite()[0]);
        out.printf(Locale.ROOT, "  %-34s %10.4f%n", "decryption per turn (p50 difference)",
                r.encryptedRead()[0] - r.plainRead()[0]);
        out.printf(Locale.ROOT, "  %-34s %d wraps, %d unwraps for %d conversations%n", "key-encryption key calls",
                r.wraps(), r.unwraps(), r.conversations());
    }

    private static void row(PrintStream out, String name, double[] p) {
        out.printf(Locale.ROOT, "  %-34s %10.4f %10.4f%n", name, p[0], p[1]);
    }

    /** {@code [conversations (200)] [turns per conversation (50)]}. */
    public static void main(String[] args) throws IOException {
        int conversations = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int turns = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        print(System.out, run(conversations, turns));
    }
}
