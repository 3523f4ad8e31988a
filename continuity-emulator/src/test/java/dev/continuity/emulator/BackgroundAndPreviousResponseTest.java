package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Background responses (queued, in_progress, then their outcome, advanced by retrievals; cancel; lost in an
 * outage), {@code previous_response_id}, and the remaining create-response options validated and echoed
 * (raw HTTP: emulator-only behaviour).
 */
class BackgroundAndPreviousResponseTest {

    private Emulator emulator;
    private EmulatorRegion region;
    private Http http;

    @BeforeEach
    void start() {
        emulator = Emulator.builder().region("eastus2").start();
        region = emulator.region("eastus2");
        http = Http.of(region);
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private String conversation() {
        return http.post("/openai/conversations", "{}").json().get("id").asText();
    }

    private List<String> texts(String conversation) {
        List<String> texts = new ArrayList<>();
        for (JsonNode item : http.get("/openai/conversations/" + conversation + "/items?order=asc").json().get("data")) {
            texts.add(item.at("/content/0/text").asText());
        }
        return texts;
    }

    private JsonNode background(String conversation, String input) {
        Http.Reply reply = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"conversation\":\"" + conversation
                + "\",\"input\":\"" + input + "\",\"background\":true}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json();
    }

    private String status(String responseId) {
        return http.get("/openai/responses/" + responseId).json().get("status").asText();
    }

    @Test
    void aBackgroundResponseIsQueuedThenInProgressThenCompletedAsItIsRetrievedAndWritesTheConversationWhenItCompletes() {
        String conversation = conversation();
        JsonNode created = background(conversation, "remember city=Lisbon");

        assertThat(created.get("status").asText()).isEqualTo("queued");
        assertThat(created.get("background").asBoolean()).isTrue();
        assertThat(created.get("output")).isEmpty();
        assertThat(created.has("usage")).as("no usage before the model ran").isFalse();
        assertThat(texts(conversation)).as("nothing is written before the response completes").isEmpty();
        String id = created.get("id").asText();
        assertThat(status(id)).isEqualTo("in_progress");
        assertThat(texts(conversation)).isEmpty();
        JsonNode done = http.get("/openai/responses/" + id).json();
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.at("/output/0/content/0/text").asText()).isEqualTo("OK, I will remember city.");
        assertThat(done.at("/usage/total_tokens").asLong()).isPositive();
        assertThat(texts(conversation)).containsExactly("remember city=Lisbon", "OK, I will remember city.");
        assertThat(status(id)).as("a completed response stays completed").isEqualTo("completed");
        assertThat(texts(conversation)).hasSize(2);
        assertThat(http.get("/openai/responses/" + id + "/input_items").json().get("data")).hasSize(1);
    }

    @Test
    void theNumberOfRetrievalsPerStepIsConfigurable() {
        region.backgroundPolls(3);
        String id = background(conversation(), "remember a=1").get("id").asText();
        assertThat(List.of(status(id), status(id), status(id), status(id), status(id), status(id)))
                .containsExactly("queued", "queued", "in_progress", "in_progress", "in_progress", "completed");
    }

    @Test
    void cancellingAQueuedOrRunningBackgroundResponseCancelsItOnceAndWritesNothing() {
        String conversation = conversation();
        String queued = background(conversation, "remember a=1").get("id").asText();
        Http.Reply cancelled = http.post("/openai/responses/" + queued + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asText()).isEqualTo("cancelled");
        assertThat(http.post("/openai/responses/" + queued + "/cancel", "").json().get("status").asText())
                .as("cancelling again answers the cancelled response").isEqualTo("cancelled");
        assertThat(status(queued)).isEqualTo("cancelled");
        assertThat(status(queued)).isEqualTo("cancelled");

        String running = background(conversation, "remember b=2").get("id").asText();
        assertThat(status(running)).isEqualTo("in_progress");
        assertThat(http.post("/openai/v1/responses/" + running + "/cancel", "").json().get("status").asText())
                .isEqualTo("cancelled");
        assertThat(status(running)).isEqualTo("cancelled");
        assertThat(texts(conversation)).as("a cancelled response writes nothing").isEmpty();

        String completed = background(conversation, "remember c=3").get("id").asText();
        status(completed);
        status(completed);
        Http.Reply late = http.post("/openai/responses/" + completed + "/cancel", "");
        assertThat(late.status()).isEqualTo(400);
        assertThat(late.error().get("message").asText()).contains("completed");
    }

