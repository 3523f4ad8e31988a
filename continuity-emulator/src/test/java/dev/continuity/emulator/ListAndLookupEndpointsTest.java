package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operations the spec defines that the emulator used to answer 404/405: list conversations (by
 * agent, paged), list responses, a response's input items, cancel, the {@code item_type} filter and
 * file content.
 */
class ListAndLookupEndpointsTest {

    private Emulator emulator;
    private Http http;

    @BeforeEach
    void start() {
        emulator = Emulator.builder().region("eastus2").start();
        http = Http.of(emulator.region("eastus2"));
        for (String agent : List.of("alpha", "beta")) {
            http.post("/agents/" + agent + "/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}");
        }
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    private String conversation() {
        return http.post("/openai/conversations", "{}").json().get("id").asText();
    }

    private JsonNode respond(String conversation, String agent, String input) {
        return http.post("/openai/responses", "{\"conversation\":\"" + conversation + "\",\"input\":\"" + input
                + "\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"" + agent + "\"}}").json();
    }

    @Test
    void listConversationsPagesInCreationOrderAndFiltersByAgent() {
        String a1 = conversation();
        String b1 = conversation();
        String unused = conversation();
        String a2 = conversation();
        respond(a1, "alpha", "x");
        respond(b1, "beta", "x");
        respond(a2, "alpha", "x");
        String deleted = conversation();
        respond(deleted, "alpha", "x");
        http.delete("/openai/conversations/" + deleted);

        JsonNode all = http.get("/openai/conversations?order=asc").json();
        assertThat(ids(all)).containsExactly(a1, b1, unused, a2);
        assertThat(ids(http.get("/openai/conversations").json())).containsExactly(a2, unused, b1, a1);
        assertThat(ids(http.get("/openai/conversations?agent_name=alpha&order=asc").json())).containsExactly(a1, a2);
        assertThat(ids(http.get("/openai/conversations?agent_id=beta:1").json())).containsExactly(b1);
        assertThat(ids(http.get("/openai/conversations?agent_id=beta:2").json())).isEmpty();

        JsonNode page = http.get("/openai/conversations?order=asc&limit=2").json();
        assertThat(ids(page)).containsExactly(a1, b1);
        assertThat(page.get("has_more").asBoolean()).isTrue();
        JsonNode next = http.get("/openai/conversations?order=asc&limit=2&after=" + page.get("last_id").asText()).json();
        assertThat(ids(next)).containsExactly(unused, a2);
        assertThat(next.get("has_more").asBoolean()).isFalse();
        assertThat(ids(http.get("/openai/conversations?order=asc&after=" + a2).json())).isEmpty();
        assertThat(http.get("/openai/conversations?after=nope").status()).isEqualTo(400);
    }

    @Test
    void listResponsesFiltersByAgentAndConversation() {
        String c1 = conversation();
        String c2 = conversation();
        String r1 = respond(c1, "alpha", "x").get("id").asText();
        String r2 = respond(c2, "beta", "x").get("id").asText();
        String r3 = respond(c1, "beta", "y").get("id").asText();
        assertThat(ids(http.get("/openai/responses?order=asc").json())).containsExactly(r1, r2, r3);
        assertThat(ids(http.get("/openai/responses?agent_name=beta").json())).containsExactly(r3, r2);
        assertThat(ids(http.get("/openai/responses?conversation_id=" + c1 + "&order=asc").json())).containsExactly(r1, r3);
        assertThat(ids(http.get("/openai/responses?agent_id=alpha:1").json())).containsExactly(r1);
        http.delete("/openai/responses/" + r1);
        assertThat(ids(http.get("/openai/responses?order=asc").json())).containsExactly(r2, r3);
    }

    @Test
    void inputItemsAreTheItemsTheResponseWasGiven() {
        String c = conversation();
        JsonNode r = http.post("/openai/responses", "{\"conversation\":\"" + c + "\",\"input\":[{\"role\":\"user\","
                + "\"content\":\"one\"},{\"role\":\"user\",\"content\":\"two\"}],\"agent\":{\"type\":\"agent_reference\","
                + "\"name\":\"alpha\"}}").json();
        JsonNode items = http.get("/openai/responses/" + r.get("id").asText() + "/input_items?order=asc").json();
        assertThat(items.get("object").asText()).isEqualTo("list");
        assertThat(items.at("/data/0/content/0/text").asText()).isEqualTo("one");
        assertThat(items.at("/data/1/content/0/text").asText()).isEqualTo("two");
        // the ids are the conversation's ids of those items
        JsonNode stored = http.get("/openai/conversations/" + c + "/items?order=asc").json();
        assertThat(items.at("/data/0/id").asText()).isEqualTo(stored.at("/data/0/id").asText());
        JsonNode desc = http.get("/openai/responses/" + r.get("id").asText() + "/input_items?limit=1").json();
        assertThat(desc.at("/data/0/content/0/text").asText()).isEqualTo("two");
        assertThat(desc.get("has_more").asBoolean()).isTrue();
        assertThat(http.get("/openai/responses/resp_ghost/input_items").status()).isEqualTo(404);
    }

    @Test
    void cancellingACompletedResponseIs400AndAnUnknownOne404() {
        String r = respond(conversation(), "alpha", "x").get("id").asText();
        Http.Reply reply = http.post("/openai/responses/" + r + "/cancel", "");
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("message").asText()).contains("background=true").contains(r);
        assertThat(http.get("/openai/responses/" + r).json().get("status").asText()).isEqualTo("completed");
        assertThat(http.post("/openai/responses/resp_ghost/cancel", "").status()).isEqualTo(404);
    }

    @Test
    void itemTypeFiltersConversationItems() {
        emulator.close();
        emulator = Emulator.builder().region("eastus2").start();
        http = Http.of(emulator.region("eastus2"));
        http.post("/agents/fn/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"tools\":["
                + "{\"type\":\"function\",\"name\":\"lookup\",\"parameters\":{}}]}}");
        String c = conversation();
        respond(c, "fn", "call lookup");
        JsonNode calls = http.get("/openai/conversations/" + c + "/items?item_type=function_call").json();
        assertThat(calls.get("data")).hasSize(1);
        assertThat(calls.at("/data/0/type").asText()).isEqualTo("function_call");
        assertThat(http.get("/openai/conversations/" + c + "/items?item_type=message").json().get("data")).hasSize(1);
        assertThat(http.get("/openai/conversations/" + c + "/items?item_type=reasoning").json().get("data")).isEmpty();
        Http.Reply bad = http.get("/openai/conversations/" + c + "/items?item_type=bogus");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error().path("param").asText()).isEqualTo("item_type");
    }

    @Test
    void fileContentIsTheUploadedBytes() throws Exception {
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n--"
                + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"p.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nexact bytes \u00e9\r\n--" + boundary + "--\r\n";
        String id = http.send(HttpRequest.newBuilder(http.uri("/openai/files"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body))).json().get("id").asText();
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        HttpResponse<byte[]> content = client.send(HttpRequest.newBuilder(http.uri("/openai/files/" + id + "/content"))
                .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(content.statusCode()).isEqualTo(200);
        assertThat(content.headers().firstValue("content-type")).hasValue("application/octet-stream");
        assertThat(new String(content.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("exact bytes \u00e9");
        assertThat(http.get("/openai/files/file-ghost/content").status()).isEqualTo(404);
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.get("data").forEach(n -> ids.add(n.get("id").asText()));
        return ids;
    }
}
