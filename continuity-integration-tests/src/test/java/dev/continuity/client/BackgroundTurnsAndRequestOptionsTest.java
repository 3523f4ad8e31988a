package dev.continuity.client;

import static dev.continuity.client.EmulatedRegions.AGENT;
import static dev.continuity.client.EmulatedRegions.PRIMARY;
import static dev.continuity.client.EmulatedRegions.SECONDARY;
import static dev.continuity.client.EmulatedRegions.TOOL_AGENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.http.HttpResponse;
import dev.continuity.ContinuityException;
import dev.continuity.RetrySettings;
import dev.continuity.agentservice.ResponseStatus;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.emulator.EmulatorRegion;
import dev.continuity.emulator.FaultRule;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnDurability;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Background turns (created {@code queued}, polled to their end, journaled once; failed, incomplete and
 * cancelled ones never acknowledged as completed; a crash while polling resolved from the same response) and
 * the options a turn carries beyond the typed ones (passed through, journaled, used again when a pending turn
 * is completed; the fields Continuity owns refused). Through the real openai-java client against the emulator.
 */
class BackgroundTurnsAndRequestOptionsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Polls quickly: the emulator advances by retrievals, never by time. */
    private static final RetrySettings FAST = ContinuityClient.DEFAULT_RETRY.withBackoff(Duration.ofMillis(1),
            Duration.ofMillis(2));
    private static final TurnOptions BACKGROUND = TurnOptions.NONE.withBackground(true);

    private EmulatedRegions regions;
    private EmulatorRegion primary;
    private InMemoryTurnJournal journal;
    private ContinuityClient client;
    private ExecutorService pool;

    @BeforeEach
    void start() {
        regions = new EmulatedRegions();
        primary = regions.emulator.region(PRIMARY);
        journal = new InMemoryTurnJournal();
        client = client().build();
        pool = Executors.newSingleThreadExecutor();
    }

    private ContinuityClient.Builder client() {
        return ContinuityClient.builder().journal(journal).region(regions.service(PRIMARY)).retry(FAST);
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
        regions.close();
    }

    private JsonNode storedResponse(String responseId) throws Exception {
        try (HttpResponse response = regions.service(PRIMARY).clients().openAI().responses().withRawResponse()
                .retrieve(responseId);
                InputStream body = response.body()) {
            return JSON.readTree(body);
        }
    }

    private List<String> regionalTexts(String key) {
        String conversationId = journal.head(key).orElseThrow().region(PRIMARY).conversationId();
        return regions.service(PRIMARY).listItems(conversationId).stream().map(StoredItem::item).map(TurnItem::text)
                .toList();
    }

    private long count(String operation) {
        return regions.count(PRIMARY, operation);
    }

    /** Waits (without sleeping) until the region has answered {@code n} retrievals of a response. */
    private void awaitRetrievals(long n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (count("responses.get") < n) {
            assertThat(System.nanoTime()).as("the client polls the background response").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void aBackgroundTurnIsPolledToItsEndAndJournaledOnce() throws Exception {
        primary.backgroundPolls(2);
        String key = client.startConversation(AGENT);

        TurnResult result = client.send(key, "remember city=Lisbon", BACKGROUND);

        assertThat(result.status()).isEqualTo(ResponseStatus.COMPLETED);
        assertThat(result.text()).isEqualTo("OK, I will remember city.");
        assertThat(count("responses.create")).as("created once").isEqualTo(1);
        assertThat(count("responses.get")).as("queued -> in_progress -> completed, 2 retrievals a step").isEqualTo(4);
        JsonNode stored = storedResponse(result.responseId());
        assertThat(stored.path("background").asBoolean()).isTrue();
        assertThat(stored.path("status").asText()).isEqualTo("completed");
        List<Turn> history = client.history(key);
        assertThat(history).hasSize(1);
        assertThat(history.get(0).status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(history.get(0).responseId()).isEqualTo(result.responseId());
        assertThat(history.get(0).output()).extracting(TurnItem::text).containsExactly("OK, I will remember city.");
        assertThat(TurnOptions.fromJson(history.get(0).options()).background()).isTrue();
        assertThat(regionalTexts(key)).containsExactly("remember city=Lisbon", "OK, I will remember city.");
        assertThat(client.send(key, "recall city").text()).isEqualTo("city is Lisbon.");
    }

    @Test
    void aFailedBackgroundTurnIsNeverAcknowledgedAndAnIncompleteOneIsCommittedIncomplete() {
        String key = client.startConversation(AGENT);
        primary.faults().inject(FaultRule.responseFailed());

        TurnFailedException failed = catchThrowableOfType(() -> client.send(key, "remember city=Lisbon", BACKGROUND),
                TurnFailedException.class);

        assertThat(failed).isNotNull();
        assertThat(failed.status()).isEqualTo(ResponseStatus.FAILED);
        assertThat(failed.inputKept()).isTrue();
        Turn inputOnly = journal.turn(key, 1).orElseThrow();
        assertThat(inputOnly.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(inputOnly.output()).isEmpty();
        assertThat(regionalTexts(key)).containsExactly("remember city=Lisbon");

        client.send(key, "remember k=" + "v".repeat(120), BACKGROUND);
        TurnResult cut = client.send(key, "recall k", BACKGROUND.withMaxOutputTokens(16));
        assertThat(cut.status()).isEqualTo(ResponseStatus.INCOMPLETE);
        assertThat(cut.incompleteReason()).isEqualTo("max_output_tokens");
        Turn committed = journal.turn(key, 3).orElseThrow();
        assertThat(committed.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(committed.output()).extracting(TurnItem::text).containsExactly(cut.text());
    }

    @Test
    void aCancelledBackgroundTurnLeavesNothingAndIsNeverAcknowledged() throws Exception {
        primary.backgroundPolls(1_000_000); // stays queued until cancelled
        String key = client.startConversation(AGENT);
        client.send(key, "remember city=Lisbon");
        assertThat(client.cancelTurn(key)).as("nothing is running").isFalse();

        Future<TurnResult> sending = pool.submit(() -> client.send(key, "remember river=Tejo", BACKGROUND));
        awaitRetrievals(1);
        assertThat(client.cancelTurn(key)).isTrue();

        Throwable thrown = catchThrowableOfType(() -> sending.get(30, TimeUnit.SECONDS),
                java.util.concurrent.ExecutionException.class).getCause();
        assertThat(thrown).isInstanceOf(TurnFailedException.class);
        TurnFailedException cancelled = (TurnFailedException) thrown;
        assertThat(cancelled.status()).isEqualTo(ResponseStatus.CANCELLED);
        assertThat(cancelled.inputKept()).isFalse();
        assertThat(cancelled.getMessage()).contains("cancelled", key);
        assertThat(storedResponse(cancelled.responseId()).path("status").asText()).isEqualTo("cancelled");
        assertThat(client.history(key)).as("the pending turn is removed").hasSize(1);
        assertThat(journal.pendingTurns()).isEmpty();
        assertThat(regionalTexts(key)).containsExactly("remember city=Lisbon", "OK, I will remember city.");
        assertThat(client.cancelTurn(key)).isFalse();

        primary.backgroundPolls(1);
        TurnResult next = client.send(key, "recall city", BACKGROUND);
        assertThat(next.sequence()).isEqualTo(2);
        assertThat(next.text()).isEqualTo("city is Lisbon.");
    }

    @Test
    void aTurnLeftPendingWhilePollingIsFinishedFromTheSameResponseNotSentAgain() throws Exception {
        primary.backgroundPolls(1_000_000);
        String key = client.startConversation(AGENT);
        client.send(key, "remember city=Lisbon");
        TurnOptions options = BACKGROUND.withOption("reasoning", "{\"effort\":\"low\"}");
        Future<TurnResult> sending = pool.submit(() -> client.send(key, "recall city", options));
        awaitRetrievals(1);
        pool.shutdownNow(); // the process stops while it polls (interrupt: the turn stays pending)
        Throwable stopped = catchThrowableOfType(() -> sending.get(30, TimeUnit.SECONDS),
                java.util.concurrent.ExecutionException.class).getCause();
        assertThat(stopped).isInstanceOf(ContinuityException.class);
        Turn pending = journal.turn(key, 2).orElseThrow();
        assertThat(pending.status()).isEqualTo(TurnStatus.PENDING);
        assertThat(count("responses.create")).isEqualTo(2);

        primary.backgroundPolls(1);
        ContinuityClient restarted = client().build();
        assertThat(restarted.reconcilePendingTurns()).isEqualTo(1);

        assertThat(count("responses.create")).as("the running response is polled, not sent again").isEqualTo(2);
        Turn completed = journal.turn(key, 2).orElseThrow();
        assertThat(completed.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(completed.output()).extracting(TurnItem::text).containsExactly("city is Lisbon.");
        JsonNode stored = storedResponse(completed.responseId());
        assertThat(stored.path("background").asBoolean()).isTrue();
        assertThat(stored.path("reasoning").path("effort").asText()).isEqualTo("low");
        assertThat(regionalTexts(key)).containsExactly("remember city=Lisbon", "OK, I will remember city.",
                "recall city", "city is Lisbon.");
    }

    /**
     * With {@code ANSWER_ONLY} a synchronous turn is journaled once, with its answer; a background turn is
     * journaled pending before its create (its answer comes long after the call), so a crash while polling
     * leaves it recoverable exactly as with {@code PENDING_INPUT}: never lost, never sent twice, and its
     * response's items never land in the regional conversation behind the journal's back.
     */
    @Test
    void withAnswerOnlyABackgroundTurnLeftWhilePollingIsPendingAndFinishedFromTheSameResponse() throws Exception {
        client = client().durability(TurnDurability.ANSWER_ONLY).build();
        primary.backgroundPolls(1_000_000);
        String key = client.startConversation(AGENT);
        client.send(key, "remember city=Lisbon");
        Future<TurnResult> sending = pool.submit(() -> client.send(key, "recall city", BACKGROUND));
        awaitRetrievals(1);
        Turn inFlight = journal.turn(key, 2).orElse(null);
        pool.shutdownNow(); // the process stops while it polls
        catchThrowableOfType(() -> sending.get(30, TimeUnit.SECONDS), java.util.concurrent.ExecutionException.class);

        assertThat(inFlight).as("the background turn is journaled before the service answers it").isNotNull();
        assertThat(inFlight.status()).isEqualTo(TurnStatus.PENDING);
        assertThat(journal.turn(key, 1).orElseThrow().status()).isEqualTo(TurnStatus.COMMITTED);
        primary.backgroundPolls(1);
        ContinuityClient restarted = client().durability(TurnDurability.ANSWER_ONLY).build();
        assertThat(restarted.reconcilePendingTurns()).isEqualTo(1);

        assertThat(count("responses.create")).as("the running response is polled, not sent again").isEqualTo(2);
        Turn completed = journal.turn(key, 2).orElseThrow();
        assertThat(completed.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(completed.output()).extracting(TurnItem::text).containsExactly("city is Lisbon.");
        assertThat(restarted.send(key, "recall city").sequence()).isEqualTo(3);
        assertThat(regionalTexts(key)).containsExactly("remember city=Lisbon", "OK, I will remember city.",
                "recall city", "city is Lisbon.", "recall city", "city is Lisbon.");
    }

    @Test
    void aBackgroundTurnWhoseRegionGoesDownWhilePollingIsAskedOnceInTheRegionThatTakesOver() throws Exception {
        AtomicReference<String> active = new AtomicReference<>(PRIMARY);
        dev.continuity.replay.ConversationReplayer replayer = new dev.continuity.replay.ConversationReplayer(journal);
        ContinuityClient failing = client().region(regions.service(SECONDARY)).activeRegion(active::get)
                .catchUp(replayer::catchUpCursor).build();
        String key = failing.startConversation(AGENT);
        failing.send(key, "remember city=Lisbon");
        primary.backgroundPolls(1_000_000);
        Future<TurnResult> sending = pool.submit(() -> failing.send(key, "remember river=Tejo", BACKGROUND));
        awaitRetrievals(1);
        String lost = regions.service(PRIMARY).listResponses(journal.head(key).orElseThrow().region(PRIMARY)
                .conversationId()).get(1).responseId();

        primary.faults().outage();
        active.set(SECONDARY);
        TurnResult result = sending.get(30, TimeUnit.SECONDS);

        assertThat(result.region()).isEqualTo(SECONDARY);
        assertThat(result.text()).isEqualTo("OK, I will remember river.");
        assertThat(failing.history(key)).hasSize(2).allMatch(t -> t.status() == TurnStatus.COMMITTED);
        assertThat(journal.turn(key, 2).orElseThrow().region()).isEqualTo(SECONDARY);
        String secondaryConversation = journal.head(key).orElseThrow().region(SECONDARY).conversationId();
        assertThat(regions.service(SECONDARY).listItems(secondaryConversation)).extracting(i -> i.item().text())
                .containsExactly("remember city=Lisbon", "OK, I will remember city.", "remember river=Tejo",
                        "OK, I will remember river.");
        primary.faults().restore();
        assertThat(storedResponse(lost).path("status").asText()).as("lost with the region").isEqualTo("failed");
        assertThat(regionalTexts(key)).as("the primary's conversation got nothing of it")
                .containsExactly("remember city=Lisbon", "OK, I will remember city.");
    }

    @Test
    void everyOtherRequestOptionIsPassedThroughJournaledAndUsedWhenAPendingTurnIsCompleted() throws Exception {
        String key = client.startConversation(AGENT);
        TurnOptions options = TurnOptions.NONE.withTemperature(0.5)
                .withOption("reasoning", "{\"effort\":\"low\",\"summary\":\"auto\"}")
                .withOption("truncation", "\"auto\"")
                .withOption("parallel_tool_calls", "false")
                .withOption("max_tool_calls", "3")
                .withOption("service_tier", "\"flex\"")
                .withOption("safety_identifier", "\"user-7\"")
                .withOption("prompt_cache_key", "\"memo\"")
                .withOption("top_logprobs", "2");
        primary.faults().inject(FaultRule.serviceUnavailable().onlyFor("POST", "/responses").times(100));
        ContinuityClient impatient = client().retry(FAST.withMaxAttempts(1)).build();
        catchThrowableOfType(() -> impatient.send(key, "remember city=Lisbon", options),
                RegionUnavailableException.class);
        Turn pending = journal.turn(key, 1).orElseThrow();
        assertThat(pending.status()).isEqualTo(TurnStatus.PENDING);
        assertThat(TurnOptions.fromJson(pending.options())).isEqualTo(options);
        primary.faults().clear();

        assertThat(client.reconcilePendingTurns()).isEqualTo(1);

        JsonNode stored = storedResponse(journal.turn(key, 1).orElseThrow().responseId());
        assertThat(stored.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(stored.path("reasoning")).isEqualTo(JSON.readTree("{\"effort\":\"low\",\"summary\":\"auto\"}"));
        assertThat(stored.path("truncation").asText()).isEqualTo("auto");
        assertThat(stored.path("parallel_tool_calls").asBoolean()).isFalse();
        assertThat(stored.path("max_tool_calls").asInt()).isEqualTo(3);
        assertThat(stored.path("service_tier").asText()).isEqualTo("flex");
        assertThat(stored.path("safety_identifier").asText()).isEqualTo("user-7");
        assertThat(stored.path("prompt_cache_key").asText()).isEqualTo("memo");
        assertThat(stored.path("top_logprobs").asInt()).isEqualTo(2);
    }

    @Test
    void anOptionTheServiceRefusesRejectsTheTurnNamingIt() {
        String key = client.startConversation(AGENT);
        TurnRejectedException rejected = catchThrowableOfType(() -> client.send(key, "hi",
                TurnOptions.NONE.withOption("reasoning", "{\"effort\":\"extreme\"}")), TurnRejectedException.class);
        assertThat(rejected).isNotNull();
        assertThat(rejected.getMessage()).contains("reasoning.effort");
        assertThat(journal.pendingTurns()).isEmpty();
    }

    @Test
    void fieldsContinuityOwnsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> TurnOptions.NONE.withOption("previous_response_id", "\"resp_1\""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("previous_response_id").hasMessageContaining("failover");
        assertThatThrownBy(() -> TurnOptions.fromJson("{\"previous_response_id\":\"resp_1\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("previous_response_id");
        for (String owned : List.of("input", "conversation", "agent", "agent_reference", "model", "stream")) {
            assertThatThrownBy(() -> TurnOptions.NONE.withOption(owned, "\"x\""))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(owned);
        }
    }

    @Test
    void everyToolRoundIsSentAndJournaledWithTheTurnsOptions() throws Exception {
        ContinuityClient tools = client().functionHandler("lookup", args -> "{\"name\":\"Ada\"}").build();
        String key = tools.startConversation(TOOL_AGENT);
        TurnOptions options = BACKGROUND.withMetadata(Map.of("ticket", "T-9"));

        TurnResult result = tools.sendAndRunTools(key, "call lookup {\"id\":7}", options);

        assertThat(result.functionCalls()).isEmpty();
        List<Turn> history = tools.history(key);
        assertThat(history).hasSize(2);
        for (Turn turn : history) {
            assertThat(TurnOptions.fromJson(turn.options())).isEqualTo(options);
            JsonNode stored = storedResponse(turn.responseId());
            assertThat(stored.path("metadata").path("ticket").asText()).isEqualTo("T-9");
            assertThat(stored.path("background").asBoolean()).isTrue();
        }
    }
}
