package dev.continuity.client;

import static dev.continuity.client.EmulatedRegions.AGENT;
import static dev.continuity.client.EmulatedRegions.PRIMARY;
import static dev.continuity.client.EmulatedRegions.TOOL_AGENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.continuity.ContinuityException;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.AgentReference;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.emulator.FaultRule;
import dev.continuity.journal.AppendResult;
import dev.continuity.journal.ConversationHead;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnJournal;
import dev.continuity.journal.TurnOutcome;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ContinuityClientTest {

    private EmulatedRegions regions;
    private InMemoryTurnJournal journal;

    @BeforeEach
    void start() {
        regions = new EmulatedRegions();
        journal = new InMemoryTurnJournal();
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    /** Fast waits; a service's retry-after capped at the longest backoff. */
    private static final RetrySettings RETRY = ContinuityClient.DEFAULT_RETRY
            .withBackoff(Duration.ofMillis(5), Duration.ofMillis(50)).withMaxRetryAfter(Duration.ofMillis(50));

    private ContinuityClient.Builder client() {
        return ContinuityClient.builder()
                .journal(journal)
                .region(regions.service(PRIMARY))
                .retry(RETRY);
    }

    private List<StoredItem> regionalItems(String key) {
        String conversationId = journal.head(key).orElseThrow().region(PRIMARY).conversationId();
        return regions.service(PRIMARY).listItems(conversationId);
    }

    @Test
    void journalsEveryTurnAndRecallsEarlierFacts() {
        ContinuityClient client = client().build();
        String key = client.startConversation(AGENT);

        TurnResult first = client.send(key, "remember city=Lisbon");
        TurnResult second = client.send(key, "recall city");

        assertThat(first.text()).isEqualTo("OK, I will remember city.");
        assertThat(second.text()).isEqualTo("city is Lisbon.");
        assertThat(second.sequence()).isEqualTo(2);
        assertThat(second.region()).isEqualTo(PRIMARY);
        assertThat(second.usage().totalTokens()).isPositive();

        List<Turn> history = client.history(key);
        assertThat(history).extracting(Turn::sequence).containsExactly(1L, 2L);
        assertThat(history).allMatch(t -> t.status() == TurnStatus.COMMITTED && PRIMARY.equals(t.region()));
        assertThat(history.get(1).input()).containsExactly(TurnItem.userMessage("recall city"));
        assertThat(history.get(1).output().get(0).text()).isEqualTo("city is Lisbon.");
        assertThat(journal.head(key).orElseThrow().region(PRIMARY).replayedThrough()).isEqualTo(2);
        // the regional conversation holds exactly the journaled items, in order
        assertThat(regionalItems(key)).extracting(i -> i.item().text())
                .containsExactly("remember city=Lisbon", "OK, I will remember city.", "recall city", "city is Lisbon.");
    }

    @Test
    void inputIsJournaledBeforeTheCallAndAPendingTurnIsCompletedExactlyOnce() {
        ContinuityClient client = client().retry(RETRY.withMaxAttempts(1)).build();
        String key = client.startConversation(AGENT);
        client.send(key, "remember a=1");

        regions.emulator.region(PRIMARY).faults().inject(FaultRule.serviceUnavailable());
        assertThatThrownBy(() -> client.send(key, "remember b=2"))
                .isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("turn 2 of conversation '" + key + "'")
                .hasMessageContaining(PRIMARY);
        Turn pending = journal.turn(key, 2).orElseThrow();
        assertThat(pending.status()).isEqualTo(TurnStatus.PENDING);
        assertThat(pending.input()).containsExactly(TurnItem.userMessage("remember b=2"));

        regions.emulator.region(PRIMARY).faults().clear();
        TurnResult next = client.send(key, "recall b");

        assertThat(next.sequence()).isEqualTo(3);
        assertThat(next.text()).isEqualTo("b is 2.");
        assertThat(journal.turn(key, 2).orElseThrow().status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(regionalItems(key)).extracting(i -> i.item().text()).containsExactly(
                "remember a=1", "OK, I will remember a.", "remember b=2", "OK, I will remember b.",
                "recall b", "b is 2.");
    }

    @ParameterizedTest
    @EnumSource(TurnDurability.class)
    void aRetryAfterFailAfterCommitDoesNotDuplicateTheTurn(TurnDurability durability) {
        ContinuityClient client = client().durability(durability).build();
        String key = client.startConversation(AGENT);
        client.send(key, "remember a=1");
        regions.emulator.region(PRIMARY).faults()
                .inject(FaultRule.failAfterCommit().onlyFor("POST", "/openai/responses").times(1));

        TurnResult result = client.send(key, "remember b=2");

        assertThat(result.text()).isEqualTo("OK, I will remember b.");
        assertThat(regionalItems(key)).hasSize(4);
        assertThat(regions.count(PRIMARY, "responses.create")).isEqualTo(2); // the failed one and none after
        assertThat(client.history(key)).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
    }

    @Test
    void aRefusedTurnIsRemovedAndTheConversationContinues() {
        ContinuityClient client = client().build();
        String key = client.startConversation(AGENT);
        client.send(key, "remember a=1");
        String oversized = "x".repeat(1_500_001);

        assertThatThrownBy(() -> client.send(key, oversized))
                .isInstanceOf(TurnRejectedException.class)
                .hasMessageContaining("turn 2 of conversation '" + key + "' was refused")
                .hasMessageContaining(PRIMARY);

        assertThat(journal.turn(key, 2)).isEmpty();
        assertThat(client.send(key, "recall a").sequence()).isEqualTo(2);
        assertThat(regionalItems(key)).hasSize(4);
    }

    @Test
    void answerOnlyJournalsEachTurnInOneWriteAfterTheAnswer() {
        WriteCountingJournal counting = new WriteCountingJournal(journal);
        ContinuityClient client = ContinuityClient.builder().journal(counting).region(regions.service(PRIMARY))
                .durability(TurnDurability.ANSWER_ONLY).build();
        String key = client.startConversation(AGENT);
        client.send(key, "remember a=1"); // also records the regional conversation in the head
        int before = counting.writes.size();

        for (int i = 2; i <= 10; i++) {
            client.send(key, "remember k" + i + "=" + i);
        }

        assertThat(counting.writes.subList(before, counting.writes.size())).as("one append per turn, no commits")
                .hasSize(9).allMatch(w -> w.equals("append COMMITTED"));
        assertThat(client.send(key, "recall k7").text()).isEqualTo("k7 is 7.");
        assertThat(journal.pendingTurns()).isEmpty();
        assertThat(journal.head(key).orElseThrow().region(PRIMARY).replayedThrough()).isEqualTo(11);
        assertThat(regionalItems(key)).hasSize(22);
        assertThat(client.durability()).isEqualTo(TurnDurability.ANSWER_ONLY);
        assertThat(client().build().durability()).as("the journal's default").isEqualTo(TurnDurability.PENDING_INPUT);
    }

    @Test
    void answerOnlyJournalsNothingForATurnThatWasNotAnswered() {
        ContinuityClient client = client().durability(TurnDurability.ANSWER_ONLY).retry(RETRY.withMaxAttempts(1))
                .build();
        String key = client.startConversation(AGENT);
        client.send(key, "remember a=1");

        regions.emulator.region(PRIMARY).faults().inject(FaultRule.serviceUnavailable());
        assertThatThrownBy(() -> client.send(key, "remember b=2"))
                .isInstanceOf(RegionUnavailableException.class)
                .hasMessageContaining("turn 2 of conversation '" + key + "' was not journaled");
        regions.emulator.region(PRIMARY).faults().clear();
        assertThatThrownBy(() -> client.send(key, "x".repeat(1_500_001))).isInstanceOf(TurnRejectedException.class);

        assertThat(journal.head(key).orElseThrow().lastSequence()).isEqualTo(1);
        assertThat(client.send(key, "recall b").text()).isEqualTo("I don't know b.");
        assertThat(client.history(key)).extracting(Turn::sequence).containsExactly(1L, 2L);
    }

    @Test
    void answerOnlyAdoptsATurnTheRegionHoldsButTheJournalLacksBeforeTheNextTurn() {
        ContinuityClient first = client().durability(TurnDurability.ANSWER_ONLY).build();
        String key = first.startConversation(AGENT);
        first.send(key, "remember a=1");
        // what a process that stopped between the service's answer and its journal write leaves behind
        String conversationId = journal.head(key).orElseThrow().region(PRIMARY).conversationId();
        regions.service(PRIMARY).respond(new AgentReference(AGENT, null), conversationId,
                List.of(TurnItem.userMessage("remember b=2")));

        ContinuityClient restarted = client().durability(TurnDurability.ANSWER_ONLY).build();
        TurnResult next = restarted.send(key, "recall b");

        assertThat(next.sequence()).isEqualTo(3);
        assertThat(next.text()).isEqualTo("b is 2.");
        Turn adopted = journal.turn(key, 2).orElseThrow();
        assertThat(adopted.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(adopted.input()).extracting(TurnItem::text).containsExactly("remember b=2");
        assertThat(adopted.output()).extracting(TurnItem::text).containsExactly("OK, I will remember b.");
        assertThat(adopted.responseId()).startsWith("recovered:");
        assertThat(regionalItems(key)).extracting(i -> i.item().text()).containsExactlyElementsOf(
                restarted.history(key).stream().flatMap(t -> t.items().stream()).map(TurnItem::text).toList());
    }

    @Test
    void throttlingIsRetriedHonouringTheServiceDelay() {
        ContinuityClient client = client().build();
        String key = client.startConversation(AGENT);
        client.send(key, "remember a=1");
        regions.emulator.region(PRIMARY).faults()
                .inject(FaultRule.throttle(20).onlyFor("POST", "/openai/responses").times(3));

        TurnResult result = client.send(key, "recall a");

        assertThat(result.text()).isEqualTo("a is 1.");
        assertThat(regionalItems(key)).hasSize(4);
    }

    @Test
    void concurrentSendsOnOneConversationAreSerializedNeverInterleaved() throws Exception {
        ContinuityClient client = client().build();
        String key = client.startConversation(AGENT);
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.latency(Duration.ofMillis(30)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<TurnResult>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String text = "remember k" + i + "=v" + i;
                results.add(pool.submit(() -> client.send(key, text)));
            }
            for (Future<TurnResult> result : results) {
                result.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Turn> history = client.history(key);
        assertThat(history).extracting(Turn::sequence).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
        List<StoredItem> items = regionalItems(key);
        assertThat(items).hasSize(16);
        for (int i = 0; i < 16; i += 2) {
            String fact = items.get(i).item().text();
            String name = fact.substring("remember ".length(), fact.indexOf('='));
            assertThat(items.get(i + 1).item().text()).isEqualTo("OK, I will remember " + name + ".");
        }
    }

    @Test
    void aSecondSendIsRefusedWhenTheConversationStaysBusy() throws Exception {
        ContinuityClient client = client().lockTimeout(Duration.ofMillis(50)).build();
        String key = client.startConversation(AGENT);
        // the slow turn: its create-conversation and response calls each take 400 ms
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.latency(Duration.ofMillis(400)).times(2));
        CompletableFuture<TurnResult> slow = CompletableFuture.supplyAsync(() -> client.send(key, "remember a=1"));
        awaitPendingTurn(key, 1);

        assertThatThrownBy(() -> client.send(key, "remember b=2"))
                .isInstanceOf(ConversationBusyException.class)
                .hasMessageContaining(key);
        assertThat(slow.get(30, TimeUnit.SECONDS).sequence()).isEqualTo(1);
        assertThat(client.history(key)).hasSize(1);
    }

    @Test
    void functionCallsAreAnsweredByRegisteredHandlersAndJournaled() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ContinuityClient client = client().functionHandler("lookup", args -> {
            seen.add(args);
            return "{\"status\":\"open\"}";
        }).build();
        String key = client.startConversation(TOOL_AGENT);

        TurnResult result = client.sendAndRunTools(key, "call lookup {\"id\":7}");

        assertThat(seen).containsExactly("{\"id\":7}");
        assertThat(result.text()).isEqualTo("lookup returned: {\"status\":\"open\"}");
        List<Turn> history = client.history(key);
        assertThat(history).hasSize(2);
        assertThat(history.get(0).output()).extracting(TurnItem::type).containsExactly(TurnItem.FUNCTION_CALL);
        assertThat(history.get(1).input()).extracting(TurnItem::type).containsExactly(TurnItem.FUNCTION_CALL_OUTPUT);
    }

    @Test
    void startingAConversationIsIdempotentAndRefusesAnotherAgent() {
        ContinuityClient client = client().build();
        assertThat(client.startConversation("k1", AGENT, null)).isEqualTo("k1");
        assertThat(client.startConversation("k1", AGENT, null)).isEqualTo("k1");
        assertThatThrownBy(() -> client.startConversation("k1", TOOL_AGENT, null))
                .isInstanceOf(ContinuityException.class)
                .hasMessageContaining("'k1' already exists for agent 'memo'");
        assertThatThrownBy(() -> client.send("nope", "hi"))
                .isInstanceOf(ContinuityException.class)
                .hasMessageContaining("unknown conversation 'nope'");
    }

    private void awaitPendingTurn(String key, long sequence) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (journal.turn(key, sequence).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("turn " + sequence + " was never journaled");
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    @Test
    void forgetsTheLeastRecentlyUsedConversationsBeyondTheLimitAndReadsTheirHeadAgain() {
        WriteCountingJournal counting = new WriteCountingJournal(journal);
        ContinuityClient client = ContinuityClient.builder().journal(counting).region(regions.service(PRIMARY))
                .durability(TurnDurability.ANSWER_ONLY).maxTrackedConversations(2).build();
        String a = client.startConversation(AGENT);
        String b = client.startConversation(AGENT);
        String c = client.startConversation(AGENT);
        client.send(a, "remember x=a");
        client.send(b, "remember x=b");
        client.send(c, "remember x=c"); // a third conversation: a, the least recently used, is forgotten

        int reads = counting.headReads.get();
        client.send(c, "remember y=c");
        client.send(b, "remember y=b");
        assertThat(counting.headReads.get()).as("tracked conversations read nothing before their write")
                .isEqualTo(reads);
        client.send(a, "remember y=a");
        assertThat(counting.headReads.get()).as("a forgotten conversation reads its head again").isGreaterThan(reads);

        assertThat(client.send(a, "recall x").text()).isEqualTo("x is a.");
        assertThat(client.send(b, "recall y").text()).isEqualTo("y is b.");
        assertThat(client.send(c, "recall x").text()).isEqualTo("x is c.");
        assertThat(journal.head(a).orElseThrow().lastSequence()).isEqualTo(3);
    }

    @Test
    void refusesATrackingLimitBelowOne() {
        assertThatThrownBy(() -> client().maxTrackedConversations(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTrackedConversations");
    }

    /** Passes everything to a real journal and records each write ("append PENDING", "commit", ...). */
    private static final class WriteCountingJournal extends ForwardingTurnJournal {
        final List<String> writes = new CopyOnWriteArrayList<>();
        final AtomicInteger headReads = new AtomicInteger();

        WriteCountingJournal(TurnJournal real) {
            super(real);
        }

        @Override
        public Optional<ConversationHead> head(String key) {
            headReads.incrementAndGet();
            return super.head(key);
        }

        @Override
        public AppendResult append(Turn turn) {
            writes.add("append " + turn.status());
            return super.append(turn);
        }

        @Override
        public AppendResult commit(String key, long sequence,
                TurnOutcome outcome) {
            writes.add("commit");
            return super.commit(key, sequence, outcome);
        }

        @Override
        public AppendResult discardPending(String key, long sequence) {
            writes.add("discard");
            return super.discardPending(key, sequence);
        }

        @Override
        public Optional<ConversationHead> compareAndSetHead(
                ConversationHead head, long expectedVersion) {
            writes.add("head");
            return super.compareAndSetHead(head, expectedVersion);
        }
    }
}
