package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The responses API: the shape openai-java's validate() insists on, conversation effects, 404s, 400s. */
class ResponsesApiTest {

    private static Emulator emulator;
    private static Http http;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").start();
        http = Http.of(emulator.region("eastus2"));
        http.post("/agents/travel-agent/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\","
                + "\"instructions\":\"You are a helpful travel agent.\"}}");
        http.post("/agents/travel-agent/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\","
                + "\"instructions\":\"Version two.\"}}");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void agentResponseHasEveryFieldTheSdkValidates() {
        String conversation = conversation("{\"items\":[{\"role\":\"user\",\"content\":\"I want to go to Paris.\"}]}");
        Http.Reply reply = http.post("/openai/responses", "{\"conversation\":\"" + conversation
                + "\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"travel-agent\",\"version\":\"1\"}}");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode r = reply.json();
        assertThat(r.get("id").asText()).matches("resp_[0-9a-f]{24}");
        assertThat(r.get("object").asText()).isEqualTo("response");
        assertThat(r.get("created_at").isIntegralNumber()).isTrue();
        assertThat(r.get("status").asText()).isEqualTo("completed");
        assertThat(r.get("error").isNull()).isTrue();
        assertThat(r.get("incomplete_details").isNull()).isTrue();
        assertThat(r.get("instructions").asText()).isEqualTo("You are a helpful travel agent.");
        assertThat(r.get("metadata")).isEqualTo(Http.json("{}"));
        assertThat(r.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(r.get("parallel_tool_calls").asBoolean()).isTrue();
        assertThat(r.get("temperature").isNull()).isTrue();
        assertThat(r.get("tool_choice").asText()).isEqualTo("auto");
        assertThat(r.get("tools")).isEqualTo(Http.json("[]"));
        assertThat(r.get("top_p").isNull()).isTrue();
        assertThat(r.get("conversation")).isEqualTo(Http.json("{\"id\":\"" + conversation + "\"}"));
        // the spec's AgentId: the version that answered
        assertThat(r.get("agent")).isEqualTo(Http.json("{\"type\":\"agent_id\",\"name\":\"travel-agent\",\"version\":\"1\"}"));
        JsonNode output = r.get("output");
        assertThat(output).hasSize(1);
        assertThat(output.get(0).get("type").asText()).isEqualTo("message");
        assertThat(output.get(0).get("id").asText()).matches("msg_[0-9a-f]{24}");
        assertThat(output.get(0).get("status").asText()).isEqualTo("completed");
        assertThat(output.get(0).get("role").asText()).isEqualTo("assistant");
        assertThat(output.get(0).get("content")).isEqualTo(Http.json("[{\"type\":\"output_text\","
                + "\"text\":\"[travel-agent@1 in eastus2] You said: I want to go to Paris.\",\"annotations\":[],\"logprobs\":[]}]"));
        JsonNode usage = r.get("usage");
        assertThat(usage.get("input_tokens").asLong()).isEqualTo((long) Math.ceil("I want to go to Paris.".length() / 4.0));
        assertThat(usage.get("output_tokens").asLong()).isEqualTo((long) Math.ceil(
                "[travel-agent@1 in eastus2] You said: I want to go to Paris.".length() / 4.0));
        assertThat(usage.get("total_tokens").asLong()).isEqualTo(usage.get("input_tokens").asLong() + usage.get("output_tokens").asLong());
        assertThat(usage.at("/input_tokens_details/cached_tokens").asInt()).isZero();
        assertThat(usage.at("/input_tokens_details/cache_write_tokens").asInt()).isZero(); // required by OpenAI's schema
        assertThat(usage.at("/output_tokens_details/reasoning_tokens").asInt()).isZero();
    }

    @Test
    void withoutVersionTheLatestAnswersAndTheResponseNamesTheVersionThatAnswered() {
        String conversation = conversation("{}");
        JsonNode r = http.post("/openai/responses", "{\"conversation\":\"" + conversation
                + "\",\"input\":\"And hotels?\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"travel-agent\"}}").json();

        assertThat(r.get("model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(r.get("instructions").asText()).isEqualTo("Version two.");
        assertThat(r.get("agent")).isEqualTo(Http.json("{\"type\":\"agent_id\",\"name\":\"travel-agent\",\"version\":\"2\"}"));
        assertThat(r.at("/output/0/content/0/text").asText()).isEqualTo("[travel-agent@2 in eastus2] You said: And hotels?");
    }

    @Test
    void inputAndOutputAreAppendedToTheConversation() {
        String conversation = conversation("{\"items\":[{\"role\":\"user\",\"content\":\"first\"}]}");
        JsonNode r = http.post("/openai/responses", "{\"conversation\":{\"id\":\"" + conversation + "\"},\"input\":["
                + "{\"role\":\"user\",\"content\":\"second\"}],\"agent\":{\"type\":\"agent_reference\",\"name\":\"travel-agent\"}}").json();

        JsonNode items = http.get("/openai/conversations/" + conversation + "/items?order=asc").json().get("data");
        assertThat(items).hasSize(3);
        assertThat(items.get(1).at("/content/0/text").asText()).isEqualTo("second");
        // the stored answer is the output item, plus the conversation item's created_by (agent and response)
        com.fasterxml.jackson.databind.node.ObjectNode stored = items.get(2).deepCopy();
        assertThat(stored.remove("created_by")).isEqualTo(Http.json("{\"agent\":{\"type\":\"agent_id\",\"name\":"
                + "\"travel-agent\",\"version\":\"2\"},\"response_id\":\"" + r.get("id").asText() + "\"}"));
        assertThat(stored).isEqualTo(r.get("output").get(0));
        assertThat(r.get("conversation").get("id").asText()).isEqualTo(conversation);
    }

    @Test
    void withoutInputTheLastUserMessageIsAnswered() {
        String conversation = conversation("{\"items\":[{\"role\":\"user\",\"content\":\"Where to?\"},"
                + "{\"role\":\"assistant\",\"content\":\"Anywhere.\"}]}");
        JsonNode r = http.post("/openai/responses", "{\"conversation\":\"" + conversation
                + "\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"travel-agent\"}}").json();
        assertThat(r.at("/output/0/content/0/text").asText()).isEqualTo("[travel-agent@2 in eastus2] You said: Where to?");
        assertThat(http.get("/openai/conversations/" + conversation + "/items").json().get("data")).hasSize(3);
    }

    @Test
    void plainModelResponseWithoutConversation() {
        Http.Reply reply = http.post("/openai/responses", "{\"input\":\"Hello there\",\"instructions\":\"be terse\",\"model\":\"gpt-4o-mini\"}");
        assertThat(reply.status()).isEqualTo(200);
        JsonNode r = reply.json();
        assertThat(r.get("instructions").asText()).isEqualTo("be terse");
        assertThat(r.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(r.has("conversation")).isFalse();
        assertThat(r.has("agent")).isFalse();
        assertThat(r.at("/output/0/content/0/text").asText()).isEqualTo("[gpt-4o-mini in eastus2] You said: Hello there");
        assertThat(r.at("/usage/input_tokens").asLong()).isEqualTo(3);
    }

    @Test
    void plainModelResponseInAConversation() {
        String conversation = conversation("{}");
        JsonNode r = http.post("/openai/responses?api-version=2025-11-15-preview", "{\"conversation\":\"" + conversation
                + "\",\"input\":\"hi\",\"model\":\"gpt-4.1-mini\"}").json();
        assertThat(r.get("conversation").get("id").asText()).isEqualTo(conversation);
        assertThat(r.get("instructions").isNull()).isTrue();
        assertThat(r.at("/output/0/content/0/text").asText()).isEqualTo("[gpt-4.1-mini in eastus2] You said: hi");
        assertThat(http.get("/openai/conversations/" + conversation + "/items").json().get("data")).hasSize(2);
    }

    @Test
    void metadataIsEchoed() {
        JsonNode r = http.post("/openai/responses", "{\"input\":\"x\",\"model\":\"gpt-4o-mini\",\"metadata\":{\"turn\":\"7\"}}").json();
        assertThat(r.get("metadata")).isEqualTo(Http.json("{\"turn\":\"7\"}"));
    }

    @Test
    void retrieveAndDeleteAResponse() {
        JsonNode created = http.post("/openai/responses", "{\"input\":\"keep me\",\"model\":\"gpt-4o-mini\"}").json();
        String id = created.get("id").asText();

        Http.Reply got = http.get("/openai/responses/" + id);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json()).isEqualTo(created);

        Http.Reply deleted = http.delete("/openai/responses/" + id);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json()).isEqualTo(Http.json("{\"id\":\"" + id + "\",\"object\":\"response\",\"deleted\":true}"));
        Http.Reply gone = http.get("/openai/responses/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.error().get("message").asText()).isEqualTo("Response " + id + " not found");
        assertThat(http.delete("/openai/responses/" + id).status()).isEqualTo(404);
    }

    @Test
    void storeFalseIsNotRetrievable() {
        String id = http.post("/openai/responses", "{\"input\":\"x\",\"model\":\"gpt-4o-mini\",\"store\":false}").json().get("id").asText();
        assertThat(http.get("/openai/responses/" + id).status()).isEqualTo(404);
    }

    @Test
    void unknownAgentVersionAndConversationAre404() {
        String conversation = conversation("{}");
        Http.Reply ghost = http.post("/openai/responses", "{\"conversation\":\"" + conversation
                + "\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"ghost\"}}");
        assertThat(ghost.status()).isEqualTo(404);
        assertThat(ghost.json()).isEqualTo(Http.json("{\"error\":{\"code\":\"not_found\",\"message\":\"Agent ghost not found\","
                + "\"param\":null,\"type\":\"invalid_request_error\"}}"));

        Http.Reply version = http.post("/openai/responses", "{\"conversation\":\"" + conversation
                + "\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"travel-agent\",\"version\":\"9\"}}");
        assertThat(version.status()).isEqualTo(404);
        assertThat(version.error().get("message").asText()).isEqualTo("Agent travel-agent version 9 not found");

        Http.Reply noConversation = http.post("/openai/responses", "{\"conversation\":\"conv_missing\",\"input\":\"x\","
                + "\"agent\":{\"type\":\"agent_reference\",\"name\":\"travel-agent\"}}");
        assertThat(noConversation.status()).isEqualTo(404);
        assertThat(noConversation.error().get("message").asText()).isEqualTo("Conversation conv_missing not found");
        // nothing was appended anywhere by the failed calls
        assertThat(http.get("/openai/conversations/" + conversation + "/items").json().get("data")).isEmpty();
    }

    @Test
    void badResponseRequestsAre400() {
        assertBad("{\"input\":\"x\"}", "model");
        assertBad("{\"input\":\"x\",\"model\":\"gpt-4o-mini\",\"stream\":\"yes\"}", "stream");
        assertBad("{\"input\":\"x\",\"model\":\"gpt-4o-mini\",\"previous_response_id\":\"resp_1\"}", "previous_response_id");
        assertBad("{\"input\":\"x\",\"agent\":{\"type\":\"agent_reference\"}}", "agent.name");
        assertBad("{\"input\":\"x\",\"agent\":\"travel-agent\"}", "agent");
        assertBad("{\"input\":42,\"model\":\"gpt-4o-mini\"}", "input");
        assertBad("{\"input\":\"x\",\"model\":\"gpt-4o-mini\",\"conversation\":42}", "conversation");
        assertThat(http.post("/openai/responses", "nope").status()).isEqualTo(400);
    }

    @Test
    void everySuccessIsHttp200() {
        String conversation = conversation("{}");
        List<Http.Reply> replies = List.of(
                http.post("/agents/ok-agent/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}"),
                http.get("/agents/ok-agent"),
                http.post("/openai/conversations/" + conversation + "/items", "{\"items\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                http.post("/openai/responses", "{\"conversation\":\"" + conversation + "\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"ok-agent\"}}"),
                http.delete("/openai/conversations/" + conversation),
                http.delete("/agents/ok-agent"));
        assertThat(replies).extracting(Http.Reply::status).containsOnly(200);
    }

    private static void assertBad(String body, String param) {
        Http.Reply reply = http.post("/openai/responses", body);
        assertThat(reply.status()).as(body).isEqualTo(400);
        assertThat(reply.error().get("param").asText()).as(body).isEqualTo(param);
    }

    private static String conversation(String body) {
        return http.post("/openai/conversations", body).json().get("id").asText();
    }
}