    @Test
    void backgroundNeedsStore() {
        Http.Reply reply = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"x\",\"background\":true,"
                + "\"store\":false}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().get("param").asText()).isEqualTo("store");
        assertThat(http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"x\",\"background\":\"yes\"}")
                .error().get("param").asText()).isEqualTo("background");
    }

    @Test
    void aFaultedBackgroundResponseFailsWhenItRunsKeepingItsInputLikeASynchronousOne() {
        String conversation = conversation();
        region.faults().inject(FaultRule.responseFailed());
        String id = background(conversation, "remember a=1").get("id").asText();
        status(id);
        JsonNode failed = http.get("/openai/responses/" + id).json();
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("server_error");
        assertThat(failed.get("output")).isEmpty();
        assertThat(texts(conversation)).containsExactly("remember a=1");
    }

    @Test
    void anOutageLosesTheBackgroundResponsesInFlight() {
        String conversation = conversation();
        String queued = background(conversation, "remember a=1").get("id").asText();
        String running = background(conversation, "remember b=2").get("id").asText();
        status(running);
        region.faults().outage();
        region.faults().restore();

        for (String id : List.of(queued, running)) {
            JsonNode lost = http.get("/openai/responses/" + id).json();
            assertThat(lost.get("status").asText()).isEqualTo("failed");
            assertThat(lost.at("/error/message").asText()).contains("outage").contains("eastus2");
        }
        assertThat(texts(conversation)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/openai/responses", "/openai/v1/responses"})
    void previousResponseIdContinuesFromThePreviousResponsesInputAndOutput(String route) {
        JsonNode first = http.post(route, "{\"model\":\"gpt-4o-mini\",\"input\":\"remember city=Lisbon\"}").json();
        JsonNode second = http.post(route, "{\"model\":\"gpt-4o-mini\",\"input\":\"remember river=Tejo\","
                + "\"previous_response_id\":\"" + first.get("id").asText() + "\"}").json();
        assertThat(second.get("previous_response_id").asText()).isEqualTo(first.get("id").asText());

        JsonNode third = http.post(route, "{\"model\":\"gpt-4o-mini\",\"input\":\"recall city\","
                + "\"previous_response_id\":\"" + second.get("id").asText() + "\"}").json();

        assertThat(third.at("/output/0/content/0/text").asText()).as("the whole chain is seen").isEqualTo("city is Lisbon.");
        JsonNode fresh = http.post(route, "{\"model\":\"gpt-4o-mini\",\"input\":\"recall city\"}").json();
        assertThat(fresh.at("/output/0/content/0/text").asText()).isNotEqualTo("city is Lisbon.");
    }

    @Test
    void previousResponseIdContinuesFromAResponseMadeInAConversation() {
        String conversation = conversation();
        JsonNode inConversation = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"conversation\":\""
                + conversation + "\",\"input\":\"remember city=Lisbon\"}").json();
        JsonNode second = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"remember river=Tejo\","
                + "\"previous_response_id\":\"" + inConversation.get("id").asText() + "\"}").json();

        JsonNode third = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"recall city\","
                + "\"previous_response_id\":\"" + second.get("id").asText() + "\"}").json();

        assertThat(third.at("/output/0/content/0/text").asText()).as("the conversation's turn is seen")
                .isEqualTo("city is Lisbon.");
        assertThat(texts(conversation)).as("continuing from it adds nothing to the conversation").hasSize(2)
                .first().isEqualTo("remember city=Lisbon");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/openai/responses", "/openai/v1/responses"})
    void previousResponseIdIsRefusedWithAConversationAndWhenUnknown(String route) {
        String first = http.post(route, "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\"}").json().get("id").asText();
        Http.Reply both = http.post(route, "{\"model\":\"gpt-4o-mini\",\"input\":\"x\",\"conversation\":\"" + conversation()
                + "\",\"previous_response_id\":\"" + first + "\"}");
        assertThat(both.status()).isEqualTo(400);
        assertThat(both.error().get("code").asText()).isEqualTo("mutually_exclusive_parameters");
        Http.Reply unknown = http.post(route, "{\"model\":\"gpt-4o-mini\",\"input\":\"x\","
                + "\"previous_response_id\":\"resp_ghost\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.error().get("code").asText()).isEqualTo("previous_response_not_found");
        assertThat(unknown.error().get("param").asText()).isEqualTo("previous_response_id");
    }

    @Test
    void theRemainingOptionsAreValidatedAsTheSpecTypesThemAndEchoed() {
        JsonNode r = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\","
                + "\"reasoning\":{\"effort\":\"low\",\"summary\":\"auto\"},\"truncation\":\"auto\","
                + "\"parallel_tool_calls\":false,\"max_tool_calls\":3,\"user\":\"u1\",\"safety_identifier\":\"s1\","
                + "\"prompt_cache_key\":\"k1\",\"service_tier\":\"flex\",\"top_logprobs\":2,\"store\":true}").json();
        assertThat(r.get("reasoning")).isEqualTo(Http.json("{\"effort\":\"low\",\"summary\":\"auto\"}"));
        assertThat(r.get("truncation").asText()).isEqualTo("auto");
        assertThat(r.get("parallel_tool_calls").asBoolean()).isFalse();
        assertThat(r.get("max_tool_calls").asInt()).isEqualTo(3);
        assertThat(r.get("user").asText()).isEqualTo("u1");
        assertThat(r.get("safety_identifier").asText()).isEqualTo("s1");
        assertThat(r.get("prompt_cache_key").asText()).isEqualTo("k1");
        assertThat(r.get("service_tier").asText()).isEqualTo("flex");
        assertThat(r.get("top_logprobs").asInt()).isEqualTo(2);
        assertThat(r.get("store").asBoolean()).isTrue();
        assertThat(r.get("background").asBoolean()).isFalse();
        JsonNode defaults = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\"}").json();
        assertThat(defaults.get("truncation").asText()).isEqualTo("disabled");
        assertThat(defaults.get("parallel_tool_calls").asBoolean()).isTrue();

        assertBad("\"reasoning\":{\"effort\":\"extreme\"}", "reasoning.effort", "invalid_value");
        assertBad("\"reasoning\":{\"summary\":\"long\"}", "reasoning.summary", "invalid_value");
        assertBad("\"reasoning\":{\"depth\":1}", "reasoning.depth", "unknown_parameter");
        assertBad("\"truncation\":\"middle\"", "truncation", "invalid_value");
        assertBad("\"service_tier\":\"gold\"", "service_tier", "invalid_value");
        assertBad("\"parallel_tool_calls\":\"yes\"", "parallel_tool_calls", "invalid_type");
        assertBad("\"top_logprobs\":21", "top_logprobs", "integer_above_max_value");
        assertBad("\"max_tool_calls\":0", "max_tool_calls", "integer_below_min_value");
        assertBad("\"user\":7", "user", "invalid_type");
        assertBad("\"prompt_cache_retention\":\"1y\"", "prompt_cache_retention", "invalid_value");
        assertBad("\"prompt\":{\"version\":\"1\"}", "prompt.id", "missing_required_parameter");
        assertBad("\"store\":\"no\"", "store", "invalid_type");
    }

    private void assertBad(String field, String param, String code) {
        Http.Reply reply = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"hi\"," + field + "}");
        assertThat(reply.status()).as(field).isEqualTo(400);
        assertThat(reply.error().get("param").asText()).as(field).isEqualTo(param);
        assertThat(reply.error().get("code").asText()).as(field).isEqualTo(code);
    }
}
