package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The agents API: shapes the azure-ai-agents client insists on, versions, paging, deletes, 404s. */
class AgentsApiTest {

    private static final String Q = "?api-version=2025-11-15-preview";
    private static final String DEFINITION = "{\"definition\":{\"model\":\"gpt-4o-mini\",\"kind\":\"prompt\","
            + "\"instructions\":\"You are a helpful travel agent.\",\"temperature\":0.2,\"tools\":[{\"name\":\"get_weather\","
            + "\"parameters\":{\"type\":\"object\"},\"strict\":true,\"type\":\"function\"}]}}";

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

    @Test
    void createVersionAnswersTheAgentVersionShape() {
        Http.Reply reply = http.post("/agents/travel-agent/versions" + Q, DEFINITION);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().firstValue("content-type")).contains("application/json");
        JsonNode v = reply.json();
        assertThat(v.get("object").asText()).isEqualTo("agent.version");
        assertThat(v.get("id").asText()).isEqualTo("travel-agent:1");
        assertThat(v.get("name").asText()).isEqualTo("travel-agent");
        assertThat(v.get("version").isTextual()).isTrue();
        assertThat(v.get("version").asText()).isEqualTo("1");
        assertThat(v.get("description").asText()).isEmpty();
        assertThat(v.get("metadata").isObject()).isTrue();
        assertThat(v.get("created_at").isIntegralNumber()).isTrue();
        long now = System.currentTimeMillis() / 1000;
        assertThat(v.get("created_at").asLong()).isBetween(now - 5, now + 5);
        assertThat(v.get("definition")).isEqualTo(Http.json(DEFINITION).get("definition"));
    }

    @Test
    void definitionIsPassedThroughWithUnknownFields() {
        String body = "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"future_field\":{\"a\":1},"
                + "\"tools\":[{\"type\":\"a2a_preview\",\"setting\":42},{\"type\":\"file_search\",\"vector_store_ids\":[\"vs_1\"]}]},"
                + "\"metadata\":{\"k\":\"v\"},\"description\":\"d\"}";
        JsonNode v = http.post("/agents/copy-raw/versions" + Q, body).json();

        assertThat(v.get("definition")).isEqualTo(Http.json(body).get("definition"));
        assertThat(v.get("metadata")).isEqualTo(Http.json("{\"k\":\"v\"}"));
        assertThat(v.get("description").asText()).isEqualTo("d");
        assertThat(http.get("/agents/copy-raw/versions/1" + Q).json().get("definition"))
                .isEqualTo(Http.json(body).get("definition"));
    }

    @Test
    void unchangedDefinitionReturnsTheLatestVersionAndChangesMakeNewOnes() {
        JsonNode first = http.post("/agents/idem/versions" + Q, DEFINITION).json();
        JsonNode again = http.post("/agents/idem/versions" + Q, DEFINITION).json();
        assertThat(again).isEqualTo(first);

        String withMetadata = DEFINITION.substring(0, DEFINITION.length() - 1)
                + ",\"metadata\":{\"owner\":\"probe\"},\"description\":\"second version\"}";
        JsonNode second = http.post("/agents/idem/versions" + Q, withMetadata).json();
        assertThat(second.get("version").asText()).isEqualTo("2");
        assertThat(second.get("id").asText()).isEqualTo("idem:2");
        assertThat(http.post("/agents/idem/versions" + Q, withMetadata).json().get("version").asText()).isEqualTo("2");
        // going back to the first content is a change relative to the latest: a new version
        assertThat(http.post("/agents/idem/versions" + Q, DEFINITION).json().get("version").asText()).isEqualTo("3");
    }

    @Test
    void getAgentAnswersTheLatestVersion() {
        http.post("/agents/getme/versions" + Q, DEFINITION);
        http.post("/agents/getme/versions" + Q, "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\"}}");

        Http.Reply reply = http.get("/agents/getme" + Q);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("object").asText()).isEqualTo("agent");
        assertThat(reply.json().get("id").asText()).isEqualTo("getme");
        assertThat(reply.json().get("name").asText()).isEqualTo("getme");
        JsonNode latest = reply.json().at("/versions/latest");
        assertThat(latest.get("object").asText()).isEqualTo("agent.version");
        assertThat(latest.get("version").asText()).isEqualTo("2");
        assertThat(latest.at("/definition/model").asText()).isEqualTo("gpt-4.1-mini");
    }

    @Test
    void updateAndCreateAgentAnswerTheAgentObject() {
        Http.Reply created = http.post("/agents" + Q, "{\"name\":\"made-by-create\",\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(created.json().get("object").asText()).isEqualTo("agent");
        assertThat(created.json().at("/versions/latest/version").asText()).isEqualTo("1");

        Http.Reply updated = http.post("/agents/made-by-create" + Q,
                "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"instructions\":\"new\"}}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("object").asText()).isEqualTo("agent");
        assertThat(updated.json().at("/versions/latest/version").asText()).isEqualTo("2");
        assertThat(updated.json().at("/versions/latest/definition/instructions").asText()).isEqualTo("new");
    }

    @Test
    void versionsListPagesInBothOrdersWithCursors() {
        for (int i = 1; i <= 5; i++) {
            http.post("/agents/paged/versions" + Q, "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"instructions\":\"v" + i + "\"}}");
        }
        JsonNode desc = http.get("/agents/paged/versions" + Q).json();
        assertThat(desc.get("object").asText()).isEqualTo("list");
        assertThat(versions(desc)).containsExactly("5", "4", "3", "2", "1");
        assertThat(desc.get("first_id").asText()).isEqualTo("paged:5");
        assertThat(desc.get("last_id").asText()).isEqualTo("paged:1");
        assertThat(desc.get("has_more").asBoolean()).isFalse();

        JsonNode page = http.get("/agents/paged/versions" + Q + "&limit=2&order=asc").json();
        assertThat(versions(page)).containsExactly("1", "2");
        assertThat(page.get("has_more").asBoolean()).isTrue();
        page = http.get("/agents/paged/versions" + Q + "&limit=2&order=asc&after=paged%3A2").json();
        assertThat(versions(page)).containsExactly("3", "4");
        page = http.get("/agents/paged/versions" + Q + "&limit=5&order=asc&after=paged%3A1&before=paged%3A5").json();
        assertThat(versions(page)).containsExactly("2", "3", "4");
        assertThat(page.get("has_more").asBoolean()).isFalse();
        page = http.get("/agents/paged/versions" + Q + "&limit=2&order=desc&before=paged%3A2").json();
        assertThat(versions(page)).containsExactly("4", "3");
        assertThat(page.get("has_more").asBoolean()).isTrue();
        page = http.get("/agents/paged/versions" + Q + "&order=desc&after=paged%3A1").json();
        assertThat(versions(page)).isEmpty();
        assertThat(page.get("first_id").isNull()).isTrue();
        assertThat(page.get("last_id").isNull()).isTrue();
    }

    @Test
    void agentsListHonoursOrderLimitAfterAndKind() {
        try (Emulator own = Emulator.builder().region("r").start()) {
            Http h = Http.of(own.region("r"));
            assertThat(h.get("/agents" + Q).json()).isEqualTo(Http.json(
                    "{\"object\":\"list\",\"data\":[],\"first_id\":null,\"last_id\":null,\"has_more\":false}"));
            for (String name : List.of("a1", "a2", "a3", "a4")) {
                h.post("/agents/" + name + "/versions" + Q, "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}");
            }
            h.post("/agents/w1/versions" + Q, "{\"definition\":{\"kind\":\"workflow\",\"workflow\":\"x\"}}");

            JsonNode all = h.get("/agents" + Q).json();
            assertThat(names(all)).containsExactly("w1", "a4", "a3", "a2", "a1");
            assertThat(all.at("/data/0/object").asText()).isEqualTo("agent");
            assertThat(all.at("/data/0/versions/latest/object").asText()).isEqualTo("agent.version");

            JsonNode prompts = h.get("/agents" + Q + "&kind=prompt&limit=3&order=desc").json();
            assertThat(names(prompts)).containsExactly("a4", "a3", "a2");
            assertThat(prompts.get("has_more").asBoolean()).isTrue();
            assertThat(prompts.get("first_id").asText()).isEqualTo("a4");
            assertThat(prompts.get("last_id").asText()).isEqualTo("a2");

            // the paging loop Continuity's adapter runs: asc, after=last name, until a short page
            List<String> seen = new ArrayList<>();
            String after = null;
            while (true) {
                JsonNode page = h.get("/agents" + Q + "&limit=2&order=asc" + (after == null ? "" : "&after=" + after)).json();
                seen.addAll(names(page));
                if (page.get("data").size() < 2) {
                    break;
                }
                after = page.get("last_id").asText();
            }
            assertThat(seen).containsExactly("a1", "a2", "a3", "a4", "w1");

            Http.Reply unknownCursor = h.get("/agents" + Q + "&after=ghost");
            assertThat(unknownCursor.status()).isEqualTo(400);
            assertThat(unknownCursor.error().get("param").asText()).isEqualTo("after");
        }
    }

    @Test
    void deletesAnswerTheDeletedShapes() {
        http.post("/agents/doomed/versions" + Q, DEFINITION);
        http.post("/agents/doomed/versions" + Q, "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4.1-mini\"}}");

        Http.Reply versionDeleted = http.delete("/agents/doomed/versions/1" + Q);
        assertThat(versionDeleted.status()).isEqualTo(200);
        assertThat(versionDeleted.json()).isEqualTo(Http.json(
                "{\"object\":\"agent.version.deleted\",\"name\":\"doomed\",\"version\":\"1\",\"deleted\":true}"));
        assertThat(http.get("/agents/doomed/versions/1" + Q).status()).isEqualTo(404);
        assertThat(http.get("/agents/doomed/versions/2" + Q).status()).isEqualTo(200);

        Http.Reply deleted = http.delete("/agents/doomed" + Q);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json()).isEqualTo(Http.json("{\"object\":\"agent.deleted\",\"name\":\"doomed\",\"deleted\":true}"));
        assertThat(http.get("/agents/doomed" + Q).status()).isEqualTo(404);

        // recreated after delete: numbering starts over
        assertThat(http.post("/agents/doomed/versions" + Q, DEFINITION).json().get("version").asText()).isEqualTo("1");
    }

    @Test
    void deletingTheLastVersionDeletesTheAgent() {
        http.post("/agents/single/versions" + Q, DEFINITION);
        assertThat(http.delete("/agents/single/versions/1" + Q).status()).isEqualTo(200);
        assertThat(http.get("/agents/single" + Q).status()).isEqualTo(404);
    }

    @Test
    void unknownAgentsAndVersionsAre404WithTheErrorShape() {
        Http.Reply agent = http.get("/agents/ghost" + Q);
        assertThat(agent.status()).isEqualTo(404);
        assertThat(agent.json()).isEqualTo(Http.json("{\"error\":{\"code\":\"not_found\",\"message\":\"Agent ghost not found\","
                + "\"param\":null,\"type\":\"invalid_request_error\"}}"));
        assertThat(http.get("/agents/ghost/versions" + Q).status()).isEqualTo(404);
        assertThat(http.delete("/agents/ghost" + Q).status()).isEqualTo(404);
        assertThat(http.delete("/agents/ghost/versions/1" + Q).status()).isEqualTo(404);

        http.post("/agents/has-one/versions" + Q, DEFINITION);
        Http.Reply version = http.get("/agents/has-one/versions/7" + Q);
        assertThat(version.status()).isEqualTo(404);
        assertThat(version.error().get("message").asText()).isEqualTo("Agent has-one version 7 not found");
        assertThat(http.get("/agents/has-one/versions/seven" + Q).status()).isEqualTo(404);
    }

    @Test
    void badRequestsAre400() {
        Http.Reply notJson = http.post("/agents/x1/versions" + Q, "{not json");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.error().get("code").asText()).isEqualTo("invalid_json");
        assertThat(notJson.error().get("type").asText()).isEqualTo("invalid_request_error");

        Http.Reply noDefinition = http.post("/agents/x1/versions" + Q, "{\"metadata\":{}}");
        assertThat(noDefinition.status()).isEqualTo(400);
        assertThat(noDefinition.error().get("param").asText()).isEqualTo("definition");

        Http.Reply noModel = http.post("/agents/x1/versions" + Q, "{\"definition\":{\"kind\":\"prompt\"}}");
        assertThat(noModel.status()).isEqualTo(400);
        assertThat(noModel.error().get("param").asText()).isEqualTo("definition.model");

        Http.Reply emptyBody = http.post("/agents/x1/versions" + Q, "");
        assertThat(emptyBody.status()).isEqualTo(400);

        Http.Reply wrongMethod = http.send(java.net.http.HttpRequest.newBuilder(http.uri("/agents/x1/versions"))
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.error().get("message").asText()).contains("PUT", "GET", "POST");
    }

    @Test
    void apiVersionIsNotRequired() {
        assertThat(http.post("/agents/no-query/versions", DEFINITION).status()).isEqualTo(200);
        assertThat(http.get("/agents/no-query").status()).isEqualTo(200);
    }

    private static List<String> versions(JsonNode list) {
        List<String> versions = new ArrayList<>();
        list.get("data").forEach(v -> versions.add(v.get("version").asText()));
        return versions;
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.get("data").forEach(v -> names.add(v.get("name").asText()));
        return names;
    }
}
