package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Agent definitions are checked against the spec's {@code AgentDefinition} on every route that writes one
 * (createAgentVersion, createAgent, updateAgent): the {@code kind} discriminator, each kind's field types and
 * required fields, and every tool's {@code type} and required fields; a refusal names the field and writes nothing.
 */
class AgentDefinitionValidationTest {

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

    private static void assertRefused(String definition, String code, String param, String messagePart) {
        String[][] routes = {
            {"/agents/checked/versions", "{\"definition\":" + definition + "}"},
            {"/agents", "{\"name\":\"checked\",\"definition\":" + definition + "}"},
            {"/agents/checked", "{\"definition\":" + definition + "}"},
        };
        for (String[] route : routes) {
            Http.Reply reply = http.post(route[0], route[1]);
            assertThat(reply.status()).as(route[0] + " " + definition).isEqualTo(400);
            assertThat(reply.error().path("code").asText()).as(route[0]).isEqualTo(code);
            assertThat(reply.error().path("param").asText()).as(route[0]).isEqualTo(param);
            assertThat(reply.error().path("message").asText()).as(route[0]).contains(messagePart);
        }
        assertThat(http.get("/agents/checked").status()).isEqualTo(404);
    }

    @Test
    void theKindDiscriminatorIsRequiredAndOneOfTheSpecsKinds() {
        assertRefused("{\"model\":\"gpt-4o-mini\"}", "missing_required_parameter", "definition.kind", "'definition.kind'");
        assertRefused("{\"kind\":\"assistant\",\"model\":\"gpt-4o-mini\"}", "invalid_value", "definition.kind",
                "Invalid value: 'assistant'. Supported values are: 'prompt', 'hosted', 'container_app', 'workflow'.");
        assertRefused("{\"kind\":7,\"model\":\"gpt-4o-mini\"}", "invalid_type", "definition.kind", "expected a string");
    }

    @Test
    void promptFieldsHaveTheSpecsTypes() {
        assertRefused("{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"instructions\":12345}", "invalid_type",
                "definition.instructions", "Invalid type for 'definition.instructions': expected a string, but got an integer.");
        assertRefused("{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"temperature\":\"hot\"}", "invalid_type",
                "definition.temperature", "expected a number");
        assertRefused("{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"top_p\":1.5}", "invalid_value",
                "definition.top_p", "between 0 and 1");
        assertRefused("{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"reasoning\":\"high\"}", "invalid_type",
                "definition.reasoning", "expected an object");
        assertRefused("{\"kind\":\"prompt\"}", "missing_required_parameter", "definition.model", "'definition.model'");
        assertRefused("{\"kind\":\"hosted\",\"cpu\":\"1\",\"memory\":\"2Gi\"}", "missing_required_parameter",
                "definition.container_protocol_versions", "'definition.container_protocol_versions'");
    }

    @Test
    void toolsAreTheSpecsToolTypesWithTheirRequiredFields() {
        String prompt = "{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"tools\":[";
        assertRefused(prompt + "{\"type\":\"brand_new_tool\"}]}", "invalid_value", "definition.tools[0].type",
                "Invalid value: 'brand_new_tool'. Supported values are: 'function', 'file_search'");
        assertRefused(prompt + "{\"name\":\"f\"}]}", "missing_required_parameter", "definition.tools[0].type", "type");
        assertRefused(prompt + "\"file_search\"]}", "invalid_type", "definition.tools[0]", "expected an object");
        assertRefused(prompt + "{\"type\":\"function\",\"name\":\"ok\"},{\"type\":\"function\"}]}",
                "missing_required_parameter", "definition.tools[1].name", "'definition.tools[1].name'");
        assertRefused(prompt + "{\"type\":\"function\",\"name\":\"f\",\"strict\":\"yes\"}]}", "invalid_type",
                "definition.tools[0].strict", "expected a boolean");
        assertRefused(prompt + "{\"type\":\"file_search\",\"vector_store_ids\":\"vs_1\"}]}", "invalid_type",
                "definition.tools[0].vector_store_ids", "expected an array of strings");
        assertRefused(prompt + "{\"type\":\"mcp\",\"server_url\":\"https://mcp.example.com\"}]}",
                "missing_required_parameter", "definition.tools[0].server_label", "server_label");
        assertRefused(prompt + "{\"type\":\"memory_search\",\"memory_store_name\":\"m\"}]}",
                "missing_required_parameter", "definition.tools[0].scope", "scope");
        assertRefused(prompt + "{\"type\":\"code_interpreter\"}]}", "missing_required_parameter",
                "definition.tools[0].container", "container");
        assertRefused(prompt + "{\"type\":\"azure_ai_search\",\"indexes\":[]}]}", "missing_required_parameter",
                "definition.tools[0].azure_ai_search", "azure_ai_search");
        assertRefused(prompt + "{\"type\":\"openapi\",\"openapi\":\"spec\"}]}", "invalid_type",
                "definition.tools[0].openapi", "expected an object");
    }

