package dev.continuity.benchmarks;

import dev.continuity.agentservice.AgentService;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.emulator.Emulator;
import dev.continuity.emulator.EmulatorBuilder;
import dev.continuity.emulator.FaultRule;
import dev.continuity.foundry.FoundryAgentService;
import dev.continuity.foundry.FoundryCredentials;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.journal.sqlite.SqliteTurnJournal;
import dev.continuity.rehydrate.RehydrationMode;
import dev.continuity.rehydrate.RehydrationPhase;
import dev.continuity.rehydrate.RehydrationReport;
import dev.continuity.rehydrate.Rehydrator;
import dev.continuity.topology.ModelBinding;
import dev.continuity.topology.Region;
import dev.continuity.topology.RegionRole;
import dev.continuity.topology.Topology;
import dev.continuity.validation.ValidationOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Rehydration benchmark (not a unit test): 5 agents and {@code conversations} journaled conversations of
 * {@code items} items each, eagerly rehydrated into an emulated region through the real SDK adapter.
 * Reports the write calls issued against the minimum ({@code max(1, ceil(k/20))} per conversation), the
 * wall time per phase, and the emulator's own ceiling on the same machine: the same call mix (one
 * create with the first 20 items, then add-items calls) sent straight through the adapter with the same
 * concurrency, no journal involved. Ceiling and rehydration are measured in {@code rounds} pairs, each
 * into fresh regions, their order alternating (ceiling first in even rounds), and the ratio is the median
 * of the pairs' ratios: a ceiling and a replay measured seconds apart see about the same machine, and
 * comparing the best of two ceilings with one replay (as earlier versions did) biased the ratio low on a
 * machine whose speed varies. The system load average is printed before and after.
 *
 * <pre>
 * java -cp "$(cat continuity-cli/target/runtime-classpath.txt):continuity-cli/target/classes" \
 *     dev.continuity.benchmarks.RehydrationBenchmark [conversations] [items] [concurrency] [memory|sqlite] [rounds]
 * </pre>
 */
public final class RehydrationBenchmark {

    private static final String REGION = "bench";
    private static final String PRIMARY_REGION = "primary";
    private static final String CEILING_REGION = "ceiling";
    static final int AGENTS = 5;
    /** Warm-up rounds at most, however busy the JIT still is. */
    static final int MAX_WARMUP_ROUNDS = 12;
    /** The warm-up ends after a round in which the JIT compiled for at most this share of the round's time. */
    static final double QUIET_JIT_SHARE = 0.05;

    /**
     * Results.
     *
     * @param conversations conversations replayed
     * @param itemsPerConversation items in each
     * @param concurrency conversations replayed at once
     * @param journal journal kind
     * @param agentsDeployed agents created in the region
     * @param itemsWritten items written
     * @param writeCalls write calls the rehydrator issued
     * @param minimalWriteCalls the minimum for the same work
     * @param emulatorWriteCalls create-conversation + add-items calls the emulator counted
     * @param totalMillis wall time of the rehydration
     * @param agentsMillis agents phase
     * @param conversationsMillis conversations phase
     * @param rawMillis wall time of the same call mix sent straight to the emulator
     * @param rawCallsPerSecond the emulator's ceiling for that mix
     * @param replayCallsPerSecond write calls per second during the conversations phase
     * @param rounds every round's ceiling and replay (the fields above are the median round's)
     * @param medianRatio the median over the rounds of replay calls/s divided by ceiling calls/s
     * @param loadBefore the system load average before the first round
     * @param loadAfter the system load average after the last round
     * @param warmupRounds the unmeasured rounds run before
     * @param journalWork the journal's part alone, measured after the rounds
     * @param serviceLatencyMillis what the emulated regions added to every request (0: nothing)
     */
    public record Result(int conversations, int itemsPerConversation, int concurrency, String journal,
            long agentsDeployed, long itemsWritten, long writeCalls, long minimalWriteCalls, long emulatorWriteCalls,
            long totalMillis, long agentsMillis, long conversationsMillis, long rawMillis, double rawCallsPerSecond,
            double replayCallsPerSecond, List<Round> rounds, double medianRatio, double loadBefore, double loadAfter,
            int warmupRounds, JournalWork journalWork, long serviceLatencyMillis) {
    }

