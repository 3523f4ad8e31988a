package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The scripted model's hosted-tool and reasoning items (file_search_call, MCP list/approval/call,
 * code_interpreter_call, reasoning) in the specification's shapes, and every input item type of the
 * specification accepted with its required fields (ids kept) or refused naming the field.
 */
class HostedToolItemsTest {

    private static Emulator emulator;
    private static Http http;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").start();
        http = Http.of(emulator.region("eastus2"));
        String mcp = "{\"type\":\"mcp\",\"server_label\":\"crm\",\"server_url\":\"https://crm.example/mcp\"";
        agent("ask", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"tools\":[" + mcp
                + ",\"require_approval\":\"always\"}]}}");
        agent("auto", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"tools\":[" + mcp
                + ",\"require_approval\":\"never\",\"allowed_tools\":[\"lookup\",\"update\"]}]}}");
        agent("split", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"tools\":[" + mcp
                + ",\"require_approval\":{\"never\":{\"tool_names\":[\"lookup\"]}}}]}}");
        agent("coder", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\","
                + "\"tools\":[{\"type\":\"code_interpreter\",\"container\":{\"type\":\"auto\"}}]}}");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static void agent(String name, String body) {
        assertThat(http.post("/agents/" + name + "/versions", body).status()).isEqualTo(200);
    }

    private static JsonNode respond(String agent, String conversation, String input, String extra) {
        Http.Reply reply = http.post("/openai/responses", "{\"agent\":{\"type\":\"agent_reference\",\"name\":\""
                + agent + "\"},\"conversation\":\"" + conversation + "\",\"input\":" + input + extra + "}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json().path("output");
    }

    private static String conversation() {
        return http.post("/openai/conversations", "{}").json().path("id").asText();
    }

    private static List<String> types(JsonNode items) {
        List<String> types = new ArrayList<>();
        items.forEach(item -> types.add(item.path("type").asText()));
        return types;
    }

    private static JsonNode items(String conversation) {
        return http.get("/openai/conversations/" + conversation + "/items?order=asc&limit=100").json().path("data");
    }

    @Test
    void mcpToolRequiringApprovalListsToolsAsksAndContinuesAfterTheApproval() {
        String c = conversation();
        JsonNode first = respond("ask", c, "\"mcp crm lookup {\\\"customer\\\":7}\"", "");
        assertThat(types(first)).containsExactly("mcp_list_tools", "mcp_approval_request");
        JsonNode list = first.get(0);
        assertThat(list.path("id").asText()).startsWith("mcpl_");
        assertThat(list.path("server_label").asText()).isEqualTo("crm");
        assertThat(list.path("tools").get(0).path("name").asText()).isEqualTo("lookup");
        assertThat(list.path("tools").get(0).path("input_schema").isObject()).isTrue();
        JsonNode request = first.get(1);
        assertThat(request.path("id").asText()).startsWith("mcpr_");
        assertThat(request.path("name").asText()).isEqualTo("lookup");
        assertThat(request.path("arguments").asText()).isEqualTo("{\"customer\":7}");

        JsonNode second = respond("ask", c, "[{\"type\":\"mcp_approval_response\",\"approval_request_id\":\""
                + request.path("id").asText() + "\",\"approve\":true}]", "");
        assertThat(types(second)).containsExactly("mcp_call", "message");
        assertThat(second.get(0).path("approval_request_id").asText()).isEqualTo(request.path("id").asText());
        assertThat(second.get(0).path("status").asText()).isEqualTo("completed");
        assertThat(second.get(0).path("output").asText()).isEqualTo("lookup ran with {\"customer\":7}");
        assertThat(second.get(1).path("content").get(0).path("text").asText())
                .isEqualTo("crm.lookup returned: lookup ran with {\"customer\":7}");
        // the conversation holds all of it, the approval response with a server id
        JsonNode stored = items(c);
        assertThat(types(stored)).containsExactly("message", "mcp_list_tools", "mcp_approval_request",
                "mcp_approval_response", "mcp_call", "message");
        assertThat(stored.get(3).path("id").asText()).startsWith("mcpa_");
        assertThat(stored.get(3).path("approve").asBoolean()).isTrue();

        // tools are listed once per conversation; a refusal ends with a message
        JsonNode third = respond("ask", c, "\"mcp crm lookup\"", "");
        assertThat(types(third)).containsExactly("mcp_approval_request");
        JsonNode refused = respond("ask", c, "[{\"type\":\"mcp_approval_response\",\"approval_request_id\":\""
                + third.get(0).path("id").asText() + "\",\"approve\":false,\"reason\":\"not now\"}]", "");
        assertThat(types(refused)).containsExactly("message");
        assertThat(refused.get(0).path("content").get(0).path("text").asText())
                .isEqualTo("crm.lookup was not approved: not now");
    }

    @Test
    void approvalResponseNamingNoRequestIsRefused() {
        String c = conversation();
        Http.Reply reply = http.post("/openai/responses", "{\"agent\":{\"type\":\"agent_reference\",\"name\":\"ask\"},"
                + "\"conversation\":\"" + c + "\",\"input\":[{\"type\":\"mcp_approval_response\","
                + "\"approval_request_id\":\"mcpr_nope\",\"approve\":true}]}");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("param").asText()).isEqualTo("input[0].approval_request_id");
        assertThat(reply.error().path("message").asText()).contains("mcpr_nope");
    }

