package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Responses that do not complete (max_output_tokens, the RESPONSE_FAILED and RESPONSE_CONTENT_FILTER
 * faults) and the generation options a response echoes (raw HTTP: emulator-only behaviour).
 */
class ResponseOutcomesTest {

    private static Emulator emulator;
    private static Http http;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").start();
        http = Http.of(emulator.region("eastus2"));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String conversation() {
        return http.post("/openai/conversations", "{}").json().get("id").asText();
    }

    private static Http.Reply respond(String conversation, String extra) {
        return http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"conversation\":\"" + conversation
                + "\",\"input\":\"" + "x".repeat(200) + "\"" + extra + "}");
    }

    @Test
    void maxOutputTokensCutsTheAnswerAndMarksResponseAndMessageIncomplete() {
        String conversation = conversation();
        JsonNode r = respond(conversation, ",\"max_output_tokens\":16").json();

        assertThat(r.get("status").asText()).isEqualTo("incomplete");
        assertThat(r.get("incomplete_details")).isEqualTo(Http.json("{\"reason\":\"max_output_tokens\"}"));
        assertThat(r.get("error").isNull()).isTrue();
        assertThat(r.get("max_output_tokens").asInt()).isEqualTo(16);
        JsonNode message = r.get("output").get(0);
        assertThat(message.get("status").asText()).isEqualTo("incomplete");
        assertThat(message.at("/content/0/text").asText()).hasSize(64);
        assertThat(r.at("/usage/output_tokens").asInt()).isEqualTo(16);
        JsonNode items = http.get("/openai/conversations/" + conversation + "/items?order=asc").json().get("data");
        assertThat(items.get(1).get("status").asText()).as("the conversation holds the cut answer").isEqualTo("incomplete");
    }

    @Test
    void anAnswerWithinTheLimitCompletes() {
        JsonNode r = respond(conversation(), ",\"max_output_tokens\":4096").json();
        assertThat(r.get("status").asText()).isEqualTo("completed");
        assertThat(r.get("incomplete_details").isNull()).isTrue();
    }

    @Test
    void optionsOutsideTheSpecsBoundsAreRefusedNamingTheParameter() {
        String conversation = conversation();
        Http.Reply small = respond(conversation, ",\"max_output_tokens\":8");
        assertThat(small.status()).isEqualTo(400);
        assertThat(small.json().at("/error/param").asText()).isEqualTo("max_output_tokens");
        Http.Reply choice = respond(conversation, ",\"tool_choice\":\"always\"");
        assertThat(choice.status()).isEqualTo(400);
        assertThat(choice.json().at("/error/param").asText()).isEqualTo("tool_choice");
        Http.Reply temperature = respond(conversation, ",\"temperature\":3");
        assertThat(temperature.status()).isEqualTo(400);
        assertThat(temperature.json().at("/error/param").asText()).isEqualTo("temperature");
        Http.Reply format = respond(conversation, ",\"text\":{\"format\":{\"type\":\"yaml\"}}");
        assertThat(format.status()).isEqualTo(400);
        assertThat(format.json().at("/error/param").asText()).isEqualTo("text.format.type");
    }

    @Test
    void generationOptionsAreEchoedAndJsonSchemaAnswersFitTheSchema() {
        JsonNode r = respond(conversation(), ",\"temperature\":0.5,\"top_p\":0.25,\"tool_choice\":\"required\","
                + "\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"a\",\"schema\":{\"type\":\"object\","
                + "\"properties\":{\"s\":{\"type\":\"string\"},\"n\":{\"type\":\"number\"},\"b\":{\"type\":\"boolean\"}},"
                + "\"required\":[\"s\",\"n\",\"b\"]}}}").json();

        assertThat(r.get("temperature").asDouble()).isEqualTo(0.5);
        assertThat(r.get("top_p").asDouble()).isEqualTo(0.25);
        assertThat(r.get("tool_choice").asText()).isEqualTo("required");
        assertThat(r.at("/text/format/type").asText()).isEqualTo("json_schema");
        JsonNode answer = Http.json(r.at("/output/0/content/0/text").asText());
        assertThat(answer.get("s").isTextual()).isTrue();
        assertThat(answer.get("n").isNumber()).isTrue();
        assertThat(answer.get("b").isBoolean()).isTrue();
        assertThat(respond(conversation(), "").json().at("/text/format/type").asText()).isEqualTo("text");
    }

    @Test
    void theResponseFailedFaultFailsTheNextResponseKeepingItsInput() {
        String conversation = conversation();
        emulator.region("eastus2").faults().inject(FaultRule.responseFailed());

        JsonNode failed = respond(conversation, "").json();

        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.at("/error/code").asText()).isEqualTo("server_error");
        assertThat(failed.at("/error/message").asText()).contains("eastus2");
        assertThat(failed.get("output").size()).isZero();
        JsonNode items = http.get("/openai/conversations/" + conversation + "/items").json().get("data");
        assertThat(items.size()).as("the input is stored, no output").isEqualTo(1);
        assertThat(http.get("/openai/responses/" + failed.get("id").asText()).json().get("status").asText())
                .isEqualTo("failed");
        assertThat(respond(conversation, "").json().get("status").asText()).as("the fault applies once")
                .isEqualTo("completed");
    }

    @Test
    void theContentFilterFaultCutsTheNextAnswer() {
        emulator.region("eastus2").faults().inject(FaultRule.contentFilter());

        JsonNode r = respond(conversation(), "").json();

        assertThat(r.get("status").asText()).isEqualTo("incomplete");
        assertThat(r.get("incomplete_details")).isEqualTo(Http.json("{\"reason\":\"content_filter\"}"));
        assertThat(r.at("/output/0/status").asText()).isEqualTo("incomplete");
    }

    @Test
    void outcomeFaultsCanBeInjectedOverTheAdminApi() {
        Http admin = new Http(emulator.adminEndpoint());
        assertThat(admin.post("/admin/regions/eastus2/faults", "{\"kind\":\"RESPONSE_FAILED\",\"times\":1}").status())
                .isLessThan(300);
        assertThat(respond(conversation(), "").json().get("status").asText()).isEqualTo("failed");
    }
}
