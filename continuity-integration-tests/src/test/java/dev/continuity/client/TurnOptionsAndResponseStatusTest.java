package dev.continuity.client;

import static dev.continuity.client.EmulatedRegions.AGENT;
import static dev.continuity.client.EmulatedRegions.PRIMARY;
import static dev.continuity.client.EmulatedRegions.SECONDARY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.core.http.HttpResponse;
import dev.continuity.agentservice.ResponseStatus;
import dev.continuity.agentservice.StoredItem;
import dev.continuity.agentservice.TurnOptions;
import dev.continuity.emulator.FaultRule;
import dev.continuity.journal.Turn;
import dev.continuity.journal.TurnItem;
import dev.continuity.journal.TurnStatus;
import dev.continuity.journal.memory.InMemoryTurnJournal;
import dev.continuity.replay.ConversationReplayer;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A turn's Responses API options reach the service and are journaled with the turn; a response that is
 * not {@code completed} is never acknowledged as if it were: an incomplete answer is committed and
 * reported incomplete, a failed one throws and leaves the journal as the region holds the turn. Through
 * the real openai-java client against the emulator.
 */
class TurnOptionsAndResponseStatusTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LONG_VALUE = "v".repeat(120);

    private EmulatedRegions regions;
    private InMemoryTurnJournal journal;
    private AtomicReference<String> active;
    private ContinuityClient client;

    @BeforeEach
    void start() {
        regions = new EmulatedRegions();
        journal = new InMemoryTurnJournal();
        active = new AtomicReference<>(PRIMARY);
        ConversationReplayer replayer = new ConversationReplayer(journal);
        client = ContinuityClient.builder()
                .journal(journal)
                .region(regions.service(PRIMARY))
                .region(regions.service(SECONDARY))
                .activeRegion(active::get)
                .catchUp(replayer::catchUpCursor)
                .build();
    }

    @AfterEach
    void stop() {
        regions.close();
    }

    /** The stored response as the service returns it (raw JSON). */
    private JsonNode storedResponse(String region, String responseId) throws Exception {
        try (HttpResponse response = regions.service(region).clients().openAI().responses().withRawResponse()
                .retrieve(responseId);
                InputStream body = response.body()) {
            return JSON.readTree(body);
        }
    }

    private List<String> regionalTexts(String region, String key) {
        String conversationId = journal.head(key).orElseThrow().region(region).conversationId();
        return regions.service(region).listItems(conversationId).stream().map(StoredItem::item)
                .map(TurnItem::text).toList();
    }

    @Test
    void everyOptionReachesTheServiceAndIsJournaledWithTheTurn() throws Exception {
        String key = client.startConversation(AGENT);
        TurnOptions options = TurnOptions.NONE.withMaxOutputTokens(500).withTemperature(0.25).withTopP(0.5)
                .withToolChoice("none").withMetadata(Map.of("ticket", "T-17"))
                .withInclude(List.of("message.output_text.logprobs"))
                .withJsonSchema("memo", "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"},"
                        + "\"count\":{\"type\":\"integer\"}},\"required\":[\"answer\",\"count\"],"
                        + "\"additionalProperties\":false}");

        TurnResult result = client.send(key, "remember city=Lisbon", options);

        assertThat(result.status()).isEqualTo(ResponseStatus.COMPLETED);
        assertThat(result.completed()).isTrue();
        assertThat(result.incompleteReason()).isNull();
        JsonNode answer = JSON.readTree(result.text());
        assertThat(answer.path("answer").asText()).isEqualTo("OK, I will remember city.");
        assertThat(answer.path("count").isInt()).isTrue();
        JsonNode stored = storedResponse(PRIMARY, result.responseId());
        assertThat(stored.path("max_output_tokens").asLong()).isEqualTo(500);
        assertThat(stored.path("temperature").asDouble()).isEqualTo(0.25);
        assertThat(stored.path("top_p").asDouble()).isEqualTo(0.5);
        assertThat(stored.path("tool_choice").asText()).isEqualTo("none");
        assertThat(stored.path("metadata").path("ticket").asText()).isEqualTo("T-17");
        assertThat(stored.path("text").path("format").path("type").asText()).isEqualTo("json_schema");
        assertThat(stored.path("text").path("format").path("name").asText()).isEqualTo("memo");
        Turn journaled = journal.turn(key, 1).orElseThrow();
        assertThat(journaled.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(TurnOptions.fromJson(journaled.options())).isEqualTo(options);

        TurnResult plain = client.send(key, "recall city");
        assertThat(plain.text()).isEqualTo("city is Lisbon.");
        assertThat(journal.turn(key, 2).orElseThrow().options()).as("a turn without options journals none")
                .isNull();
        assertThat(storedResponse(PRIMARY, plain.responseId()).path("temperature").isNull()).isTrue();
    }

    @Test
    void aPendingTurnIsCompletedWithItsJournaledOptions() throws Exception {
        String key = client.startConversation(AGENT);
        client.send(key, "remember k=" + LONG_VALUE);
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.serviceUnavailable()
                .onlyFor("POST", "/responses").times(100));
        TurnOptions options = TurnOptions.NONE.withMaxOutputTokens(16).withTemperature(0.5);
        ContinuityClient impatient = ContinuityClient.builder().journal(journal).region(regions.service(PRIMARY))
                .retry(ContinuityClient.DEFAULT_RETRY.withMaxAttempts(1)).build();
        catchThrowableOfType(() -> impatient.send(key, "recall k", options), RegionUnavailableException.class);
        assertThat(journal.turn(key, 2).orElseThrow().status()).isEqualTo(TurnStatus.PENDING);
        regions.emulator.region(PRIMARY).faults().clear();

        assertThat(client.reconcilePendingTurns()).isEqualTo(1);

        Turn completed = journal.turn(key, 2).orElseThrow();
        assertThat(completed.status()).isEqualTo(TurnStatus.COMMITTED);
        JsonNode stored = storedResponse(PRIMARY, completed.responseId());
        assertThat(stored.path("max_output_tokens").asLong()).isEqualTo(16);
        assertThat(stored.path("temperature").asDouble()).isEqualTo(0.5);
        assertThat(stored.path("status").asText()).isEqualTo("incomplete");
    }

    @Test
    void anAnswerCutByMaxOutputTokensIsCommittedAndReportedIncompleteAndReplaysExactly() throws Exception {
        String key = client.startConversation(AGENT);
        client.send(key, "remember k=" + LONG_VALUE);
        String whole = "k is " + LONG_VALUE + ".";

        TurnResult cut = client.send(key, "recall k", TurnOptions.NONE.withMaxOutputTokens(16));

        assertThat(cut.status()).isEqualTo(ResponseStatus.INCOMPLETE);
        assertThat(cut.completed()).isFalse();
        assertThat(cut.incompleteReason()).isEqualTo("max_output_tokens");
        assertThat(cut.text()).isEqualTo(whole.substring(0, 64)); // 16 tokens of the scripted model's 4 characters
        JsonNode stored = storedResponse(PRIMARY, cut.responseId());
        assertThat(stored.path("status").asText()).isEqualTo("incomplete");
        assertThat(stored.path("incomplete_details").path("reason").asText()).isEqualTo("max_output_tokens");
        assertThat(stored.path("output").get(0).path("status").asText()).isEqualTo("incomplete");
        Turn journaled = journal.turn(key, 2).orElseThrow();
        assertThat(journaled.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(journaled.output()).hasSize(1);
        assertThat(journaled.output().get(0).text()).isEqualTo(cut.text());

        active.set(SECONDARY);
        TurnResult after = client.send(key, "recall k");

        assertThat(after.region()).isEqualTo(SECONDARY);
        assertThat(after.text()).isEqualTo(whole);
        assertThat(regionalTexts(SECONDARY, key)).as("the secondary holds what the primary held, cut answer included")
                .containsExactlyElementsOf(concat(regionalTexts(PRIMARY, key), after));
        assertThat(regionalTexts(SECONDARY, key).get(3)).isEqualTo(cut.text());
    }

    private static List<String> concat(List<String> primary, TurnResult after) {
        List<String> all = new java.util.ArrayList<>(primary);
        all.add("recall k");
        all.add(after.text());
        return all;
    }

    @Test
    void anAnswerStoppedByTheContentFilterIsCommittedAndReportedIncomplete() throws Exception {
        String key = client.startConversation(AGENT);
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.contentFilter());

        TurnResult filtered = client.send(key, "remember city=Lisbon");

        assertThat(filtered.status()).isEqualTo(ResponseStatus.INCOMPLETE);
        assertThat(filtered.incompleteReason()).isEqualTo("content_filter");
        assertThat(filtered.text()).isEqualTo("OK, I will remember city.".substring(0, 12));
        assertThat(storedResponse(PRIMARY, filtered.responseId()).path("incomplete_details").path("reason").asText())
                .isEqualTo("content_filter");
        assertThat(journal.turn(key, 1).orElseThrow().status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(client.send(key, "recall city").text()).as("the fault applied once").isEqualTo("city is Lisbon.");
    }

    @Test
    void aFailedResponseIsNeverAcknowledgedAndTheJournalHoldsWhatTheRegionHolds() throws Exception {
        String key = client.startConversation(AGENT);
        client.send(key, "remember city=Lisbon");
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.responseFailed());

        TurnFailedException failed = catchThrowableOfType(() -> client.send(key, "remember river=Tejo"),
                TurnFailedException.class);

        assertThat(failed).isNotNull();
        assertThat(failed.conversationKey()).isEqualTo(key);
        assertThat(failed.region()).isEqualTo(PRIMARY);
        assertThat(failed.responseId()).startsWith("resp_");
        assertThat(failed.error()).startsWith("server_error: ");
        assertThat(failed.inputKept()).isTrue();
        assertThat(failed.getMessage()).contains(key, PRIMARY, failed.responseId(), "failed");
        JsonNode stored = storedResponse(PRIMARY, failed.responseId());
        assertThat(stored.path("status").asText()).isEqualTo("failed");
        assertThat(stored.path("error").path("code").asText()).isEqualTo("server_error");
        assertThat(stored.path("output").size()).isZero();
        Turn journaled = journal.turn(key, 2).orElseThrow();
        assertThat(journaled.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(journaled.output()).as("no answer is journaled").isEmpty();
        assertThat(journaled.responseId()).isEqualTo(failed.responseId());
        assertThat(regionalTexts(PRIMARY, key)).containsExactly("remember city=Lisbon", "OK, I will remember city.",
                "remember river=Tejo");
        assertThat(client.reconcilePendingTurns()).isZero();

        TurnResult again = client.send(key, "remember river=Tejo");
        assertThat(again.sequence()).isEqualTo(3);
        assertThat(again.text()).isEqualTo("OK, I will remember river.");

        active.set(SECONDARY);
        assertThat(client.send(key, "recall river").text()).isEqualTo("river is Tejo.");
        assertThat(regionalTexts(SECONDARY, key)).containsExactly("remember city=Lisbon", "OK, I will remember city.",
                "remember river=Tejo", "remember river=Tejo", "OK, I will remember river.", "recall river",
                "river is Tejo.");
    }

    @Test
    void aPendingTurnWhoseResponseFailsIsReconciledAsTheRegionHoldsIt() {
        String key = client.startConversation(AGENT);
        client.send(key, "remember city=Lisbon");
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.serviceUnavailable()
                .onlyFor("POST", "/responses").times(100));
        ContinuityClient impatient = ContinuityClient.builder().journal(journal).region(regions.service(PRIMARY))
                .retry(ContinuityClient.DEFAULT_RETRY.withMaxAttempts(1)).build();
        catchThrowableOfType(() -> impatient.send(key, "remember river=Tejo",
                TurnOptions.NONE.withTemperature(1.0)), RegionUnavailableException.class);
        regions.emulator.region(PRIMARY).faults().clear();
        regions.emulator.region(PRIMARY).faults().inject(FaultRule.responseFailed());

        assertThat(client.reconcilePendingTurns()).as("resolved input-only").isEqualTo(1);

        Turn resolved = journal.turn(key, 2).orElseThrow();
        assertThat(resolved.status()).isEqualTo(TurnStatus.COMMITTED);
        assertThat(resolved.output()).isEmpty();
        assertThat(resolved.options()).isEqualTo(TurnOptions.NONE.withTemperature(1.0).toJson());
        assertThat(journal.pendingTurns()).isEmpty();
        assertThat(regionalTexts(PRIMARY, key)).containsExactly("remember city=Lisbon", "OK, I will remember city.",
                "remember river=Tejo");
        TurnResult next = client.send(key, "recall city");
        assertThat(next.sequence()).isEqualTo(3);
        assertThat(next.text()).isEqualTo("city is Lisbon.");
    }
}
