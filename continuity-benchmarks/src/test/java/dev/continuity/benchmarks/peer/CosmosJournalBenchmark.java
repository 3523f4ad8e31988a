package dev.continuity.benchmarks.peer;

import static org.assertj.core.api.Assertions.assertThat;

import com.azure.cosmos.CosmosAsyncClient;
import com.azure.cosmos.CosmosClient;
import dev.continuity.cosmos.CosmosJournalProvisioner;
import dev.continuity.cosmos.CosmosTurnJournal;
import dev.continuity.cosmos.LocalCosmosServer;
import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.TokenUsage;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.ai.chat.memory.repository.cosmosdb.CosmosDBChatMemoryRepository;
import org.springframework.ai.chat.memory.repository.cosmosdb.CosmosDBChatMemoryRepositoryConfig;
import org.springframework.ai.chat.messages.AssistantMessage;
import org.springframework.ai.chat.messages.Message;
import org.springframework.ai.chat.messages.UserMessage;

/**
 * Requests and time per turn: {@link CosmosTurnJournal} written as {@code ContinuityClient} writes it on
 * Cosmos DB by default ({@code TurnDurability.ANSWER_ONLY}: the committed turn in one transactional batch;
 * {@code PENDING_INPUT}, append before the model call and commit after it, is measured beside it) against
 * Spring AI's {@code CosmosDBChatMemoryRepository} ({@code saveAll} of the
 * conversation so far after each turn), persisting the same 200-turn conversation against the same local
 * Cosmos DB compatible server in one run; then turns per second with 32 conversations written at once.
 *
 * <p>Requests are counted by the server, per container, so they include everything each library sends
 * (query plans, queries, bulk batches); the requests of turn k are exactly those of that turn, its time is
 * the median of turns k-4..k. It prints a Markdown report; see {@code docs/benchmarks.md}.
 */
@ExtendWith(LocalCosmosServer.class)
class CosmosJournalBenchmark {

    private static final String DATABASE = "benchmarks";
    private static final int TURNS = 200;
    private static final int[] REPORTED_TURNS = {1, 50, 100, 200};
    private static final int CONCURRENT_CONVERSATIONS = 32;
    private static final int CONCURRENT_TURNS_EACH = 25;
    private static final int WARM_UP_TURNS = 30;

