package dev.continuity.benchmarks;

import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.journal.sqlite.SqliteWriteStats;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * Measures the turn journals: durable SQLite writes with many concurrent conversations (group
 * commit), the same workload in memory, and the time to read a long conversation back. Not a unit
 * test: run it with {@code ./continuity bench journal} or its {@link #main}.
 */
public final class JournalBenchmark {

    /**
     * What to measure.
     *
     * @param directory where the SQLite files go (its file system decides the cost of a sync)
     * @param conversations concurrent conversations, one writer thread each
     * @param warmup time each write workload runs before measuring
     * @param duration measured time of each write workload
     * @param readTurns turns in the conversation read back
     * @param reads reads measured (after as many warm-up reads, up to 100)
     */
    public record Settings(Path directory, int conversations, Duration warmup, Duration duration, int readTurns,
            int reads) {

        /** Validates the settings. */
        public Settings {
            Objects.requireNonNull(directory, "directory");
            if (conversations < 1 || readTurns < 1 || reads < 1) {
                throw new IllegalArgumentException("conversations, readTurns and reads must be at least 1");
            }
            if (warmup.isNegative() || duration.isZero() || duration.isNegative()) {
                throw new IllegalArgumentException("warmup must be >= 0 and duration > 0");
            }
        }

        /** 32 conversations, 3 s warm-up, 10 s measured, a 1,000-turn conversation read 1,000 times. */
        public static Settings defaults(Path directory) {
            return new Settings(directory, 32, Duration.ofSeconds(3), Duration.ofSeconds(10), 1_000, 1_000);
        }
    }

    private static final String AGENT = "bench-agent";
    private static final Instant STARTED = Instant.parse("2025-01-01T00:00:00Z");
    /** The question of every benchmarked turn (135 characters with its order number). */
    static final String QUESTION = "Could you check the status of order %d and tell me when it ships? "
            + "I ordered it last week and the tracking page has not changed since.";
    /** The answer of every benchmarked turn (249 characters with its order number). */
    static final String ANSWER = "Order %d left our warehouse this morning and is with the carrier now. "
            + "It should arrive within two to three business days; the tracking page usually updates by "
            + "tonight. Is there anything else I can help you with regarding this order or another one?";

    // a hundred distinct item lists, shared by all turns, so that the in-memory journal's footprint is
    // the journal's own and not millions of copies of the same text
    private static final int VARIANTS = 100;
    private static final List<List<TurnItem>> QUESTIONS = new ArrayList<>();
    private static final List<List<TurnItem>> ANSWERS = new ArrayList<>();

    static {
        for (int i = 0; i < VARIANTS; i++) {
            QUESTIONS.add(List.of(TurnItem.userMessage(String.format(QUESTION, 1000 + i))));
            ANSWERS.add(List.of(TurnItem.assistantMessage(String.format(ANSWER, 1000 + i))));
        }
    }

    private JournalBenchmark() {
    }

    /**
     * Runs every measurement.
     *
     * @throws UncheckedIOException if the directory cannot be created
     */
    public static JournalBenchmarkResult run(Settings settings) {
        try {
            Files.createDirectories(settings.directory());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create benchmark directory " + settings.directory(), e);
        }
        Path writeFile = settings.directory().resolve("bench-writes.db");
        Path readFile = settings.directory().resolve("bench-read.db");
        deleteJournal(writeFile);
        deleteJournal(readFile);
        try {
            JournalBenchmarkResult.Throughput sqlite;
            try (SqliteTurnJournal journal = SqliteTurnJournal.open(writeFile)) {
                sqlite = measureWrites(journal, settings);
            }
            // reads before the in-memory run, whose millions of turns leave garbage behind
            JournalBenchmarkResult.ReadLatency read = measureRead(readFile, settings);
            JournalBenchmarkResult.Throughput memory;
            try (InMemoryTurnJournal journal = new InMemoryTurnJournal()) {
                memory = measureWrites(journal, settings);
            }
            return new JournalBenchmarkResult(writeFile, sqlite, memory, read);
        } finally {
            deleteJournal(writeFile);
            deleteJournal(readFile);
        }
    }

    /**
     * Runs with defaults and prints the report. Options: {@code --dir <path>} (default: a new temporary
     * directory), {@code --conversations <n>}, {@code --seconds <measured s>}, {@code --reads <n>}.
     */
    public static void main(String[] args) throws IOException {
        Path directory = null;
        Settings defaults = Settings.defaults(Path.of("."));
        int conversations = defaults.conversations();
        Duration duration = defaults.duration();
        int reads = defaults.reads();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--dir" -> directory = Path.of(required(args[i], value));
                case "--conversations" -> conversations = Integer.parseInt(required(args[i], value));
                case "--seconds" -> duration = Duration.ofSeconds(Long.parseLong(required(args[i], value)));
                case "--reads" -> reads = Integer.parseInt(required(args[i], value));
                default -> throw new IllegalArgumentException("unknown option '" + args[i]
                        + "' (options: --dir, --conversations, --seconds, --reads)");
            }
            i++;
        }
        boolean temporary = directory == null;
        if (temporary) {
            directory = Files.createTempDirectory("continuity-journal-bench");
        }
        JournalBenchmarkResult result = run(new Settings(directory, conversations, defaults.warmup(), duration,
                defaults.readTurns(), reads));
        System.out.print(result.report());
        if (temporary) {
            Files.deleteIfExists(directory);
        }
    }

    private static String required(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException("option " + option + " needs a value");
        }
        return value;
    }

    /** Each thread journals turns (append, then commit) into its own conversation until told to stop. */
    private static JournalBenchmarkResult.Throughput measureWrites(TurnJournal journal, Settings settings) {
        int conversations = settings.conversations();
        for (int c = 0; c < conversations; c++) {
            journal.compareAndSetHead(ConversationHead.start(key(c), AGENT, null, STARTED), 0).orElseThrow();
        }
        LongAdder measuredTurns = new LongAdder();
        CountDownLatch ready = new CountDownLatch(conversations);
        CountDownLatch go = new CountDownLatch(1);
        Phase phase = new Phase();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> writers = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            String key = key(c);
            Thread writer = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    for (long sequence = 1; !phase.stopped; sequence++) {
                        journal.append(turn(key, sequence));
                        journal.commit(key, sequence, outcome(sequence));
                        if (phase.measuring) {
                            measuredTurns.increment();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                    phase.stopped = true;
                }
            }, "journal-bench-" + key);
            writers.add(writer);
            writer.start();
        }
        try {
            ready.await();
            go.countDown();
            Thread.sleep(settings.warmup().toMillis()); // the benchmark's clock, not synchronisation
            SqliteWriteStats before = stats(journal);
            long start = System.nanoTime();
            phase.measuring = true;
            Thread.sleep(settings.duration().toMillis());
            phase.measuring = false;
            long end = System.nanoTime();
            SqliteWriteStats after = stats(journal);
            phase.stopped = true;
            for (Thread writer : writers) {
                writer.join();
            }
            if (failure.get() != null) {
                throw new IllegalStateException("a benchmark writer failed: " + failure.get(), failure.get());
            }
            return new JournalBenchmarkResult.Throughput(conversations, measuredTurns.sum(), (end - start) / 1e9,
                    after.transactions() - before.transactions());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            phase.stopped = true;
            throw new IllegalStateException("benchmark interrupted", e);
        }
    }

    /** Writes one conversation of committed turns, then times whole reads of it. */
    private static JournalBenchmarkResult.ReadLatency measureRead(Path file, Settings settings) {
        String key = "bench-read";
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            journal.compareAndSetHead(ConversationHead.start(key, AGENT, null, STARTED), 0).orElseThrow();
            for (long sequence = 1; sequence <= settings.readTurns(); sequence++) {
                journal.append(turn(key, sequence).committed(outcome(sequence)));
            }
        }
        try (SqliteTurnJournal journal = SqliteTurnJournal.open(file)) {
            long t0 = System.nanoTime();
            int firstCount = journal.read(key, 1).size();
            double firstMillis = (System.nanoTime() - t0) / 1e6;
            check(firstCount, settings.readTurns());
            for (int i = 0; i < Math.min(100, settings.reads()); i++) {
                check(journal.read(key, 1).size(), settings.readTurns());
            }
            LatencyRecorder latencies = new LatencyRecorder(settings.reads());
            for (int i = 0; i < settings.reads(); i++) {
                long start = System.nanoTime();
                int count = journal.read(key, 1).size();
                latencies.record(System.nanoTime() - start);
                check(count, settings.readTurns());
            }
            return new JournalBenchmarkResult.ReadLatency(settings.readTurns(), settings.reads(), firstMillis,
                    latencies.percentileMillis(50), latencies.percentileMillis(99),
                    latencies.percentileMillis(100));
        }
    }

    private static void check(int count, int expected) {
        if (count != expected) {
            throw new IllegalStateException("read " + count + " turns, expected " + expected);
        }
    }

    private static SqliteWriteStats stats(TurnJournal journal) {
        return journal instanceof SqliteTurnJournal sqlite ? sqlite.writeStats() : new SqliteWriteStats(0, 0);
    }

    private static String key(int conversation) {
        return "bench-" + conversation;
    }

    private static Turn turn(String key, long sequence) {
        return Turn.pending(key, sequence, AGENT, null, QUESTIONS.get((int) (sequence % VARIANTS)),
                STARTED.plusMillis(sequence));
    }

    private static TurnOutcome outcome(long sequence) {
        return new TurnOutcome(ANSWERS.get((int) (sequence % VARIANTS)),
                "resp_" + sequence, "bench", new TokenUsage(60, 50, 110), STARTED.plusMillis(sequence).plusSeconds(1));
    }

    private static void deleteJournal(Path file) {
        for (String suffix : List.of("", "-wal", "-shm")) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + file + suffix, e);
            }
        }
    }

    /** Phase flags shared with the writer threads. */
    private static final class Phase {
        volatile boolean measuring;
        volatile boolean stopped;
    }
}
