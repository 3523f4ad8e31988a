package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The preview routes require {@code api-version} (the spec marks it required on every operation); the
 * {@code /openai/v1/...} routes the official {@code @azure/ai-projects} 2.x SDK defaults to serve the
 * same OpenAI-side operations without one.
 */
class ApiVersionAndV1RoutesTest {

    private static Emulator emulator;
    private static Http http;

    @BeforeAll
    static void start() {
        emulator = Emulator.builder().region("eastus2").start();
        http = Http.of(emulator.region("eastus2"));
        http.post("/agents/v1-agent/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}");
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    @Test
    void aPreviewRouteWithoutApiVersionIs400NamingTheParameter() {
        for (String path : new String[] {"/agents", "/openai/conversations/conv_x", "/openai/responses/resp_x", "/deployments"}) {
            Http.Reply reply = http.get(Http.bare(path));
            assertThat(reply.status()).as(path).isEqualTo(400);
            assertThat(reply.error().path("code").asText()).isEqualTo("MissingApiVersionParameter");
            assertThat(reply.error().path("param").asText()).isEqualTo("api-version");
        }
        assertThat(http.post(Http.bare("/openai/conversations"), "{}").status()).isEqualTo(400);
    }

    @Test
    void anUnknownApiVersionIs400() {
        Http.Reply reply = http.get(Http.bare("/agents?api-version=2024-10-21"));
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("code").asText()).isEqualTo("BadRequest");
        assertThat(reply.error().path("message").asText()).startsWith("API version not supported").contains("2024-10-21");
        // the catalog routes also serve the stable v1 spec and what azure-ai-projects 1.0.0-beta.2 sends
        assertThat(http.get(Http.bare("/deployments?api-version=v1")).status()).isEqualTo(200);
        assertThat(http.get(Http.bare("/connections?api-version=2025-05-15-preview")).status()).isEqualTo(200);
        // agents also serve the stable v1, which the official @azure/ai-projects 2.x SDK sends on every agents call
        assertThat(http.get(Http.bare("/agents?api-version=v1")).status()).isEqualTo(200);
        assertThat(http.get(Http.bare("/agents?api-version=2025-05-15-preview")).status()).isEqualTo(400);
    }

    @Test
    void theV1RoutesServeConversationsAndResponsesWithoutApiVersion() {
        Http.Reply created = http.post("/openai/v1/conversations", "{\"items\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(created.status()).isEqualTo(200);
        String conversation = created.json().get("id").asText();
        JsonNode response = http.post("/openai/v1/responses", "{\"conversation\":\"" + conversation
                + "\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"v1-agent\"}}").json();
        assertThat(response.get("object").asText()).isEqualTo("response");
        assertThat(http.get("/openai/v1/conversations/" + conversation + "/items").json().get("data")).hasSize(2);
        assertThat(http.get("/openai/v1/responses/" + response.get("id").asText()).status()).isEqualTo(200);
        // the same state through the preview route
        assertThat(http.get("/openai/conversations/" + conversation + "/items").json().get("data")).hasSize(2);
        assertThat(emulator.region("eastus2").operationCounts().get("responses.create")).isPositive();
    }

    @Test
    void theV1RoutesNameTheAgentInAgentReferenceThePreviewRoutesInAgent() {
        String conversation = http.post("/openai/v1/conversations", "{}").json().get("id").asText();
        Http.Reply v1 = http.post("/openai/v1/responses", "{\"conversation\":\"" + conversation + "\",\"input\":\"hi\","
                + "\"agent_reference\":{\"type\":\"agent_reference\",\"name\":\"v1-agent\"}}");
        assertThat(v1.status()).isEqualTo(200);
        assertThat(v1.json().at("/agent/name").asText()).isEqualTo("v1-agent");
        assertThat(v1.json().at("/agent/type").asText()).isEqualTo("agent_id");

        Http.Reply preview = http.post("/openai/responses", "{\"conversation\":\"" + conversation + "\",\"input\":\"hi\","
                + "\"agent_reference\":{\"type\":\"agent_reference\",\"name\":\"v1-agent\"}}");
        assertThat(preview.status()).isEqualTo(400);
        assertThat(preview.error().path("code").asText()).isEqualTo("unknown_parameter");

        Http.Reply both = http.post("/openai/v1/responses", "{\"conversation\":\"" + conversation + "\",\"input\":\"hi\","
                + "\"agent_reference\":{\"type\":\"agent_reference\",\"name\":\"v1-agent\"},"
                + "\"agent\":{\"type\":\"agent_reference\",\"name\":\"v1-agent\"}}");
        assertThat(both.status()).isEqualTo(400);
        Http.Reply badType = http.post("/openai/v1/responses", "{\"input\":\"hi\",\"agent_reference\":{\"type\":\"agent\","
                + "\"name\":\"v1-agent\"}}");
        assertThat(badType.error().path("param").asText()).isEqualTo("agent_reference.type");
    }

    @Test
    void aV1RouteRefusesAPreviewApiVersionAndAgentsAreNotUnderV1() {
        Http.Reply reply = http.get("/openai/v1/conversations/conv_x?api-version=2025-11-15-preview");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("message").asText()).startsWith("API version not supported");
        assertThat(http.get("/openai/v1/conversations?api-version=v1").status()).isEqualTo(200);
        assertThat(http.get("/openai/v1/agents").status()).isEqualTo(404);
    }
}