    @Test
    void everyKindAndToolTypeOfTheSpecIsAcceptedWithUnknownFieldsKept() {
        String tools = "[{\"type\":\"function\",\"name\":\"f\"},"
                + "{\"type\":\"function\",\"name\":\"g\",\"parameters\":{\"type\":\"object\"},\"strict\":true},"
                + "{\"type\":\"file_search\",\"vector_store_ids\":[\"vs_1\"],\"max_num_results\":5},"
                + "{\"type\":\"mcp\",\"server_label\":\"docs\",\"server_url\":\"https://mcp.example.com\",\"require_approval\":\"never\"},"
                + "{\"type\":\"code_interpreter\",\"container\":{\"type\":\"auto\"}},"
                + "{\"type\":\"azure_ai_search\",\"azure_ai_search\":{\"indexes\":[]}},"
                + "{\"type\":\"openapi\",\"openapi\":{\"name\":\"weather\",\"spec\":{}}},"
                + "{\"type\":\"memory_search\",\"memory_store_name\":\"m\",\"scope\":\"user-1\"},"
                + "{\"type\":\"web_search_preview\"},{\"type\":\"image_generation\",\"quality\":\"low\"},"
                + "{\"type\":\"a2a_preview\",\"future\":{\"x\":1}}]";
        Http.Reply prompt = http.post("/agents/all-tools/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":"
                + "\"gpt-4o-mini\",\"instructions\":null,\"temperature\":0.5,\"future_field\":1,\"tools\":" + tools + "}}");
        assertThat(prompt.status()).as(prompt.text()).isEqualTo(200);
        assertThat(prompt.json().at("/definition/tools")).hasSize(11);
        assertThat(prompt.json().at("/definition/future_field").asInt()).isEqualTo(1);

        assertThat(http.post("/agents/flow/versions", "{\"definition\":{\"kind\":\"workflow\",\"workflow\":\"kind: workflow\"}}")
                .status()).isEqualTo(200);
        assertThat(http.post("/agents/hosted/versions", "{\"definition\":{\"kind\":\"hosted\",\"cpu\":\"1\",\"memory\":\"2Gi\","
                + "\"container_protocol_versions\":[{\"protocol\":\"responses\",\"version\":\"v1\"}]}}").status()).isEqualTo(200);
        assertThat(http.post("/agents/app/versions", "{\"definition\":{\"kind\":\"container_app\","
                + "\"container_protocol_versions\":[],\"container_app_resource_id\":\"/subscriptions/x\","
                + "\"ingress_subdomain_suffix\":\"\"}}").status()).isEqualTo(200);
    }

    @Test
    void theStableApiVersionChecksTheValuesOfTheOfficialSdksV1Surface() {
        String v1 = "?api-version=v1";
        // v1 (what @azure/ai-projects 2.x sends): memory_search_preview and external agents exist, container_app does not
        assertThat(http.post("/agents/v1-memory/versions" + v1, "{\"definition\":{\"kind\":\"prompt\",\"model\":"
                + "\"gpt-4o-mini\",\"tools\":[{\"type\":\"memory_search_preview\",\"memory_store_name\":\"m\","
                + "\"scope\":\"u\"}]}}").status()).isEqualTo(200);
        assertThat(http.post("/agents/v1-external/versions" + v1, "{\"definition\":{\"kind\":\"external\"}}").status())
                .isEqualTo(200);
        assertThat(http.post("/agents/v1-hosted/versions" + v1, "{\"definition\":{\"kind\":\"hosted\",\"cpu\":\"1\","
                + "\"memory\":\"2Gi\"}}").status()).isEqualTo(200);
        Http.Reply containerApp = http.post("/agents/v1-app/versions" + v1, "{\"definition\":{\"kind\":\"container_app\"}}");
        assertThat(containerApp.status()).isEqualTo(400);
        assertThat(containerApp.error().path("param").asText()).isEqualTo("definition.kind");
        assertThat(containerApp.error().path("message").asText()).contains("'external'");
        Http.Reply memoryV1 = http.post("/agents/v1-memory2/versions" + v1, "{\"definition\":{\"kind\":\"prompt\","
                + "\"model\":\"gpt-4o-mini\",\"tools\":[{\"type\":\"memory_search_preview\",\"memory_store_name\":\"m\"}]}}");
        assertThat(memoryV1.error().path("param").asText()).isEqualTo("definition.tools[0].scope");

        // the preview version has neither
        Http.Reply memoryPreview = http.post("/agents/p-memory/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":"
                + "\"gpt-4o-mini\",\"tools\":[{\"type\":\"memory_search_preview\",\"memory_store_name\":\"m\","
                + "\"scope\":\"u\"}]}}");
        assertThat(memoryPreview.status()).isEqualTo(400);
        assertThat(memoryPreview.error().path("param").asText()).isEqualTo("definition.tools[0].type");
        assertThat(http.post("/agents/p-external/versions", "{\"definition\":{\"kind\":\"external\"}}").status())
                .isEqualTo(400);
    }
}