    @Test
    void requireApprovalNeverOrPerToolCallsWithoutAsking() {
        String c = conversation();
        JsonNode out = respond("auto", c, "\"mcp crm update {\\\"x\\\":1}\"", "");
        assertThat(types(out)).containsExactly("mcp_list_tools", "mcp_call", "message");
        assertThat(types(out.get(0).path("tools"))).hasSize(2);
        assertThat(out.get(1).path("approval_request_id").isNull()).isTrue();

        String d = conversation();
        assertThat(types(respond("split", d, "\"mcp crm lookup\"", ""))).containsExactly("mcp_list_tools", "mcp_call",
                "message");
        assertThat(types(respond("split", d, "\"mcp crm update\"", ""))).containsExactly("mcp_approval_request");

        Http.Reply notAllowed = http.post("/openai/responses", "{\"agent\":{\"type\":\"agent_reference\",\"name\":"
                + "\"auto\"},\"input\":\"mcp crm delete\"}");
        assertThat(notAllowed.status()).isEqualTo(400);
        assertThat(notAllowed.error().path("message").asText()).contains("delete").contains("allowed_tools");
        Http.Reply noServer = http.post("/openai/responses", "{\"agent\":{\"type\":\"agent_reference\",\"name\":"
                + "\"auto\"},\"input\":\"mcp billing x\"}");
        assertThat(noServer.status()).isEqualTo(400);
        assertThat(noServer.error().path("message").asText()).contains("billing");
    }

    @Test
    void codeInterpreterRunEmitsTheCallWithItsLogs() {
        String c = conversation();
        JsonNode out = respond("coder", c, "\"run print(6*7)\"", "");
        assertThat(types(out)).containsExactly("code_interpreter_call", "message");
        JsonNode call = out.get(0);
        assertThat(call.path("id").asText()).startsWith("ci_");
        assertThat(call.path("status").asText()).isEqualTo("completed");
        assertThat(call.path("container_id").asText()).startsWith("cntr_");
        assertThat(call.path("code").asText()).isEqualTo("print(6*7)");
        assertThat(call.path("outputs").get(0).path("type").asText()).isEqualTo("logs");
        // an agent without code_interpreter does not run code: ordinary chat
        JsonNode chat = respond("auto", conversation(), "\"run print(1)\"", "");
        assertThat(types(chat)).containsExactly("message");
    }