    @Test
    void continuityJournalVersusSpringAiCosmosChatMemory() throws Exception {
        LocalCosmosServer.Server server = LocalCosmosServer.shared();
        try (CosmosClient client = server.clientBuilder().buildClient();
                CosmosAsyncClient asyncClient = server.clientBuilder().buildAsyncClient()) {
            String journalContainer = "journal-" + UUID.randomUUID();
            CosmosJournalProvisioner.of(client).provision(DATABASE, journalContainer);
            CosmosTurnJournal journal = CosmosTurnJournal.builder().client(client).database(DATABASE)
                    .container(journalContainer).build();
            String memoryContainer = "chat_memory-" + UUID.randomUUID();
            CosmosDBChatMemoryRepository repository = CosmosDBChatMemoryRepository.create(
                    CosmosDBChatMemoryRepositoryConfig.builder().withCosmosClient(asyncClient)
                            .withDatabaseName(DATABASE).withContainerName(memoryContainer).build());

            // warm up both paths (JIT, connections, caches) on conversations that are not measured
            continuityConversation(server, journal, journalContainer, "warm-up", WARM_UP_TURNS, false);
            continuityConversation(server, journal, journalContainer, "warm-up-pending", WARM_UP_TURNS, true);
            springAiConversation(server, repository, memoryContainer, "warm-up", WARM_UP_TURNS);

            List<TurnCost> continuity = continuityConversation(server, journal, journalContainer, "measured", TURNS,
                    false);
            List<TurnCost> pendingInput = continuityConversation(server, journal, journalContainer,
                    "measured-pending", TURNS, true);
            List<TurnCost> springAi = springAiConversation(server, repository, memoryContainer, "measured", TURNS);

            double continuityRate = concurrentContinuity(journal);
            double springAiRate = concurrentSpringAi(repository);

            StringBuilder report = new StringBuilder();
            report.append("| turn | Continuity requests | Continuity ms | PENDING_INPUT requests | PENDING_INPUT ms "
                    + "| Spring AI requests | Spring AI ms |\n");
            report.append("|---:|---:|---:|---:|---:|---:|---:|\n");
            for (int turn : REPORTED_TURNS) {
                report.append(String.format(Locale.ROOT, "| %d | %d | %.1f | %d | %.1f | %d | %.1f |%n", turn,
                        continuity.get(turn - 1).requests(), medianMillis(continuity, turn),
                        pendingInput.get(turn - 1).requests(), medianMillis(pendingInput, turn),
                        springAi.get(turn - 1).requests(), medianMillis(springAi, turn)));
            }
            report.append(String.format(Locale.ROOT, "| all %d | %d | %.0f | %d | %.0f | %d | %.0f |%n", TURNS,
                    continuity.stream().mapToLong(TurnCost::requests).sum(),
                    continuity.stream().mapToDouble(TurnCost::millis).sum(),
                    pendingInput.stream().mapToLong(TurnCost::requests).sum(),
                    pendingInput.stream().mapToDouble(TurnCost::millis).sum(),
                    springAi.stream().mapToLong(TurnCost::requests).sum(),
                    springAi.stream().mapToDouble(TurnCost::millis).sum()));
            report.append(String.format(Locale.ROOT, "%nturn 200: Spring AI / Continuity requests = %.0f%n",
                    (double) springAi.get(TURNS - 1).requests() / continuity.get(TURNS - 1).requests()));
            report.append(String.format(Locale.ROOT, "%n%d conversations at once, %d turns each: Continuity %.0f turns/s "
                    + "(one batch each), Spring AI %.0f turns/s%n", CONCURRENT_CONVERSATIONS,
                    CONCURRENT_TURNS_EACH, continuityRate, springAiRate));
            System.out.println("\n=== Cosmos journal benchmark ===\n" + report);

            // the two stores hold the same conversation
            assertThat(journal.read("measured", 1)).hasSize(TURNS);
            assertThat(repository.findByConversationId("measured")).hasSize(2 * TURNS);
        }
    }

    /** Median time of the five turns ending at {@code turn} (fewer at the start): one turn alone is noise. */
    private static double medianMillis(List<TurnCost> costs, int turn) {
        double[] window = costs.subList(Math.max(0, turn - 5), turn).stream().mapToDouble(TurnCost::millis)
                .sorted().toArray();
        return window[window.length / 2];
    }

    /** One turn's cost: requests the server received for the container and wall-clock milliseconds. */
    private record TurnCost(long requests, double millis) {
    }

    /**
     * One conversation through the journal: per turn one append of the committed turn (ANSWER_ONLY), or
     * with {@code pendingFirst} an append of the pending input and a commit (PENDING_INPUT).
     */
    private static List<TurnCost> continuityConversation(LocalCosmosServer.Server server, CosmosTurnJournal journal,
            String container, String key, int turns, boolean pendingFirst) {
        journal.compareAndSetHead(ConversationHead.start(key, "agent", null, Instant.now()), 0).orElseThrow();
        List<TurnCost> costs = new ArrayList<>(turns);
        for (int sequence = 1; sequence <= turns; sequence++) {
            long before = server.requestCounts(DATABASE, container).total();
            long start = System.nanoTime();
            Turn pending = Turn.pending(key, sequence, "agent", null, List.of(TurnItem.userMessage(
                    question(sequence))), Instant.now());
            TurnOutcome outcome = new TurnOutcome(List.of(TurnItem.assistantMessage(answer(sequence))),
                    "resp_" + sequence, "eastus", new TokenUsage(100, 50, 150), Instant.now());
            if (pendingFirst) {
                assertThat(journal.append(pending)).isEqualTo(AppendResult.WRITTEN);
                assertThat(journal.commit(key, sequence, outcome)).isEqualTo(AppendResult.WRITTEN);
            } else {
                assertThat(journal.append(pending.committed(outcome))).isEqualTo(AppendResult.WRITTEN);
            }
            double millis = (System.nanoTime() - start) / 1e6;
            costs.add(new TurnCost(server.requestCounts(DATABASE, container).total() - before, millis));
        }
        return costs;
    }

