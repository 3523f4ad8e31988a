package dev.continuity.cli;

import dev.continuity.benchmarks.AsyncThroughputBenchmark;
import dev.continuity.benchmarks.ClientOverheadBenchmark;
import dev.continuity.benchmarks.CpuBreakdown;
import dev.continuity.benchmarks.EmulatorBenchmark;
import dev.continuity.benchmarks.EncryptionBenchmark;
import dev.continuity.benchmarks.ExternalEmulatorBenchmark;
import dev.continuity.benchmarks.JournalBenchmark;
import dev.continuity.benchmarks.KnowledgeSyncBenchmark;
import dev.continuity.benchmarks.RehydrationBenchmark;
import dev.continuity.benchmarks.ScaleRehydrationBenchmark;
import dev.continuity.benchmarks.StreamingOverheadBenchmark;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code continuity bench}: the benchmarks whose results are recorded in docs/benchmarks.md. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run a benchmark (numbers go to docs/benchmarks.md; speed targets live here, not in unit tests).",
        subcommands = {
            BenchCommand.EmulatorServer.class,
            BenchCommand.Emulator.class,
            BenchCommand.Client.class,
            BenchCommand.Streaming.class,
            BenchCommand.Async.class,
            BenchCommand.Journal.class,
            BenchCommand.Encryption.class,
            BenchCommand.Rehydrate.class,
            BenchCommand.Knowledge.class,
        })