    @Test
    void thinkEmitsReasoningWithEncryptedContentOnlyWhenAskedAndNotStored() {
        JsonNode stored = respond("coder", conversation(), "\"think about lunch\"",
                ",\"include\":[\"reasoning.encrypted_content\"]");
        assertThat(types(stored)).containsExactly("reasoning", "message");
        assertThat(stored.get(0).path("id").asText()).startsWith("rs_");
        assertThat(stored.get(0).path("summary").get(0).path("type").asText()).isEqualTo("summary_text");
        assertThat(stored.get(0).has("encrypted_content")).isFalse();

        Http.Reply stateless = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"store\":false,"
                + "\"include\":[\"reasoning.encrypted_content\"],\"input\":\"think about lunch\"}");
        assertThat(stateless.status()).isEqualTo(200);
        JsonNode reasoning = stateless.json().path("output").get(0);
        assertThat(reasoning.path("type").asText()).isEqualTo("reasoning");
        assertThat(reasoning.path("encrypted_content").asText()).startsWith("emu:eastus2:");
        // the stateless caller sends it back as input, with its id, and the model answers on
        Http.Reply next = http.post("/openai/responses", "{\"model\":\"gpt-4o-mini\",\"store\":false,\"input\":["
                + reasoning + ",{\"role\":\"user\",\"content\":\"and dinner?\"}]}");
        assertThat(next.status()).as(next.text()).isEqualTo(200);
    }

    @Test
    void everyInputItemTypeOfTheSpecIsAcceptedWithItsRequiredFieldsAndKeepsItsId() {
        String items = "["
                + "{\"type\":\"message\",\"role\":\"user\",\"content\":\"hi\"},"
                + "{\"type\":\"file_search_call\",\"id\":\"fs_a1\",\"status\":\"completed\",\"queries\":[\"q\"],\"results\":null},"
                + "{\"type\":\"web_search_call\",\"id\":\"ws_a1\",\"status\":\"completed\",\"action\":{\"type\":\"search\",\"query\":\"q\"}},"
                + "{\"type\":\"computer_call\",\"id\":\"cu_a1\",\"call_id\":\"cc1\",\"action\":{\"type\":\"wait\"},\"pending_safety_checks\":[],\"status\":\"completed\"},"
                + "{\"type\":\"computer_call_output\",\"call_id\":\"cc1\",\"output\":{\"type\":\"computer_screenshot\",\"image_url\":\"data:x\"}},"
                + "{\"type\":\"image_generation_call\",\"id\":\"ig_a1\",\"status\":\"completed\",\"result\":null},"
                + "{\"type\":\"code_interpreter_call\",\"id\":\"ci_a1\",\"status\":\"completed\",\"container_id\":\"cntr_1\",\"code\":\"1\",\"outputs\":null},"
                + "{\"type\":\"local_shell_call\",\"id\":\"ls_a1\",\"call_id\":\"lc1\",\"action\":{\"type\":\"exec\",\"command\":[\"ls\"],\"env\":{}},\"status\":\"completed\"},"
                + "{\"type\":\"local_shell_call_output\",\"id\":\"lso_a1\",\"output\":\"ok\"},"
                + "{\"type\":\"shell_call\",\"call_id\":\"sc1\",\"action\":{\"commands\":[\"ls\"]}},"
                + "{\"type\":\"shell_call_output\",\"call_id\":\"sc1\",\"output\":[]},"
                + "{\"type\":\"apply_patch_call\",\"call_id\":\"ap1\",\"status\":\"completed\",\"operation\":{\"type\":\"delete_file\",\"path\":\"a\"}},"
                + "{\"type\":\"apply_patch_call_output\",\"call_id\":\"ap1\",\"status\":\"completed\"},"
                + "{\"type\":\"mcp_list_tools\",\"id\":\"mcpl_a1\",\"server_label\":\"crm\",\"tools\":[]},"
                + "{\"type\":\"mcp_approval_request\",\"id\":\"mcpr_a1\",\"server_label\":\"crm\",\"name\":\"t\",\"arguments\":\"{}\"},"
                + "{\"type\":\"mcp_approval_response\",\"approval_request_id\":\"mcpr_a1\",\"approve\":true},"
                + "{\"type\":\"mcp_call\",\"id\":\"mcp_a1\",\"server_label\":\"crm\",\"name\":\"t\",\"arguments\":\"{}\",\"output\":\"o\",\"status\":\"completed\"},"
                + "{\"type\":\"custom_tool_call\",\"call_id\":\"ct1\",\"name\":\"t\",\"input\":\"x\"},"
                + "{\"type\":\"custom_tool_call_output\",\"call_id\":\"ct1\",\"output\":\"y\"},"
                + "{\"type\":\"reasoning\",\"id\":\"rs_a1\",\"summary\":[]},"
                + "{\"type\":\"compaction\",\"encrypted_content\":\"e\"},"
                + "{\"type\":\"memory_search_call\"}]";
        // at most 20 items per call: the first 11 at create, the rest added
        JsonNode all = Http.json(items);
        StringBuilder first = new StringBuilder();
        StringBuilder rest = new StringBuilder();
        for (int i = 0; i < all.size(); i++) {
            StringBuilder target = i < 11 ? first : rest;
            target.append(target.length() == 0 ? "" : ",").append(all.get(i));
        }
        Http.Reply created = http.post("/openai/conversations", "{\"items\":[" + first + "]}");
        assertThat(created.status()).as(created.text()).isEqualTo(200);
        String c = created.json().path("id").asText();
        Http.Reply added = http.post("/openai/conversations/" + c + "/items", "{\"items\":[" + rest + "]}");
        assertThat(added.status()).as(added.text()).isEqualTo(200);
        JsonNode stored = items(c);
        assertThat(stored).hasSize(22);
        assertThat(stored.get(1).path("id").asText()).isEqualTo("fs_a1");
        assertThat(stored.get(1).path("queries").get(0).asText()).isEqualTo("q");
        assertThat(stored.get(14).path("id").asText()).isEqualTo("mcpr_a1");
        assertThat(stored.get(16).path("output").asText()).isEqualTo("o");
        // a kept id is an item of the conversation: get, page after it, refuse it twice
        assertThat(http.get("/openai/conversations/" + c + "/items/mcp_a1").json().path("type").asText())
                .isEqualTo("mcp_call");
        JsonNode after = http.get("/openai/conversations/" + c + "/items?order=asc&after=mcp_a1").json().path("data");
        assertThat(types(after)).startsWith("custom_tool_call");
        Http.Reply duplicate = http.post("/openai/conversations/" + c + "/items", "{\"items\":["
                + "{\"type\":\"file_search_call\",\"id\":\"fs_a1\",\"status\":\"completed\",\"queries\":[]}]}");
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.error().path("code").asText()).isEqualTo("duplicate_item");
    }

    @Test
    void inputItemsLackingARequiredFieldOrOfAnOutputOnlyTypeAreRefusedNamingTheField() {
        assertRefused("{\"type\":\"file_search_call\",\"status\":\"completed\",\"queries\":[]}", "items[0].id");
        assertRefused("{\"type\":\"file_search_call\",\"id\":\"fs_1\",\"queries\":[]}", "items[0].status");
        assertRefused("{\"type\":\"mcp_call\",\"id\":\"mcp_1\",\"server_label\":\"s\",\"name\":\"n\"}", "items[0].arguments");
        assertRefused("{\"type\":\"mcp_approval_response\",\"approval_request_id\":\"r\"}", "items[0].approve");
        assertRefused("{\"type\":\"mcp_approval_response\",\"approval_request_id\":\"r\",\"approve\":\"yes\"}",
                "items[0].approve");
        assertRefused("{\"type\":\"code_interpreter_call\",\"id\":\"ci_1\",\"status\":\"completed\",\"container_id\":\"c\","
                + "\"code\":\"x\"}", "items[0].outputs");
        assertRefused("{\"type\":\"structured_outputs\",\"id\":\"so_1\"}", "items[0].type");
        assertRefused("{\"type\":\"azure_ai_search_call\",\"id\":\"x\"}", "items[0].type");
    }

    private static void assertRefused(String item, String param) {
        Http.Reply reply = http.post("/openai/conversations", "{\"items\":[" + item + "]}");
        assertThat(reply.status()).as(item).isEqualTo(400);
        assertThat(reply.error().path("param").asText()).as(item).isEqualTo(param);
    }
}
