package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The memory store operations of the Foundry preview spec ({@code /memory_stores}), the deterministic
 * memory extraction ({@code remember KEY=VALUE}, {@code forget KEY}), updates that take time, and an agent
 * whose {@code memory_search} tool answers from the memories of its scope.
 */
class MemoryStoresApiTest {

    private static final String DEFINITION = "{\"kind\":\"default\",\"chat_model\":\"gpt-4.1-mini\","
            + "\"embedding_model\":\"text-embedding-3-small\"}";

    private Emulator emulator;
    private Http http;

    @BeforeEach
    void start() {
        emulator = Emulator.builder().region("eastus2").start();
        http = Http.of(emulator.region("eastus2"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private JsonNode create(String name) {
        Http.Reply reply = http.post("/memory_stores?api-version=2025-11-15-preview", "{\"name\":\"" + name
                + "\",\"description\":\"d\",\"metadata\":{\"k\":\"v\"},\"definition\":" + DEFINITION + "}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json();
    }

    private Http.Reply update(String store, String body) {
        return http.post("/memory_stores/" + store + ":update_memories?api-version=2025-11-15-preview", body);
    }

    private JsonNode poll(String store, String updateId) {
        return http.get("/memory_stores/" + store + "/updates/" + updateId + "?api-version=2025-11-15-preview").json();
    }

    private JsonNode search(String store, String body) {
        Http.Reply reply = http.post("/memory_stores/" + store + ":search_memories?api-version=2025-11-15-preview", body);
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply.json();
    }

    private static String userSays(String scope, String text, int delay) {
        return "{\"scope\":\"" + scope + "\",\"items\":[{\"type\":\"message\",\"role\":\"user\",\"content\":"
                + "[{\"type\":\"input_text\",\"text\":\"" + text + "\"}]}],\"update_delay\":" + delay + "}";
    }

    @Test
    void aStoreIsCreatedReadListedUpdatedAndDeletedByName() {
        JsonNode created = create("support-memory");
        assertThat(created.get("object").asText()).isEqualTo("memory_store");
        assertThat(created.get("id").asText()).startsWith("memstore_");
        assertThat(created.get("name").asText()).isEqualTo("support-memory");
        assertThat(created.at("/definition/chat_model").asText()).isEqualTo("gpt-4.1-mini");
        assertThat(created.get("created_at").isIntegralNumber()).isTrue();
        assertThat(http.get("/memory_stores/support-memory?api-version=2025-11-15-preview").json()).isEqualTo(created);
        create("other");
        JsonNode list = http.get("/memory_stores?api-version=2025-11-15-preview&order=asc&limit=1").json();
        assertThat(list.get("data")).hasSize(1);
        assertThat(list.at("/data/0/name").asText()).isEqualTo("support-memory");
        assertThat(list.get("has_more").asBoolean()).isTrue();
        JsonNode next = http.get("/memory_stores?api-version=2025-11-15-preview&order=asc&after="
                + list.get("last_id").asText()).json();
        assertThat(next.at("/data/0/name").asText()).isEqualTo("other");
        assertThat(next.get("has_more").asBoolean()).isFalse();

        JsonNode changed = http.post("/memory_stores/support-memory?api-version=2025-11-15-preview",
                "{\"description\":\"changed\"}").json();
        assertThat(changed.get("description").asText()).isEqualTo("changed");
        assertThat(changed.get("definition")).isEqualTo(created.get("definition"));
        Http.Reply readOnly = http.post("/memory_stores/support-memory?api-version=2025-11-15-preview",
                "{\"definition\":" + DEFINITION + "}");
        assertThat(readOnly.status()).isEqualTo(400);
        assertThat(readOnly.json().at("/error/code").asText()).isEqualTo("unknown_parameter");

        JsonNode deleted = http.delete("/memory_stores/support-memory?api-version=2025-11-15-preview").json();
        assertThat(deleted.get("object").asText()).isEqualTo("memory_store.deleted");
        assertThat(deleted.get("deleted").asBoolean()).isTrue();
        assertThat(http.get("/memory_stores/support-memory?api-version=2025-11-15-preview").status()).isEqualTo(404);
        assertThat(emulator.region("eastus2").memoryStoreCount()).isEqualTo(1);
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        assertThat(http.get(Http.BARE + "/memory_stores").json().at("/error/code").asText()).isEqualTo("MissingApiVersionParameter");
        create("m");
        Http.Reply duplicate = http.post("/memory_stores?api-version=2025-11-15-preview",
                "{\"name\":\"m\",\"definition\":" + DEFINITION + "}");
        assertThat(duplicate.status()).isEqualTo(409);
        Http.Reply kind = http.post("/memory_stores?api-version=2025-11-15-preview",
                "{\"name\":\"n\",\"definition\":{\"kind\":\"fancy\",\"chat_model\":\"a\",\"embedding_model\":\"b\"}}");
        assertThat(kind.status()).isEqualTo(400);
        assertThat(kind.json().at("/error/param").asText()).isEqualTo("definition.kind");
        Http.Reply noModel = http.post("/memory_stores?api-version=2025-11-15-preview",
                "{\"name\":\"n\",\"definition\":{\"kind\":\"default\",\"chat_model\":\"a\"}}");
        assertThat(noModel.json().at("/error/param").asText()).isEqualTo("definition.embedding_model");
        Http.Reply options = http.post("/memory_stores?api-version=2025-11-15-preview",
                "{\"name\":\"n\",\"definition\":{\"kind\":\"default\",\"chat_model\":\"a\",\"embedding_model\":\"b\","
                        + "\"options\":{\"user_profile_enabled\":true}}}");
        assertThat(options.json().at("/error/param").asText()).isEqualTo("definition.options.chat_summary_enabled");
        assertThat(update("m", "{\"items\":[]}").json().at("/error/param").asText()).isEqualTo("scope");
        assertThat(update("m", "{\"scope\":\"u\",\"update_delay\":\"soon\"}").json().at("/error/param").asText())
                .isEqualTo("update_delay");
        assertThat(update("m", "{\"scope\":\"u\",\"previous_update_id\":\"memupd_none\"}").status()).isEqualTo(400);
        assertThat(update("ghost", userSays("u", "hi", 0)).status()).isEqualTo(404);
        Http.Reply untyped = update("m", "{\"scope\":\"u\",\"items\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(untyped.json().at("/error/param").asText()).isEqualTo("items[0].type"); // OpenAI.Item needs type
        Http.Reply text = update("m", "{\"scope\":\"u\",\"items\":[{\"type\":\"message\",\"role\":\"user\","
                + "\"content\":\"hi\"}]}");
        assertThat(text.json().at("/error/param").asText()).isEqualTo("items[0].content");
        assertThat(http.get("/memory_stores/m/updates/memupd_none?api-version=2025-11-15-preview").status()).isEqualTo(404);
        assertThat(http.post("/memory_stores/m:delete_scope?api-version=2025-11-15-preview", "{}").status())
                .isEqualTo(400);
    }

    @Test
    void anUpdateIsAcceptedWith202AndCompletesWithTheMemoriesItExtracted() {
        create("m");
        Http.Reply accepted = update("m", userSays("user-1", "remember seat=window\\nI like trains", 0));
        assertThat(accepted.status()).isEqualTo(202);
        String updateId = accepted.json().get("update_id").asText();
        assertThat(accepted.json().get("status").asText()).isEqualTo("in_progress");
        assertThat(accepted.headers().firstValue("Operation-Location").orElseThrow())
                .endsWith("/api/projects/eastus2/memory_stores/m/updates/" + updateId + "?api-version=2025-11-15-preview");
        JsonNode done = poll("m", updateId);
        assertThat(done.get("status").asText()).isEqualTo("completed");
        assertThat(done.at("/result/memory_operations")).hasSize(1);
        assertThat(done.at("/result/memory_operations/0/kind").asText()).isEqualTo("create");
        JsonNode memory = done.at("/result/memory_operations/0/memory_item");
        assertThat(memory.get("content").asText()).isEqualTo("seat=window");
        assertThat(memory.get("kind").asText()).isEqualTo("user_profile");
        assertThat(memory.get("scope").asText()).isEqualTo("user-1");
        assertThat(done.at("/result/usage/total_tokens").asInt()).isPositive();

        JsonNode found = search("m", "{\"scope\":\"user-1\",\"items\":[{\"type\":\"message\",\"role\":\"user\","
                + "\"content\":[{\"type\":\"input_text\",\"text\":\"which seat?\"}]}]}");
        assertThat(found.get("search_id").asText()).startsWith("memsearch_");
        assertThat(found.get("memories")).hasSize(1);
        assertThat(found.at("/memories/0/memory_item/content").asText()).isEqualTo("seat=window");
        assertThat(search("m", "{\"scope\":\"user-2\"}").get("memories")).isEmpty();

        JsonNode changed = poll("m", update("m", userSays("user-1", "remember seat=aisle", 0)).json().get("update_id").asText());
        assertThat(changed.at("/result/memory_operations/0/kind").asText()).isEqualTo("update");
        assertThat(changed.at("/result/memory_operations/0/memory_item/memory_id").asText())
                .isEqualTo(memory.get("memory_id").asText());
        JsonNode forgotten = poll("m", update("m", userSays("user-1", "forget seat", 0)).json().get("update_id").asText());
        assertThat(forgotten.at("/result/memory_operations/0/kind").asText()).isEqualTo("delete");
        assertThat(search("m", "{\"scope\":\"user-1\"}").get("memories")).isEmpty();
    }

    @Test
    void anUpdateWaitsForItsDelayAndALaterOneOfTheScopeSupersedesIt() {
        create("m");
        String first = update("m", userSays("u", "remember a=1", 300)).json().get("update_id").asText();
        assertThat(poll("m", first).get("status").asText()).isEqualTo("queued"); // the spec's default wait: 300 s
        assertThat(search("m", "{\"scope\":\"u\"}").get("memories")).isEmpty();
        String second = update("m", userSays("u", "remember b=2", 0)).json().get("update_id").asText();
        JsonNode superseded = poll("m", first);
        assertThat(superseded.get("status").asText()).isEqualTo("superseded");
        assertThat(superseded.get("superseded_by").asText()).isEqualTo(second);
        assertThat(poll("m", second).get("status").asText()).isEqualTo("completed");
        assertThat(search("m", "{\"scope\":\"u\"}").findValuesAsText("content")).containsExactly("a=1", "b=2");
    }

    @Test
    void anUpdateIsInProgressForTheRegionsMemoryUpdateDelay() {
        emulator.region("eastus2").memoryUpdateDelay(Duration.ofHours(1));
        create("m");
        String id = update("m", userSays("u", "remember a=1", 0)).json().get("update_id").asText();
        assertThat(poll("m", id).get("status").asText()).isEqualTo("in_progress");
        assertThat(search("m", "{\"scope\":\"u\"}").get("memories")).isEmpty();
    }

    @Test
    void deleteScopeForgetsOnlyThatScope() {
        create("m");
        poll("m", update("m", userSays("u1", "remember a=1", 0)).json().get("update_id").asText());
        poll("m", update("m", userSays("u2", "remember a=2", 0)).json().get("update_id").asText());
        JsonNode deleted = http.post("/memory_stores/m:delete_scope?api-version=2025-11-15-preview",
                "{\"scope\":\"u1\"}").json();
        assertThat(deleted.get("object").asText()).isEqualTo("memory_store.scope.deleted");
        assertThat(deleted.get("scope").asText()).isEqualTo("u1");
        assertThat(search("m", "{\"scope\":\"u1\"}").get("memories")).isEmpty();
        assertThat(search("m", "{\"scope\":\"u2\"}").get("memories")).hasSize(1);
    }

    @Test
    void anAgentWithMemorySearchRemembersAcrossConversationsOfItsScope() {
        create("m");
        http.post("/agents/concierge/versions?api-version=2025-11-15-preview", "{\"definition\":{\"kind\":\"prompt\","
                + "\"model\":\"gpt-4o-mini\",\"tools\":[{\"type\":\"memory_search\",\"memory_store_name\":\"m\","
                + "\"scope\":\"{{$userId}}\",\"update_delay\":0}]}}");
        String first = http.post("/openai/conversations?api-version=2025-11-15-preview", "{}").json().get("id").asText();
        JsonNode told = http.post("/openai/responses?api-version=2025-11-15-preview", "{\"conversation\":\"" + first
                + "\",\"input\":\"remember color=blue\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"concierge\"}}")
                .json();
        assertThat(told.at("/output/0/content/0/text").asText()).isEqualTo("OK, I will remember color.");
        assertThat(search("m", "{\"scope\":\"emulator-user\"}").findValuesAsText("content")).containsExactly("color=blue");

        String second = http.post("/openai/conversations?api-version=2025-11-15-preview", "{}").json().get("id").asText();
        JsonNode answer = http.post("/openai/responses?api-version=2025-11-15-preview", "{\"conversation\":\"" + second
                + "\",\"input\":\"recall color\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"concierge\"}}").json();
        JsonNode call = answer.at("/output/0");
        assertThat(call.get("type").asText()).isEqualTo("memory_search_call");
        assertThat(call.get("id").asText()).startsWith("msc_");
        assertThat(call.get("status").asText()).isEqualTo("completed");
        assertThat(call.at("/results/0/memory_item/content").asText()).isEqualTo("color=blue");
        assertThat(answer.at("/output/1/content/0/text").asText()).isEqualTo("color is blue.");
        JsonNode items = http.get("/openai/conversations/" + second + "/items?api-version=2025-11-15-preview&order=asc").json();
        assertThat(items.get("data")).extracting(i -> i.get("type").asText())
                .containsExactly("message", "memory_search_call", "message");

        // written back in its input form (type and results, as replay writes it): listed with a new id and a status
        String copy = http.post("/openai/conversations?api-version=2025-11-15-preview", "{}").json().get("id").asText();
        Http.Reply written = http.post("/openai/conversations/" + copy + "/items?api-version=2025-11-15-preview",
                "{\"items\":[{\"type\":\"memory_search_call\",\"results\":" + call.get("results") + "}]}");
        assertThat(written.status()).as(written.text()).isEqualTo(200);
        JsonNode back = written.json().at("/data/0");
        assertThat(back.get("id").asText()).startsWith("msc_").isNotEqualTo(call.get("id").asText());
        assertThat(back.get("status").asText()).isEqualTo("completed");
        assertThat(back.get("results")).isEqualTo(call.get("results"));
        assertThat(http.post("/openai/conversations/" + copy + "/items?api-version=2025-11-15-preview",
                "{\"items\":[{\"type\":\"memory_search_call\",\"results\":\"x\"}]}").json().at("/error/param").asText())
                .isEqualTo("items[0].results");

        http.delete("/memory_stores/m?api-version=2025-11-15-preview");
        JsonNode lost = http.post("/openai/responses?api-version=2025-11-15-preview", "{\"conversation\":\"" + second
                + "\",\"input\":\"recall size\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"concierge\"}}").json();
        assertThat(lost.at("/output/0/status").asText()).isEqualTo("failed");
        assertThat(lost.at("/output/0/results").isNull()).isTrue();
        assertThat(lost.at("/output/1/content/0/text").asText()).isEqualTo("I don't know size.");
    }
    @Test
    void theRegionsAgentMemoryUpdateDelayReplacesTheToolsSoAQuietPeriodNeedNotBeWaitedFor() {
        create("m");
        http.post("/agents/concierge/versions?api-version=2025-11-15-preview", "{\"definition\":{\"kind\":\"prompt\","
                + "\"model\":\"gpt-4o-mini\",\"tools\":[{\"type\":\"memory_search\",\"memory_store_name\":\"m\","
                + "\"scope\":\"{{$userId}}\",\"update_delay\":60}]}}");
        String agent = ",\"agent\":{\"type\":\"agent_reference\",\"name\":\"concierge\"}}";
        String first = http.post("/openai/conversations?api-version=2025-11-15-preview", "{}").json().get("id").asText();
        http.post("/openai/responses?api-version=2025-11-15-preview", "{\"conversation\":\"" + first
                + "\",\"input\":\"remember color=blue\"" + agent);
        // the tool's 60 s: queued, nothing found yet
        assertThat(search("m", "{\"scope\":\"emulator-user\"}").get("memories")).isEmpty();

        emulator.region("eastus2").agentMemoryUpdateDelay(Duration.ZERO);
        http.post("/openai/responses?api-version=2025-11-15-preview", "{\"conversation\":\"" + first
                + "\",\"input\":\"remember size=large\"" + agent);
        // processed at once, taking over the queued update of the scope (superseded: nothing lost)
        assertThat(search("m", "{\"scope\":\"emulator-user\"}").findValuesAsText("content"))
                .containsExactly("color=blue", "size=large");

        emulator.region("eastus2").agentMemoryUpdateDelay(null);
        http.post("/openai/responses?api-version=2025-11-15-preview", "{\"conversation\":\"" + first
                + "\",\"input\":\"remember color=red\"" + agent);
        assertThat(search("m", "{\"scope\":\"emulator-user\"}").findValuesAsText("content"))
                .as("the tool's update_delay again").containsExactly("color=blue", "size=large");
        assertThatThrownBy(() -> emulator.region("eastus2").agentMemoryUpdateDelay(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero or positive");
    }
}