final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command's output as a UTF-8 print stream, for benchmarks that print to one. */
    static java.io.PrintStream printStream(CommandSpec spec) {
        return new java.io.PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true,
                java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The options both emulator benchmarks share: the warm-up, the paced rate and the held conversations. */
    static final class EmulatorLoad {
        @Option(names = "--warmup", defaultValue = "20000",
                description = "Responses sent before measuring, half back to back and half paced, while the JIT "
                        + "compiles (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 0)
        int warmup;

        @Option(names = "--rate", defaultValue = "1500",
                description = "Responses/s offered in the paced phase (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1, unit = "responses/s")
        double rate;

        @Option(names = "--conversations", defaultValue = "10000",
                description = "Conversations of 20 items held for the heap measurement (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 0)
        int conversations;
    }

    /**
     * The emulator's own figure: the emulator alone in its own JVM, loaded from this one by an open-loop generator
     * sending the SDK's responses call on many connections; its heap holding many conversations.
     */
    @Command(name = "emulator-server", mixinStandardHelpOptions = true,
            description = {"The emulator's own figure: the emulator in its own JVM, load from this JVM (open loop, "
                    + "many keep-alive connections, the SDK's exact responses call): throughput at saturation, "
                    + "latency at a fixed rate from each request's scheduled send, the emulator's service times and "
                    + "CPU, its heap holding N conversations x 20 items."})
    static final class EmulatorServer implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--connections", defaultValue = "64",
                description = "Keep-alive connections of the load generator (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1, max = 10_000)
        int connections;

        @Mixin
        EmulatorLoad load;

        @Option(names = "--seconds", defaultValue = "30",
                description = "Length of the paced phase (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1, unit = "s")
        int seconds;

        @Option(names = "--saturation", defaultValue = "20000",
                description = "Responses of the back-to-back phase (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1)
        int saturation;

        @Option(names = "--emulator-jvm", defaultValue = "",
                description = "Options of the load phases' emulator JVM, space-separated (default: none).")
        String emulatorJvm;

        @Option(names = "--heap-jvm", defaultValue = "-Xmx256m",
                description = "Options of the heap measurement's emulator JVM, space-separated (default: "
                        + "${DEFAULT-VALUE}: the conversations must fit in 256 MB).")
        String heapJvm;

        @Override
        public Integer call() throws Exception {
            ExternalEmulatorBenchmark.Result result = ExternalEmulatorBenchmark.run(new ExternalEmulatorBenchmark.Settings(
                    connections, load.warmup, saturation, load.rate, seconds, load.conversations, jvmOptions(emulatorJvm),
                    jvmOptions(heapJvm)));
            java.io.PrintStream out = printStream(spec);
            ExternalEmulatorBenchmark.print(out, result);
            out.flush();
            return result.failures() == 0 ? ExitCodes.OK : ExitCodes.ERROR;
        }

        private static List<String> jvmOptions(String options) {
            return options.isBlank() ? List.of() : List.of(options.trim().split("\\s+"));
        }
    }

    /**
     * The client's figure: agent responses through the real SDK against an emulator in the same JVM (the SDK's CPU
     * and the emulator's share the cores and the heap), and the heap of stored conversations.
     */
    @Command(name = "emulator", mixinStandardHelpOptions = true,
            description = {"The SDK client's figure: agent responses from concurrent openai-java clients against an "
                    + "emulator in the same JVM (most of the CPU is the SDK's); heap holding many conversations.",
                "For the emulator's own figure see 'bench emulator-server'."})
    static final class Emulator implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--responses", defaultValue = "10000", description = "Measured responses (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1)
        int responses;

        @Option(names = "--clients", defaultValue = "16", description = "Concurrent SDK clients (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1, max = 10_000)
        int clients;

        @Mixin
        EmulatorLoad load;

        @Override
        public Integer call() throws Exception {
            EmulatorBenchmark.Result r = EmulatorBenchmark.run(load.warmup, responses, clients, load.rate,
                    load.conversations);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "SDK clients and emulator in one JVM (the client's figure; the emulator's own: bench "
                    + "emulator-server): %d concurrent SDK clients, %d agent responses per phase, %d cores%n",
                    r.clients(), r.saturation().responses(), Runtime.getRuntime().availableProcessors());
            printPhase(out, "saturation (back to back)", r.saturation());
            printPhase(out, String.format(Locale.ROOT, "paced at %.0f/s offered", r.pacedRate()), r.paced());
            out.printf(Locale.ROOT, "  heap after GC         %.1f MB holding %d conversations x %d items (%.1f MB before)%n",
                    r.heapUsedMegabytes(), r.conversationsHeld(), r.itemsPerConversation(), r.heapBaselineMegabytes());
            out.flush();
            return ExitCodes.OK;
        }
    }

    private static void printPhase(PrintWriter out, String name, EmulatorBenchmark.Phase phase) {
        out.printf(Locale.ROOT, "  %s%n", name);
        out.printf(Locale.ROOT, "    throughput          %.0f responses/s%n", phase.responsesPerSecond());
        out.printf(Locale.ROOT, "    latency p50 / p99   %.2f ms / %.2f ms (max %.1f ms)%n", phase.p50Millis(),
                phase.p99Millis(), phase.maxMillis());
        out.printf(Locale.ROOT, "    emulator's answers  p50 / p99   %.2f ms / %.2f ms (max %.1f ms), request read to answer "
                + "ready%n", phase.emulatorTimes().p50Millis(), phase.emulatorTimes().p99Millis(),
                phase.emulatorTimes().maxMillis());
        CpuBreakdown cpu = phase.cpu();
        out.printf(Locale.ROOT, "    CPU per response    %.0f us: SDK calling threads %.0f, SDK background threads %.0f, "
                        + "emulator %.0f (%.0f %%), JVM GC and JIT %.0f, other %.0f%n", cpu.totalMicros(),
                cpu.sdkCallerMicros(), cpu.sdkBackgroundMicros(), cpu.emulatorMicros(), 100 * cpu.emulatorShare(),
                cpu.jvmMicros(), cpu.otherThreadMicros());
    }

    /** One client benchmark over one journal: its name, a new journal each time, the durability (null: default). */
    @FunctionalInterface
    interface JournalRun<R> {
        R run(String name, Supplier<TurnJournal> journals, TurnDurability durability) throws Exception;
    }

    /**
     * Runs a client benchmark over the three journals the client benchmarks compare: in memory, SQLite with the
     * default durability, and SQLite with one write per turn ({@code ANSWER_ONLY}, named {@code answerOnlyName}).
     */
    static <R> List<R> perJournal(String tempPrefix, String answerOnlyName, JournalRun<R> benchmark)
            throws Exception {
        Path dir = Files.createTempDirectory(tempPrefix);
        List<R> results = new ArrayList<>();
        results.add(benchmark.run("memory", InMemoryTurnJournal::new, null));
        results.add(benchmark.run("sqlite", () -> SqliteTurnJournal.open(dir.resolve("j.db")), null));
        results.add(benchmark.run(answerOnlyName, () -> SqliteTurnJournal.open(dir.resolve("j1.db")),
                TurnDurability.ANSWER_ONLY));
        return results;
    }

    /** What the journaling client adds to a turn compared with the bare SDK call. */
    @Command(name = "client", mixinStandardHelpOptions = true,
            description = "Median/p99 of a turn through ContinuityClient vs the bare SDK call, per journal.")
    static final class Client implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--turns", defaultValue = "2000", description = "Measured turns per side (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1)
        int turns;

        @Override
        public Integer call() throws Exception {
            List<ClientOverheadBenchmark.Result> results = perJournal("continuity-client-bench",
                    "sqlite, one write per turn (ANSWER_ONLY)",
                    (name, journals, durability) -> ClientOverheadBenchmark.run(name, journals, durability, turns));
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "client overhead: %d sequential turns per side, %d cores%n", turns,
                    Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "  %-42s %12s %12s %14s %14s %12s%n", "journal", "bare p50", "bare p99", "client p50",
                    "client p99", "added p50");
            for (ClientOverheadBenchmark.Result r : results) {
                out.printf(Locale.ROOT, "  %-42s %9.2f ms %9.2f ms %11.2f ms %11.2f ms %9.2f ms%n", r.journal(),
                        r.bareP50Millis(), r.bareP99Millis(), r.clientP50Millis(), r.clientP99Millis(), r.addedP50Millis());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** The asynchronous client's throughput against the synchronous one, many conversations at once. */
    @Command(name = "async", mixinStandardHelpOptions = true,
            description = "Turns/s of ContinuityAsyncClient vs ContinuityClient with N concurrent conversations.")
    static final class Async implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--conversations", defaultValue = "64",
                description = "Conversations sending at once (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1, max = 10_000)
        int conversations;

        @Option(names = "--turns", defaultValue = "50", description = "Turns per conversation (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1)
        int turns;

        @Override
        public Integer call() throws Exception {
            AsyncThroughputBenchmark.Result r = AsyncThroughputBenchmark.run(conversations, turns);
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "async vs sync: %d conversations at once, %d turns each, in-memory journal, %d cores%n",
                    r.conversations(), r.turnsPerConversation(), Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "  %-42s %8s %8s %10s %10s %10s %14s%n", "client", "threads", "turns", "turns/s",
                    "p50", "p99", "CPU per turn");
            for (AsyncThroughputBenchmark.Row row : r.rows()) {
                out.printf(Locale.ROOT, "  %-42s %8d %8d %10.0f %7.2f ms %7.2f ms %11.0f us%n", row.name(),
                        row.threads(), row.turns(), row.turnsPerSecond(), row.p50Millis(), row.p99Millis(),
                        row.cpuMicrosPerTurn());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** What journaling adds to a streamed turn compared with the bare SDK stream, and its journal writes. */
    @Command(name = "streaming", mixinStandardHelpOptions = true,
            description = "Time to first event and per-event time of ContinuityClient.sendStreaming vs the bare SDK "
                    + "createStreaming, per journal; journal writes per streamed and per non-streamed turn.")
    static final class Streaming implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--turns", defaultValue = "1000", description = "Measured streamed turns per side (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1)
        int turns;

        @Override
        public Integer call() throws Exception {
            List<StreamingOverheadBenchmark.Result> results = perJournal("continuity-streaming-bench",
                    "sqlite, ANSWER_ONLY",
                    (name, journals, durability) -> StreamingOverheadBenchmark.run(name, journals, durability, turns));
            PrintWriter out = spec.commandLine().getOut();
            out.printf(Locale.ROOT, "streaming overhead: %d sequential streamed turns per side, %d cores%n", turns,
                    Runtime.getRuntime().availableProcessors());
            out.printf(Locale.ROOT, "  %-20s %11s %11s %11s %11s %10s %12s %12s %9s %9s%n", "journal", "bare 1st p50",
                    "bare 1st p95", "cont 1st p50", "cont 1st p95", "added p50", "bare/event", "cont/event",
                    "writes/s", "writes/t");
            for (StreamingOverheadBenchmark.Result r : results) {
                out.printf(Locale.ROOT, "  %-20s %8.2f ms %8.2f ms %8.2f ms %8.2f ms %7.2f ms %9.1f us %9.1f us %9.1f %9.1f%n",
                        r.journal(), r.bareFirstP50Millis(), r.bareFirstP95Millis(), r.clientFirstP50Millis(),
                        r.clientFirstP95Millis(), r.addedFirstP50Millis(), r.barePerEventP50Micros(),
                        r.clientPerEventP50Micros(), r.writesPerStreamedTurn(), r.writesPerSentTurn());
            }
            out.println("  (writes/s: journal writes per streamed turn; writes/t: per non-streamed turn)");
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** Durable appends per second (SQLite group commit, in-memory) and conversation reads. */
    @Command(name = "journal", mixinStandardHelpOptions = true,
            description = "Journal appends/s with concurrent conversations and the time to read a long conversation.")
    static final class Journal implements Callable<Integer> {
        @Parameters(arity = "0..*", description = "Options passed to the benchmark: --dir, --conversations, --seconds, --reads.")
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            JournalBenchmark.main(args.toArray(new String[0]));
            return ExitCodes.OK;
        }
    }

    /** The per-turn cost of journal encryption with a cached data key, and the key-encryption key's calls. */
    @Command(name = "encryption", mixinStandardHelpOptions = true,
            description = "Per-turn cost of journal encryption (append + commit, read) with a cached data key.")
    static final class Encryption implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--conversations", defaultValue = "200", description = "Conversations (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1)
        int conversations;

        @Option(names = "--turns", defaultValue = "50", description = "Turns per conversation (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1)
        int turns;

        @Override
        public Integer call() throws Exception {
            EncryptionBenchmark.Result result = EncryptionBenchmark.run(conversations, turns);
            java.io.PrintStream out = printStream(spec);
            EncryptionBenchmark.print(out, result);
            out.flush();
            return result.wraps() == conversations ? ExitCodes.OK : ExitCodes.ERROR;
        }
    }

    /** Syncing file knowledge into a region: first sync, unchanged re-sync, re-sync with some files changed. */
    @Command(name = "knowledge", mixinStandardHelpOptions = true,
            description = "Sync N files of K KB into an emulated region, re-sync unchanged, re-sync with C changed.")
    static final class Knowledge implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--files", defaultValue = "200", description = "Files (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1)
        int files;

        @Option(names = "--kb", defaultValue = "50", description = "Size of each file in KB (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 0, max = 1_048_576, unit = "KB")
        int kb;

        @Option(names = "--changed", defaultValue = "10", description = "Files changed before the third sync (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 0)
        int changed;

        @Option(names = "--concurrency", defaultValue = "4", description = "Uploads in flight (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1, max = 10_000)
        int concurrency;

        @Override
        public Integer call() {
            List<KnowledgeSyncBenchmark.Step> steps = KnowledgeSyncBenchmark.run(files, kb, changed, concurrency);
            java.io.PrintStream out = printStream(spec);
            KnowledgeSyncBenchmark.print(out, files, kb, changed, concurrency, steps);
            out.flush();
            boolean expected = steps.get(0).uploads() == files && steps.get(1).uploads() == 0
                    && steps.get(2).uploads() == changed;
            return expected ? ExitCodes.OK : ExitCodes.ERROR;
        }
    }

    /**
     * Rehydrating agents and many conversations into an emulated region: with positional arguments (or none) against
     * the emulator's ceiling in one JVM; with {@code --conversations} at scale, from a SQLite journal on disk, the
     * emulator and each instance in processes of their own.
     */
    @Command(name = "rehydrate", mixinStandardHelpOptions = true,
            description = {"Rehydrate 5 agents and N conversations of K items.",
                "Positional form (conversations items concurrency memory|sqlite rounds warm-up-rounds): one JVM,"
                        + " compared with the emulator's own ceiling.",
                "With --conversations: a SQLite journal on disk (seeded once into --dir, copied per run), the"
                        + " emulator in its own process, --instances application instances each in its own JVM"
                        + " (-Xmx from --instance-heap) sharing the work through the journal's leases."})
    static final class Rehydrate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(arity = "0..6", description = "conversations (1000), items per conversation (30), concurrency (8), journal (memory|sqlite), rounds (3: ceiling and replay measured in alternating pairs, the median ratio counts), warm-up rounds (at least 3: the same pairs, not counted, more while the JIT is still compiling).")
        List<String> args = new ArrayList<>();

        @Option(names = "--conversations", description = "Conversations, at scale (see above).")
        @OptionRules.Range(min = 1)
        Integer conversations;

        @Option(names = "--items", defaultValue = "20", description = "Items per conversation (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1, max = 10_000)
        int items;

        @Option(names = "--concurrency", defaultValue = "8", description = "Conversations each instance replays at once (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1, max = 1_000)
        int concurrency;

        @Option(names = "--instances", defaultValue = "1", description = "Application instances, each its own JVM (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1, max = 64)
        int instances;

        @Option(names = "--chunk", defaultValue = "100", description = "Conversations per leased chunk (default: ${DEFAULT-VALUE}).")
        @OptionRules.Range(min = 1, max = 1_000)
        int chunk;

        @Option(names = "--instance-heap", defaultValue = "256m", description = "-Xmx of each instance (default: ${DEFAULT-VALUE}).")
        String instanceHeap;

        @Option(names = "--emulator-heap", defaultValue = "6g", description = "-Xmx of the emulator's process (default: ${DEFAULT-VALUE}).")
        String emulatorHeap;

        @Option(names = "--service-latency", defaultValue = "0", description = "Milliseconds the emulated regions add to every request, as a remote service's round trip would, in both forms (default: ${DEFAULT-VALUE}: none, so the run is bound by the CPU the client shares with the emulator).")
        @OptionRules.Range(min = 0, max = 60_000)
        int serviceLatency;

        @Option(names = "--dir", description = "Where the seeded journal is kept (default: <temp>/continuity-rehydrate-bench).")
        java.nio.file.Path dir;

        @Override
        public Integer call() throws Exception {
            if (conversations == null) {
                RehydrationBenchmark.runAndPrint(args.toArray(new String[0]), serviceLatency);
                return ExitCodes.OK;
            }
            if (!args.isEmpty()) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "give either the positional form or --conversations, not both (positional: " + args + ")");
            }
            java.nio.file.Path where = dir != null ? dir
                    : java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "continuity-rehydrate-bench");
            java.io.PrintStream out = printStream(spec);
            boolean ok = ScaleRehydrationBenchmark.run(new ScaleRehydrationBenchmark.Settings(conversations, items,
                    concurrency, instances, chunk, instanceHeap, emulatorHeap, where, serviceLatency), out);
            out.flush();
            return ok ? ExitCodes.OK : ExitCodes.ERROR;
        }
    }
}
