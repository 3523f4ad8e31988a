package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every documented service limit answers 400 with the error JSON naming the limit and the value. */
class LimitsTest {

    private static Emulator emulator;
    private static Http http;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").deployments("eastus2", "gpt-4o-mini").start();
        http = Http.of(emulator.region("eastus2"));
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void atMost20ItemsPerCreateOrAddCall() {
        assertThat(http.post("/openai/conversations", "{\"items\":" + userItems(20) + "}").status()).isEqualTo(200);
        Http.Reply create = http.post("/openai/conversations", "{\"items\":" + userItems(21) + "}");
        assertLimit(create, "too_many_items", "items", "21", "20");

        String id = conversation();
        assertThat(http.post(items(id), "{\"items\":" + userItems(20) + "}").status()).isEqualTo(200);
        assertLimit(http.post(items(id), "{\"items\":" + userItems(21) + "}"), "too_many_items", "items", "21", "20");
        assertThat(http.get(items(id) + "?limit=100").json().get("data")).hasSize(20);
    }

    @Test
    void agentNamesAreLettersDigitsAndHyphensUpTo63() {
        String ok63 = "a" + "-b".repeat(31);
        assertThat(ok63).hasSize(63);
        assertThat(http.post("/agents/" + ok63 + "/versions", agent("gpt-4o-mini")).status()).isEqualTo(200);
        assertThat(http.post("/agents/A1-b2/versions", agent("gpt-4o-mini")).status()).isEqualTo(200);

        assertLimit(http.post("/agents/" + ok63 + "c/versions", agent("gpt-4o-mini")), "invalid_agent_name", "name", "64", "63");
        for (String bad : new String[] {"-lead", "trail-", "under_score", "dot.name", "sp%20ace"}) {
            Http.Reply reply = http.post("/agents/" + bad + "/versions", agent("gpt-4o-mini"));
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.error().get("code").asText()).isEqualTo("invalid_agent_name");
            assertThat(reply.error().get("message").asText()).contains("letters, digits and hyphens");
        }
        assertThat(http.post("/agents", "{\"name\":\"bad_name\"," + agent("gpt-4o-mini").substring(1)).status()).isEqualTo(400);
    }

    @Test
    void metadataLimitsOnAgentsAndConversations() {
        String seventeen = metadata(17, 3, 3);
        assertThat(http.post("/openai/conversations", "{\"metadata\":" + metadata(16, 64, 512) + "}").status()).isEqualTo(200);
        assertLimit(http.post("/openai/conversations", "{\"metadata\":" + seventeen + "}"), "metadata_limit_exceeded", "metadata", "17", "16");
        assertLimit(http.post("/openai/conversations", "{\"metadata\":" + metadata(1, 65, 1) + "}"), "metadata_limit_exceeded", "metadata", "65", "64");
        assertLimit(http.post("/openai/conversations", "{\"metadata\":" + metadata(1, 1, 513) + "}"), "metadata_limit_exceeded", "metadata", "513", "512");
        assertLimit(http.post("/openai/conversations/" + conversation(), "{\"metadata\":" + seventeen + "}"),
                "metadata_limit_exceeded", "metadata", "17", "16");

        String definition = agent("gpt-4o-mini");
        String base = definition.substring(0, definition.length() - 1);
        assertThat(http.post("/agents/meta-ok/versions", base + ",\"metadata\":" + metadata(16, 64, 512) + "}").status()).isEqualTo(200);
        assertLimit(http.post("/agents/meta/versions", base + ",\"metadata\":" + seventeen + "}"), "metadata_limit_exceeded", "metadata", "17", "16");
        assertLimit(http.post("/agents/meta/versions", base + ",\"metadata\":" + metadata(1, 65, 1) + "}"), "metadata_limit_exceeded", "metadata", "65", "64");
        assertLimit(http.post("/agents/meta/versions", base + ",\"metadata\":" + metadata(1, 1, 513) + "}"), "metadata_limit_exceeded", "metadata", "513", "512");
        Http.Reply notString = http.post("/agents/meta/versions", base + ",\"metadata\":{\"n\":1}}");
        assertThat(notString.status()).isEqualTo(400);
        assertThat(notString.error().get("message").asText()).contains("metadata.n");
    }

    @Test
    void functionCallOutputNeedsAnEarlierFunctionCall() {
        String orphan = "{\"type\":\"function_call_output\",\"call_id\":\"call_404\",\"output\":\"x\"}";
        Http.Reply create = http.post("/openai/conversations", "{\"items\":[" + orphan + "]}");
        assertThat(create.status()).isEqualTo(400);
        assertThat(create.error().get("message").asText()).startsWith("No tool call found for function call output with call_id call_404");
        assertThat(create.error().get("param").asText()).isEqualTo("items[0].call_id");

        // the call must come first: output before call in one batch is rejected, call then output is accepted
        String call = "{\"type\":\"function_call\",\"call_id\":\"call_404\",\"name\":\"f\",\"arguments\":\"{}\"}";
        assertThat(http.post("/openai/conversations", "{\"items\":[" + orphan + "," + call + "]}").status()).isEqualTo(400);
        String id = http.post("/openai/conversations", "{\"items\":[" + call + "," + orphan + "]}").json().get("id").asText();
        assertThat(http.post(items(id), "{\"items\":[{\"type\":\"function_call_output\",\"call_id\":\"call_404\",\"output\":\"again\"}]}")
                .status()).isEqualTo(200);

        String other = conversation();
        assertThat(http.post(items(other), "{\"items\":[" + orphan + "]}").error().get("message").asText())
                .contains("No tool call found", "call_404");
        Http.Reply response = http.post("/openai/responses", "{\"conversation\":\"" + other + "\",\"model\":\"gpt-4o-mini\",\"input\":[" + orphan + "]}");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error().get("param").asText()).isEqualTo("input[0].call_id");
        assertThat(http.get(items(other)).json().get("data")).isEmpty();
    }

    @Test
    void itemsWithIdsAlreadyInTheConversationAreDuplicates() {
        String id = http.post("/openai/conversations", "{\"items\":" + userItems(2) + "}").json().get("id").asText();
        JsonNode existing = http.get(items(id)).json().get("data").get(0);

        Http.Reply duplicate = http.post(items(id), "{\"items\":[" + existing + "]}");
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.error().get("message").asText()).startsWith("Duplicate item found with id " + existing.get("id").asText());
        assertThat(duplicate.error().get("code").asText()).isEqualTo("duplicate_item");

        Http.Reply twiceInOneCall = http.post("/openai/conversations", "{\"items\":[{\"id\":\"msg_a\",\"role\":\"user\",\"content\":\"1\"},"
                + "{\"id\":\"msg_a\",\"role\":\"user\",\"content\":\"2\"}]}");
        assertThat(twiceInOneCall.status()).isEqualTo(400);
        assertThat(twiceInOneCall.error().get("message").asText()).contains("Duplicate item found with id msg_a");
        assertThat(http.get(items(id)).json().get("data")).hasSize(2);
    }

    @Test
    void aMessageIsAtMost1500000Characters() {
        String max = "x".repeat(1_500_000);
        assertThat(http.post("/openai/conversations", "{\"items\":[{\"role\":\"user\",\"content\":\"" + max + "\"}]}").status())
                .isEqualTo(200);
        Http.Reply tooLong = http.post("/openai/conversations", "{\"items\":[{\"role\":\"user\",\"content\":\"" + max + "y\"}]}");
        assertLimit(tooLong, "message_too_long", "items[0]", "1500001", "1500000");
        Http.Reply inParts = http.post("/openai/conversations", "{\"items\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"" + "x".repeat(800_000) + "\"},{\"type\":\"input_text\",\"text\":\"" + "x".repeat(800_000) + "\"}]}]}");
        assertThat(inParts.status()).isEqualTo(400);
        Http.Reply asInput = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"" + max + "y\"}");
        assertLimit(asInput, "message_too_long", "input", "1500001", "1500000");
    }

    @Test
    void aConversationHoldsAtMost100000Items() {
        String id = conversation();
        String twenty = "{\"items\":" + userItems(20) + "}";
        for (int call = 0; call < 5_000; call++) {
            assertThat(http.post(items(id), twenty).status()).isEqualTo(200);
        }
        Http.Reply full = http.post(items(id), "{\"items\":" + userItems(1) + "}");
        assertLimit(full, "conversation_item_limit", "items", "100000", id);
        Http.Reply respond = http.post("/openai/responses", "{\"conversation\":\"" + id + "\",\"model\":\"gpt-4o-mini\"}");
        assertThat(respond.status()).isEqualTo(400);
        assertThat(respond.error().get("code").asText()).isEqualTo("conversation_item_limit");
        // paging still works at that size
        assertThat(http.get(items(id) + "?limit=1&order=asc").json().get("has_more").asBoolean()).isTrue();
    }

    @Test
    void anAgentHasAtMost128Tools() {
        assertThat(http.post("/agents/tools-ok/versions", agentWithTools(128)).status()).isEqualTo(200);
        assertLimit(http.post("/agents/tools-bad/versions", agentWithTools(129)), "too_many_tools", "definition.tools", "129", "128");
    }

    @Test
    void modelsMustBeDeployedInTheRegion() {
        Http.Reply agent = http.post("/agents/wrong-model/versions", agent("gpt-4.1-mini"));
        assertLimit(agent, "deployment_not_found", "definition.model", "gpt-4.1-mini", "eastus2");
        assertThat(agent.error().get("message").asText()).startsWith("Model deployment 'gpt-4.1-mini' not found in region eastus2");
        assertThat(http.get("/agents/wrong-model").status()).isEqualTo(404);

        Http.Reply plain = http.post("/openai/responses", "{\"model\":\"gpt-5\",\"input\":\"hi\"}");
        assertLimit(plain, "deployment_not_found", "model", "gpt-5", "eastus2");
    }

    private static void assertLimit(Http.Reply reply, String code, String param, String... mentioned) {
        assertThat(reply.status()).as(reply.text().length() > 300 ? reply.text().substring(0, 300) : reply.text()).isEqualTo(400);
        JsonNode error = reply.error();
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").asText()).isEqualTo(param);
        assertThat(error.has("message")).isTrue();
        assertThat(error.get("message").asText()).contains(mentioned);
    }

    private static String agent(String model) {
        return "{\"definition\":{\"kind\":\"prompt\",\"model\":\"" + model + "\"}}";
    }

    private static String agentWithTools(int count) {
        StringBuilder tools = new StringBuilder();
        for (int i = 0; i < count; i++) {
            tools.append(i == 0 ? "" : ",").append("{\"type\":\"function\",\"name\":\"f").append(i).append("\",\"parameters\":{}}");
        }
        return "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"tools\":[" + tools + "]}}";
    }

    private static String metadata(int pairs, int keyLength, int valueLength) {
        StringBuilder json = new StringBuilder("{");
        for (int i = 0; i < pairs; i++) {
            String key = (i + "k".repeat(keyLength)).substring(0, keyLength);
            json.append(i == 0 ? "" : ",").append('"').append(key).append("\":\"").append("v".repeat(valueLength)).append('"');
        }
        return json.append('}').toString();
    }

    private static String userItems(int count) {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            json.append(i == 0 ? "" : ",").append("{\"role\":\"user\",\"content\":\"m").append(i).append("\"}");
        }
        return json.append(']').toString();
    }

    private static String conversation() {
        return http.post("/openai/conversations", "{}").json().get("id").asText();
    }

    private static String items(String conversation) {
        return "/openai/conversations/" + conversation + "/items";
    }
}
