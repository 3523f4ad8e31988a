package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conversation items a response produced carry {@code created_by} (the agent as the spec's {@code AgentId}
 * and the response id); the response's own output items and the items a caller added carry none.
 * Fields an item type's input schema does not declare (read-only output fields such as {@code status} on
 * {@code mcp_list_tools}, {@code created_by} on any item) are refused as input with 400
 * {@code unknown_parameter} naming their path, and nothing is written.
 */
class ItemProvenanceAndReadOnlyFieldsTest {

    private static Emulator emulator;
    private static Http http;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").start();
        http = Http.of(emulator.region("eastus2"));
        assertThat(http.post("/agents/desk/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\","
                + "\"tools\":[{\"type\":\"mcp\",\"server_label\":\"crm\",\"server_url\":\"https://crm.example/mcp\","
                + "\"require_approval\":\"always\"}]}}").status()).isEqualTo(200);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String conversation() {
        return http.post("/openai/conversations", "{}").json().path("id").asText();
    }

    private static Http.Reply respond(String conversation, String input) {
        return http.post("/openai/responses", "{\"agent\":{\"type\":\"agent_reference\",\"name\":\"desk\"},"
                + "\"conversation\":\"" + conversation + "\",\"input\":" + input + "}");
    }

    @Test
    void conversationItemsAResponseProducedNameTheAgentAndTheResponse() {
        String conversation = conversation();
        Http.Reply reply = respond(conversation, "\"mcp crm lookup\"");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        String responseId = reply.json().path("id").asText();
        // the response's output items (OpenAI.OutputItem) carry none: output sent back as input stays valid
        for (JsonNode item : reply.json().path("output")) {
            assertThat(item.has("created_by")).as(item.toString()).isFalse();
        }
        JsonNode items = http.get("/openai/conversations/" + conversation + "/items?order=asc").json().path("data");
        assertThat(items).hasSize(3);
        // the user's message was added by the caller: no provenance
        assertThat(items.get(0).has("created_by")).isFalse();
        for (JsonNode item : java.util.List.of(items.get(1), items.get(2))) {
            JsonNode createdBy = item.path("created_by");
            assertThat(createdBy.path("response_id").asText()).as(item.toString()).isEqualTo(responseId);
            assertThat(createdBy.path("agent").toString())
                    .isEqualTo("{\"type\":\"agent_id\",\"name\":\"desk\",\"version\":\"1\"}");
            assertThat(http.get("/openai/conversations/" + conversation + "/items/" + item.path("id").asText()).json()
                    .path("created_by")).isEqualTo(createdBy);
        }
        // a plain model response names the response only
        String plainConversation = conversation();
        Http.Reply plain = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"conversation\":\""
                + plainConversation + "\",\"input\":\"hi\"}");
        assertThat(http.get("/openai/conversations/" + plainConversation + "/items?order=asc").json().path("data")
                .get(1).path("created_by").toString())
                .isEqualTo("{\"response_id\":\"" + plain.json().path("id").asText() + "\"}");
    }

    @Test
    void readOnlyFieldsSentBackAsInputAreRefusedNamingTheirPath() {
        String conversation = conversation();
        respond(conversation, "\"mcp crm lookup\"");
        JsonNode listed = http.get("/openai/conversations/" + conversation + "/items?order=asc").json().path("data").get(1);
        assertThat(listed.path("type").asText()).isEqualTo("mcp_list_tools");

        // as listed (created_by included): refused on created_by
        String target = conversation();
        assertUnknown(http.post("/openai/conversations/" + target + "/items", "{\"items\":[" + listed + "]}"),
                "items[0].created_by");
        // a status the mcp_list_tools input form does not have
        com.fasterxml.jackson.databind.node.ObjectNode withStatus = (com.fasterxml.jackson.databind.node.ObjectNode) listed.deepCopy();
        withStatus.remove("created_by");
        withStatus.put("status", "completed");
        assertUnknown(http.post("/openai/conversations/" + target + "/items", "{\"items\":[" + withStatus + "]}"),
                "items[0].status");
        assertUnknown(respond(target, "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"hi\"}," + withStatus + "]"),
                "input[1].status");
        assertUnknown(http.post("/openai/conversations", "{\"items\":[{\"type\":\"message\",\"role\":\"user\","
                + "\"content\":\"hi\",\"created_by\":{\"response_id\":\"resp_1\"}}]}"), "items[0].created_by");
        assertUnknown(http.post("/openai/conversations/" + target + "/items", "{\"items\":[{\"type\":"
                + "\"mcp_approval_request\",\"id\":\"mcpr_x\",\"server_label\":\"crm\",\"name\":\"lookup\","
                + "\"arguments\":\"{}\",\"status\":\"completed\"}]}"), "items[0].status");
        assertThat(http.get("/openai/conversations/" + target + "/items").json().path("data")).isEmpty();

        // in its input form (the fields its schema declares, status where it has one) it is accepted
        withStatus.remove("status");
        assertThat(http.post("/openai/conversations/" + target + "/items", "{\"items\":[" + withStatus + "]}")
                .status()).isEqualTo(200);
        assertThat(http.post("/openai/conversations/" + target + "/items", "{\"items\":[{\"type\":\"message\","
                + "\"role\":\"assistant\",\"status\":\"completed\",\"content\":[{\"type\":\"output_text\",\"text\":\"ok\","
                + "\"annotations\":[]}]}]}").status()).isEqualTo(200);
    }

    private static void assertUnknown(Http.Reply reply, String param) {
        assertThat(reply.status()).as(reply.text()).isEqualTo(400);
        assertThat(reply.error().path("code").asText()).isEqualTo("unknown_parameter");
        assertThat(reply.error().path("param").asText()).isEqualTo(param);
        assertThat(reply.error().path("message").asText()).isEqualTo("Unknown parameter: '" + param + "'.");
    }
}