    /**
     * The journal's part of a rehydration measured alone: per conversation, what a replay asks of the journal
     * (a head read, a history read, the cursor's compare-and-set), with the same concurrency and no service.
     *
     * @param millis wall time for every conversation
     * @param cpuMicrosPerConversation the process's CPU per conversation
     */
    public record JournalWork(long millis, double cpuMicrosPerConversation) {
    }

    /**
     * One pair of measurements.
     *
     * @param ceilingFirst whether the ceiling was measured before the replay
     * @param rawMillis the ceiling's wall time
     * @param conversationsMillis the replay's conversations phase
     * @param ratio replay calls/s divided by ceiling calls/s
     * @param rawCpuMillis the process's CPU time (every thread: client, emulator, GC) during the ceiling
     * @param replayCpuMillis the process's CPU time during the whole rehydration
     * @param jitMillis time the JIT compilers spent compiling during the round (ceiling and rehydration)
     */
    public record Round(boolean ceilingFirst, long rawMillis, long conversationsMillis, double ratio,
            long rawCpuMillis, long replayCpuMillis, long jitMillis) {
    }

    private RehydrationBenchmark() {
    }

    /** Runs the benchmark and prints the result. */
    public static void main(String[] args) throws Exception {
        runAndPrint(args, 0);
    }

    /**
     * Runs the benchmark with the positional arguments of {@link #main} (conversations, items, concurrency, journal,
     * rounds, warm-up rounds; defaults for those left out), both regions of every round adding
     * {@code serviceLatencyMillis} to each request, and prints the result.
     */
    public static void runAndPrint(String[] args, long serviceLatencyMillis) throws Exception {
        int conversations = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int items = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        String journal = args.length > 3 ? args[3] : "memory";
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
        int warmupRounds = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        Result r = run(conversations, items, concurrency, journal, rounds, warmupRounds, serviceLatencyMillis);
        System.out.println(format(r));
    }

    /** A readable summary. */
    public static String format(Result r) {
        StringBuilder rounds = new StringBuilder();
        for (int i = 0; i < r.rounds().size(); i++) {
            Round round = r.rounds().get(i);
            rounds.append(String.format(Locale.ROOT, "%n  round %d (%s first)     ceiling %d ms, replay %d ms: %.2f"
                    + "   (process CPU: ceiling %d ms = %.2f cores, rehydration %d ms; JIT %d ms)", i + 1,
                    round.ceilingFirst() ? "ceiling" : "replay", round.rawMillis(), round.conversationsMillis(),
                    round.ratio(), round.rawCpuMillis(), round.rawCpuMillis() / (double) Math.max(1, round.rawMillis()),
                    round.replayCpuMillis(), round.jitMillis()));
        }
        return String.format(Locale.ROOT, """
                rehydration of %d agents and %d conversations x %d items (%s journal, concurrency %d, %d cores%s)
                  agents deployed          %d
                  items written            %d
                  write calls issued       %d (emulator counted %d)
                  minimal write calls      %d
                  wall time                %d ms (agents %d ms, conversations %d ms)
                  replay write calls/s     %.0f
                  emulator ceiling         %.0f calls/s (same %d calls, same concurrency, no journal: %d ms)
                  replay / ceiling         %.2f (median of %d rounds, after %d warm-up rounds)%s
                  journal work alone       %d ms, %.0f us of process CPU per conversation (head read, history read,
                                           cursor compare-and-set; no service; the ceiling: %.0f us per conversation)
                  load average             %.2f before, %.2f after""",
                AGENTS, r.conversations(), r.itemsPerConversation(), r.journal(), r.concurrency(),
                Runtime.getRuntime().availableProcessors(), r.serviceLatencyMillis() > 0
                        ? ", " + r.serviceLatencyMillis() + " ms added to every request in both regions" : "",
                r.agentsDeployed(), r.itemsWritten(), r.writeCalls(),
                r.emulatorWriteCalls(), r.minimalWriteCalls(), r.totalMillis(), r.agentsMillis(),
                r.conversationsMillis(), r.replayCallsPerSecond(), r.rawCallsPerSecond(), r.writeCalls(),
                r.rawMillis(), r.medianRatio(), r.rounds().size(), r.warmupRounds(), rounds, r.journalWork().millis(),
                r.journalWork().cpuMicrosPerConversation(), ceilingCpuPerConversation(r), r.loadBefore(),
                r.loadAfter());
    }

