package dev.continuity.benchmarks;

import dev.continuity.agentservice.AgentService;
import dev.continuity.definition.AgentDefinition;
import dev.continuity.definition.SamplingOptions;
import dev.continuity.emulator.Emulator;
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
 * concurrency, no journal involved, measured right before and right after the rehydration (the faster
 * of both is the ceiling: the machine's other load varies).
 *
 * <pre>
 * java -cp "$(cat continuity-cli/target/runtime-classpath.txt):continuity-cli/target/classes" \
 *     dev.continuity.benchmarks.RehydrationBenchmark [conversations] [items] [concurrency] [memory|sqlite]
 * </pre>
 */
public final class RehydrationBenchmark {

    private static final String REGION = "bench";
    private static final String WARMUP_REGION = "warmup";
    static final int AGENTS = 5;

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
     */
    public record Result(int conversations, int itemsPerConversation, int concurrency, String journal,
            long agentsDeployed, long itemsWritten, long writeCalls, long minimalWriteCalls, long emulatorWriteCalls,
            long totalMillis, long agentsMillis, long conversationsMillis, long rawMillis, double rawCallsPerSecond,
            double replayCallsPerSecond) {
    }

    private RehydrationBenchmark() {
    }

    /** Runs the benchmark and prints the result. */
    public static void main(String[] args) throws Exception {
        int conversations = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int items = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int concurrency = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        String journal = args.length > 3 ? args[3] : "memory";
        Result r = run(conversations, items, concurrency, journal);
        System.out.println(format(r));
    }

    /** A readable summary. */
    public static String format(Result r) {
        return String.format(Locale.ROOT, """
                rehydration of %d agents and %d conversations x %d items (%s journal, concurrency %d, %d cores)
                  agents deployed          %d
                  items written            %d
                  write calls issued       %d (emulator counted %d)
                  minimal write calls      %d
                  wall time                %d ms (agents %d ms, conversations %d ms)
                  replay write calls/s     %.0f
                  emulator ceiling         %.0f calls/s (same %d calls, same concurrency, no journal: %d ms)
                  replay / ceiling         %.2f""",
                AGENTS, r.conversations(), r.itemsPerConversation(), r.journal(), r.concurrency(),
                Runtime.getRuntime().availableProcessors(), r.agentsDeployed(), r.itemsWritten(), r.writeCalls(),
                r.emulatorWriteCalls(), r.minimalWriteCalls(), r.totalMillis(), r.agentsMillis(),
                r.conversationsMillis(), r.replayCallsPerSecond(), r.rawCallsPerSecond(), r.writeCalls(),
                r.rawMillis(), r.replayCallsPerSecond() / r.rawCallsPerSecond());
    }

    /** Runs the benchmark. */
    public static Result run(int conversations, int items, int concurrency, String journalKind) throws Exception {
        Path tempDir = Files.createTempDirectory("continuity-rehydration-bench");
        try (Emulator emulator = Emulator.builder().region(WARMUP_REGION).region(REGION).start()) {
            FoundryAgentService warmup = connect(emulator, WARMUP_REGION);
            FoundryAgentService target = connect(emulator, REGION);
            Topology topology = topology(emulator);
            List<AgentDefinition> agents = agents();

            // warm-up: a smaller rehydration into another region, so the measured run sees a warm JVM
            try (TurnJournal warm = new InMemoryTurnJournal()) {
                seed(warm, Math.max(50, conversations / 10), items);
                rehydrator(warm, warmup, topology, agents, concurrency).run();
                raw(warmup, Math.max(50, conversations / 10), items, concurrency);
            }

            try (TurnJournal journal = "sqlite".equals(journalKind)
                    ? SqliteTurnJournal.open(tempDir.resolve("journal.db")) : new InMemoryTurnJournal()) {
                seed(journal, conversations, items);
                // the ceiling is measured before and after the replay (other load on the machine varies);
                // the faster of both counts
                long rawStarted = System.nanoTime();
                int rawCalls = raw(target, conversations, items, concurrency);
                long rawMillis = (System.nanoTime() - rawStarted) / 1_000_000;
                emulator.region(REGION).resetOperationCounts();
                RehydrationReport report = rehydrator(journal, target, topology, agents, concurrency).run();
                if (!report.succeeded()) {
                    throw new IllegalStateException("rehydration did not succeed: " + report.status() + " "
                            + report.failuresByReason() + " " + report.failures());
                }
                Map<String, Long> counts = emulator.region(REGION).operationCounts();
                long emulatorWrites = counts.get("conversations.create") + counts.get("items.create");
                long conversationsMillis = report.phase(RehydrationPhase.CONVERSATIONS).millis();

                rawStarted = System.nanoTime();
                raw(target, conversations, items, concurrency);
                rawMillis = Math.min(rawMillis, (System.nanoTime() - rawStarted) / 1_000_000);

                warmup.clients().close();
                target.clients().close();
                return new Result(conversations, items, concurrency, journalKind, report.agentsDeployed(),
                        report.conversations().itemsWritten(), report.conversations().writeCalls(),
                        report.conversations().minimalWriteCalls(), emulatorWrites, report.totalMillis(),
                        report.phase(RehydrationPhase.AGENTS).millis(), conversationsMillis, rawMillis,
                        rawCalls * 1000.0 / Math.max(1, rawMillis),
                        report.conversations().writeCalls() * 1000.0 / Math.max(1, conversationsMillis));
            }
        } finally {
            try (var files = Files.walk(tempDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Rehydrator rehydrator(TurnJournal journal, AgentService target, Topology topology,
            List<AgentDefinition> agents, int concurrency) {
        return Rehydrator.builder().journal(journal).target(target).topology(topology).definitions(agents)
                .mode(RehydrationMode.EAGER).concurrency(concurrency).validation(ValidationOptions.none()).build();
    }

    /** The same calls a replay sends (create with the first 20 items, then add-items), straight to the region. */
    private static int raw(AgentService target, int conversations, int items, int concurrency) throws Exception {
        List<TurnItem> conversation = chat(items);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger calls = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(pool.submit(() -> {
                    while (next.getAndIncrement() < conversations) {
                        int first = Math.min(AgentService.MAX_ITEMS_PER_CALL, conversation.size());
                        String id = target.createConversation(conversation.subList(0, first), Map.of());
                        calls.incrementAndGet();
                        for (int from = first; from < conversation.size(); from += AgentService.MAX_ITEMS_PER_CALL) {
                            int to = Math.min(conversation.size(), from + AgentService.MAX_ITEMS_PER_CALL);
                            target.addItems(id, conversation.subList(from, to));
                            calls.incrementAndGet();
                        }
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
        return calls.get();
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
        for (String name : List.of(WARMUP_REGION, REGION)) {
            regions.put(name, new Region(name, name.equals(REGION) ? RegionRole.SECONDARY : RegionRole.PRIMARY,
                    emulator.region(name).projectEndpoint(),
                    Map.of("chat", new ModelBinding("gpt-4.1-mini", "gpt-4.1-mini", null)), Map.of(), Map.of()));
        }
        return new Topology(null, regions);
    }

    private static FoundryAgentService connect(Emulator emulator, String region) {
        String endpoint = emulator.region(region).projectEndpoint();
        return FoundryAgentService.connect(region, endpoint, FoundryCredentials.forEndpoint(endpoint));
    }
}