    private static List<TurnCost> springAiConversation(LocalCosmosServer.Server server,
            CosmosDBChatMemoryRepository repository, String container, String id, int turns) {
        List<Message> history = new ArrayList<>();
        List<TurnCost> costs = new ArrayList<>(turns);
        for (int turn = 1; turn <= turns; turn++) {
            history.add(new UserMessage(question(turn)));
            history.add(new AssistantMessage(answer(turn)));
            long before = server.requestCounts(DATABASE, container).total();
            long start = System.nanoTime();
            repository.saveAll(id, history);
            double millis = (System.nanoTime() - start) / 1e6;
            costs.add(new TurnCost(server.requestCounts(DATABASE, container).total() - before, millis));
        }
        return costs;
    }

    private static double concurrentContinuity(CosmosTurnJournal journal) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int c = 0; c < CONCURRENT_CONVERSATIONS; c++) {
            journal.compareAndSetHead(ConversationHead.start(run + "-" + c, "agent", null, Instant.now()), 0)
                    .orElseThrow();
        }
        return turnsPerSecond(c -> {
            String key = run + "-" + c;
            for (int sequence = 1; sequence <= CONCURRENT_TURNS_EACH; sequence++) {
                journal.append(Turn.pending(key, sequence, "agent", null, List.of(TurnItem.userMessage(
                        question(sequence))), Instant.now()).committed(new TurnOutcome(List.of(
                        TurnItem.assistantMessage(answer(sequence))), "resp_" + sequence, "eastus", TokenUsage.NONE,
                        Instant.now())));
            }
        });
    }

    private static double concurrentSpringAi(CosmosDBChatMemoryRepository repository) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        return turnsPerSecond(c -> {
            String id = run + "-" + c;
            List<Message> history = new ArrayList<>();
            for (int turn = 1; turn <= CONCURRENT_TURNS_EACH; turn++) {
                history.add(new UserMessage(question(turn)));
                history.add(new AssistantMessage(answer(turn)));
                repository.saveAll(id, history);
            }
        });
    }

    private interface ConversationTask {
        void run(int conversation) throws Exception;
    }

    /** Runs one task per conversation, all released at once; turns completed per second of wall time. */
    private static double turnsPerSecond(ConversationTask task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CONCURRENT_CONVERSATIONS);
        try {
            CountDownLatch ready = new CountDownLatch(CONCURRENT_CONVERSATIONS);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> futures = new ArrayList<>();
            for (int c = 0; c < CONCURRENT_CONVERSATIONS; c++) {
                int conversation = c;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    task.run(conversation);
                    return null;
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            long start = System.nanoTime();
            go.countDown();
            for (Future<?> future : futures) {
                future.get(30, TimeUnit.MINUTES);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return CONCURRENT_CONVERSATIONS * CONCURRENT_TURNS_EACH / seconds;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String question(int turn) {
        return "Question " + turn + ": what is the status of order " + (10_000 + turn)
                + ", and when will the replacement part ship to the Lyon warehouse?";
    }

    private static String answer(int turn) {
        return "Answer " + turn + ": order " + (10_000 + turn) + " is packed; the replacement part ships "
                + "tomorrow morning by the regular carrier and should reach Lyon within two working days.";
    }
}