    /** Runs the benchmark with three rounds after at least three warm-up rounds. */
    public static Result run(int conversations, int items, int concurrency, String journalKind) throws Exception {
        return run(conversations, items, concurrency, journalKind, 3, 3, 0);
    }

    /**
     * Runs the benchmark: at least {@code warmupRounds} unmeasured rounds, more (up to {@link #MAX_WARMUP_ROUNDS})
     * while the JIT still compiled for more than {@link #QUIET_JIT_SHARE} of the last one, then {@code rounds} pairs
     * of a ceiling and a rehydration, each into fresh regions; with {@code serviceLatencyMillis} both regions of a
     * round add that to every request (their {@code LATENCY} fault rule), as a remote service's round trip would.
     */
    public static Result run(int conversations, int items, int concurrency, String journalKind, int rounds,
            int warmupRounds, long serviceLatencyMillis) throws Exception {
        if (rounds < 1) {
            throw new IllegalArgumentException("rounds must be >= 1, was " + rounds);
        }
        if (warmupRounds < 0) {
            throw new IllegalArgumentException("warm-up rounds must be >= 0, was " + warmupRounds);
        }
        if (serviceLatencyMillis < 0) {
            throw new IllegalArgumentException("service latency must be >= 0 ms, was " + serviceLatencyMillis);
        }
        Path tempDir = Files.createTempDirectory("continuity-rehydration-bench");
        double loadBefore = loadAverage();
        EmulatorBuilder regions = Emulator.builder().region(PRIMARY_REGION);
        int maxWarmups = Math.max(warmupRounds, MAX_WARMUP_ROUNDS);
        for (int round = 0; round < maxWarmups + rounds; round++) {
            regions.region(REGION + round).region(CEILING_REGION + round);
        }
        try (Emulator emulator = regions.start()) {
            Topology topology = topology(emulator);
            List<AgentDefinition> agents = agents();

            // warm-up: whole rounds of the same kind (same journal, same sizes) whose figures are discarded. The
            // JIT compiles for most of a minute here (10,800 methods, 59 s of compile time in a 75 s run of 5
            // rounds); one in-memory warm-up left the SQLite journal's code to be compiled during the measured
            // replays, and the ceiling, warmed twice as long, kept getting faster (1,584 ms to 576 ms) in them
            // (with an in-memory journal the seeding is instant, so the JIT's backlog lands in the rounds: three
            // warm-up rounds still left ceilings of 1.3-2.2 s against 0.7-1.1 s in SQLite runs, whose seeding takes
            // seconds); so the warm-up goes on until a round in which the JIT compiled for under 5 % of it
            int warmups = 0;
            while (warmups < maxWarmups) {
                Result warm = round(emulator, tempDir.resolve("warmup-" + warmups + ".db"), warmups, conversations,
                        items, concurrency, journalKind, topology, agents, serviceLatencyMillis);
                warmups++;
                long measuredMillis = warm.rawMillis() + warm.totalMillis(); // the ceiling and the rehydration
                if (warmups >= warmupRounds && warm.rounds().get(0).jitMillis() <= QUIET_JIT_SHARE * measuredMillis) {
                    break;
                }
            }
            List<Result> measured = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                measured.add(round(emulator, tempDir.resolve("journal-" + round + ".db"), warmups + round,
                        conversations, items, concurrency, journalKind, topology, agents, serviceLatencyMillis));
            }
            List<Round> all = measured.stream().map(m -> m.rounds().get(0)).toList();
            List<Result> byRatio = new ArrayList<>(measured);
            byRatio.sort(java.util.Comparator.comparingDouble(m -> m.rounds().get(0).ratio()));
            Result m = byRatio.get(byRatio.size() / 2);
            return new Result(conversations, items, concurrency, journalKind, m.agentsDeployed(), m.itemsWritten(),
                    m.writeCalls(), m.minimalWriteCalls(), m.emulatorWriteCalls(), m.totalMillis(), m.agentsMillis(),
                    m.conversationsMillis(), m.rawMillis(), m.rawCallsPerSecond(), m.replayCallsPerSecond(), all,
                    m.rounds().get(0).ratio(), loadBefore, loadAverage(), warmups,
                    journalWork(tempDir, conversations, items, concurrency, journalKind), serviceLatencyMillis);
        } finally {
            try (var files = Files.walk(tempDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** One round: the ceiling into one fresh region and a rehydration into another, in alternating order. */
    private static Result round(Emulator emulator, Path file, int round, int conversations, int items, int concurrency,
            String journalKind, Topology topology, List<AgentDefinition> agents, long serviceLatencyMillis)
            throws Exception {
        boolean ceilingFirst = round % 2 == 0;
        if (serviceLatencyMillis > 0) {
            for (String region : List.of(CEILING_REGION + round, REGION + round)) {
                emulator.region(region).faults().inject(FaultRule.latency(Duration.ofMillis(serviceLatencyMillis)));
            }
        }
        FoundryAgentService ceiling = connect(emulator, CEILING_REGION + round);
        FoundryAgentService target = connect(emulator, REGION + round);
        try (TurnJournal journal = open(journalKind, file)) {
            seed(journal, conversations, items);
            long jitStarted = jitMillis();
            long rawMillis = 0;
            long rawCpu = 0;
            int rawCalls = 0;
            if (ceilingFirst) {
                long cpuStarted = processCpuNanos();
                long rawStarted = System.nanoTime();
                rawCalls = raw(ceiling, conversations, items, concurrency);
                rawMillis = (System.nanoTime() - rawStarted) / 1_000_000;
                rawCpu = processCpuNanos() - cpuStarted;
            }
            long replayCpuStarted = processCpuNanos();
            RehydrationReport report = rehydrator(journal, target, topology, agents, concurrency).run();
            long replayCpu = processCpuNanos() - replayCpuStarted;
            if (!report.succeeded()) {
                throw new IllegalStateException("rehydration did not succeed: " + report.status() + " "
                        + report.failuresByReason() + " " + report.failures());
            }
            if (!ceilingFirst) {
                long cpuStarted = processCpuNanos();
                long rawStarted = System.nanoTime();
                rawCalls = raw(ceiling, conversations, items, concurrency);
                rawMillis = (System.nanoTime() - rawStarted) / 1_000_000;
                rawCpu = processCpuNanos() - cpuStarted;
            }
            Map<String, Long> counts = emulator.region(REGION + round).operationCounts();
            long emulatorWrites = counts.get("conversations.create") + counts.get("items.create");
            long conversationsMillis = report.phase(RehydrationPhase.CONVERSATIONS).millis();
            double rawPerSecond = rawCalls * 1000.0 / Math.max(1, rawMillis);
            double replayPerSecond = report.conversations().writeCalls() * 1000.0 / Math.max(1, conversationsMillis);
            return new Result(conversations, items, concurrency, journalKind, report.agentsDeployed(),
                    report.conversations().itemsWritten(), report.conversations().writeCalls(),
                    report.conversations().minimalWriteCalls(), emulatorWrites, report.totalMillis(),
                    report.phase(RehydrationPhase.AGENTS).millis(), conversationsMillis, rawMillis, rawPerSecond,
                    replayPerSecond, List.of(new Round(ceilingFirst, rawMillis, conversationsMillis,
                            replayPerSecond / rawPerSecond, rawCpu / 1_000_000, replayCpu / 1_000_000,
                            jitMillis() - jitStarted)),
                    replayPerSecond / rawPerSecond, 0, 0, 0, null, serviceLatencyMillis);
        } finally {
            ceiling.clients().close();
            target.clients().close();
        }
    }

    /** A new journal of the kind the benchmark measures ({@code file} is used by SQLite only). */
    private static TurnJournal open(String journalKind, Path file) {
        return "sqlite".equals(journalKind) ? SqliteTurnJournal.open(file) : new InMemoryTurnJournal();
    }

    /** The median round's ceiling CPU per conversation, in microseconds. */
    private static double ceilingCpuPerConversation(Result r) {
        List<Long> cpu = new ArrayList<>(r.rounds().stream().map(Round::rawCpuMillis).toList());
        java.util.Collections.sort(cpu);
        return cpu.get(cpu.size() / 2) * 1000.0 / r.conversations();
    }

    /**
     * What a replay asks of the journal for each conversation, alone: the head, the history, then the cursor
     * recorded in the head, {@code concurrency} conversations at once, into a freshly seeded journal (twice: the
     * first pass warms up).
     */
    private static JournalWork journalWork(Path dir, int conversations, int items, int concurrency,
            String journalKind) throws Exception {
        JournalWork work = null;
        for (int pass = 0; pass < 2; pass++) {
            try (TurnJournal journal = open(journalKind, dir.resolve("journal-work-" + pass + ".db"))) {
                seed(journal, conversations, items);
                long cpuStarted = processCpuNanos();
                long started = System.nanoTime();
                forEachConversation(conversations, concurrency, c -> {
                    String key = "bench-" + c;
                    ConversationHead head = journal.head(key).orElseThrow();
                    List<Turn> turns = journal.read(key, 1);
                    journal.compareAndSetHead(head.withRegion(REGION, new dev.continuity.journal.RegionCursor(
                            "conv_" + c, turns.get(turns.size() - 1).sequence())), head.version()).orElseThrow();
                });
                long millis = (System.nanoTime() - started) / 1_000_000;
                work = new JournalWork(millis, (processCpuNanos() - cpuStarted) / 1000.0 / conversations);
            }
        }
        return work;
    }

    /** Time the JIT compilers have spent compiling so far (summed over compiler threads). */
    private static long jitMillis() {
        return java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }

    /** CPU time of the whole process so far: the client, the in-process emulator, GC and JIT. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** The system's one-minute load average (the JVM's view; -1 where the platform has none). */
    private static double loadAverage() {
        return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static Rehydrator rehydrator(TurnJournal journal, AgentService target, Topology topology,
            List<AgentDefinition> agents, int concurrency) {
        return Rehydrator.builder().journal(journal).target(target).topology(topology).definitions(agents)
                .mode(RehydrationMode.EAGER).concurrency(concurrency).validation(ValidationOptions.none()).build();
    }

    /**
     * The same calls a replay sends (create with the first 20 items and the replay's metadata, then add-items),
     * straight to the region.
     */
    private static int raw(AgentService target, int conversations, int items, int concurrency) throws Exception {
        List<TurnItem> conversation = chat(items);
        AtomicInteger calls = new AtomicInteger();
        forEachConversation(conversations, concurrency, c -> {
            int first = Math.min(AgentService.MAX_ITEMS_PER_CALL, conversation.size());
            // the metadata a replay's create carries (dev.continuity.replay.internal.ReplayRun): the same requests,
            // not lighter ones
            Map<String, String> metadata = Map.of("continuity-key", "bench-" + c, "continuity-through",
                    Integer.toString((items + 1) / 2), "continuity-agent", "agent-" + (1 + c % AGENTS),
                    "continuity-source", "replay");
            String id = target.createConversation(conversation.subList(0, first), metadata);
            calls.incrementAndGet();
            for (int from = first; from < conversation.size(); from += AgentService.MAX_ITEMS_PER_CALL) {
                int to = Math.min(conversation.size(), from + AgentService.MAX_ITEMS_PER_CALL);
                target.addItems(id, conversation.subList(from, to));
                calls.incrementAndGet();
            }
        });
        return calls.get();
    }

    /** Runs {@code work} for conversations {@code 0 .. conversations-1} on {@code concurrency} threads, each taking the next. */
    private static void forEachConversation(int conversations, int concurrency, java.util.function.IntConsumer work)
            throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    int c;
                    while ((c = next.getAndIncrement()) < conversations) {
                        work.accept(c);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static void seed(TurnJournal journal, int conversations, int items) {
        List<TurnItem> chat = chat(items);
        Instant now = Instant.now();
        for (int c = 0; c < conversations; c++) {
            seedConversation(journal, c, chat, now);
        }
    }

    /** Journals conversation {@code bench-<c>} (agent {@code c % 5 + 1}): its head, then {@code chat} in committed turns. */
    static void seedConversation(TurnJournal journal, int c, List<TurnItem> chat, Instant at) {
        String key = "bench-" + c;
        String agent = "agent-" + (1 + c % AGENTS);
        journal.compareAndSetHead(ConversationHead.start(key, agent, null, at), 0);
        long sequence = 0;
        for (int i = 0; i < chat.size(); i += 2) {
            List<TurnItem> output = i + 1 < chat.size() ? List.of(chat.get(i + 1)) : List.of();
            journal.append(Turn.pending(key, ++sequence, agent, null, List.of(chat.get(i)), at)
                    .committed(new TurnOutcome(output, "resp_" + key + "_" + sequence, "eastus2",
                            TokenUsage.NONE, at)));
        }
    }

    static List<TurnItem> chat(int items) {
        List<TurnItem> chat = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            chat.add(i % 2 == 0 ? TurnItem.userMessage("remember k" + i + "=value number " + i)
                    : TurnItem.assistantMessage("OK, I will remember k" + (i - 1) + "."));
        }
        return chat;
    }

    static List<AgentDefinition> agents() {
        List<AgentDefinition> agents = new ArrayList<>();
        for (int i = 1; i <= AGENTS; i++) {
            agents.add(new AgentDefinition("agent-" + i, "1", "chat", "Benchmark agent " + i + ".", null, List.of(),
                    SamplingOptions.NONE, Map.of(), null, null));
        }
        return agents;
    }

    private static Topology topology(Emulator emulator) {
        Map<String, Region> regions = new java.util.LinkedHashMap<>();
        for (dev.continuity.emulator.EmulatorRegion region : emulator.regions()) {
            String name = region.name();
            regions.put(name, new Region(name, name.equals(PRIMARY_REGION) ? RegionRole.PRIMARY : RegionRole.SECONDARY,
                    region.projectEndpoint(),
                    Map.of("chat", new ModelBinding("gpt-4.1-mini", "gpt-4.1-mini", null)), Map.of(), Map.of()));
        }
        return new Topology(null, regions);
    }

    private static FoundryAgentService connect(Emulator emulator, String region) {
        String endpoint = emulator.region(region).projectEndpoint();
        return FoundryAgentService.connect(region, endpoint, FoundryCredentials.forEndpoint(endpoint));
    }
}
