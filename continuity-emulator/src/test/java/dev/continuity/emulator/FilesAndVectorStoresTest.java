package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Files, vector stores and the {@code search} command over raw HTTP, per region. */
class FilesAndVectorStoresTest {

    private Emulator emulator;
    private Http east;
    private Http central;

    @BeforeEach
    void start() {
        emulator = Emulator.builder().region("eastus2").region("centralus").start();
        east = Http.of(emulator.region("eastus2"));
        central = Http.of(emulator.region("centralus"));
    }

    @AfterEach
    void stop() {
        emulator.close();
    }

    @Test
    void uploadGetListDeleteFiles() {
        JsonNode file = upload(east, "policy.txt", "Refunds within 30 days.").json();
        assertThat(file.path("object").asText()).isEqualTo("file");
        assertThat(file.path("id").asText()).startsWith("file-");
        assertThat(file.path("filename").asText()).isEqualTo("policy.txt");
        assertThat(file.path("bytes").asLong()).isEqualTo(23);
        assertThat(file.path("purpose").asText()).isEqualTo("assistants");
        assertThat(file.path("status").asText()).isEqualTo("processed");
        String id = file.path("id").asText();
        String second = upload(east, "b.txt", "b").json().path("id").asText();

        assertThat(east.get("/openai/files/" + id).json().path("filename").asText()).isEqualTo("policy.txt");
        JsonNode list = east.get("/openai/files?order=asc").json();
        assertThat(ids(list)).containsExactly(id, second);
        assertThat(ids(east.get("/openai/files?order=asc&limit=1&after=" + id).json())).containsExactly(second);
        assertThat(central.get("/openai/files/" + id).status()).isEqualTo(404);

        JsonNode deleted = east.delete("/openai/files/" + id).json();
        assertThat(deleted.path("deleted").asBoolean()).isTrue();
        assertThat(deleted.path("object").asText()).isEqualTo("file");
        assertThat(east.get("/openai/files/" + id).status()).isEqualTo(404);
        assertThat(emulator.region("eastus2").fileCount()).isEqualTo(1);
        assertThat(emulator.region("eastus2").operationCounts().get("files.create")).isEqualTo(2);
        assertThat(emulator.region("eastus2").operationCounts().get("files.delete")).isEqualTo(1);
    }

    @Test
    void uploadsNeedPurposeAndFileAndMultipart() {
        Http.Reply noPurpose = multipart(east, "b0", List.of(filePart("b0", "a.txt", "x")));
        assertThat(noPurpose.status()).isEqualTo(400);
        assertThat(noPurpose.error().path("param").asText()).isEqualTo("purpose");
        Http.Reply noFile = multipart(east, "b1", List.of(field("b1", "purpose", "assistants")));
        assertThat(noFile.status()).isEqualTo(400);
        assertThat(noFile.error().path("param").asText()).isEqualTo("file");
        Http.Reply json = east.post("/openai/files", "{\"purpose\":\"assistants\"}");
        assertThat(json.status()).isEqualTo(400);
        assertThat(json.error().path("message").asText()).contains("multipart/form-data");
    }

    @Test
    void vectorStoresHoldFilesAndDetachThem() {
        String a = upload(east, "a.txt", "alpha").json().path("id").asText();
        String b = upload(east, "b.txt", "beta").json().path("id").asText();
        JsonNode store = east.post("/openai/vector_stores",
                "{\"name\":\"handbook\",\"file_ids\":[\"" + a + "\"],\"metadata\":{\"k\":\"v\"}}").json();
        assertThat(store.path("object").asText()).isEqualTo("vector_store");
        assertThat(store.path("id").asText()).startsWith("vs_");
        assertThat(store.path("status").asText()).isEqualTo("completed");
        assertThat(store.path("file_counts").path("completed").asInt()).isEqualTo(1);
        assertThat(store.path("file_counts").path("total").asInt()).isEqualTo(1);
        assertThat(store.path("usage_bytes").asLong()).isEqualTo(5);
        assertThat(store.path("metadata").path("k").asText()).isEqualTo("v");
        String vs = store.path("id").asText();

        JsonNode attached = east.post("/openai/vector_stores/" + vs + "/files",
                "{\"file_id\":\"" + b + "\",\"attributes\":{\"path\":\"docs/b.txt\"}}").json();
        assertThat(attached.path("object").asText()).isEqualTo("vector_store.file");
        assertThat(attached.path("vector_store_id").asText()).isEqualTo(vs);
        assertThat(attached.path("status").asText()).isEqualTo("completed");
        assertThat(attached.path("attributes").path("path").asText()).isEqualTo("docs/b.txt");

        JsonNode files = east.get("/openai/vector_stores/" + vs + "/files?order=asc").json();
        assertThat(ids(files)).containsExactly(a, b);
        assertThat(east.get("/openai/vector_stores/" + vs).json().path("file_counts").path("total").asInt()).isEqualTo(2);
        assertThat(ids(east.get("/openai/vector_stores").json())).containsExactly(vs);

        JsonNode detached = east.delete("/openai/vector_stores/" + vs + "/files/" + a).json();
        assertThat(detached.path("object").asText()).isEqualTo("vector_store.file.deleted");
        assertThat(ids(east.get("/openai/vector_stores/" + vs + "/files").json())).containsExactly(b);
        assertThat(east.get("/openai/files/" + a).status()).isEqualTo(200); // detaching keeps the file
        east.delete("/openai/files/" + b); // deleting a file detaches it everywhere
        assertThat(ids(east.get("/openai/vector_stores/" + vs + "/files").json())).isEmpty();

        assertThat(east.post("/openai/vector_stores", "{\"file_ids\":[\"file-nope\"]}").status()).isEqualTo(400);
        assertThat(central.get("/openai/vector_stores/" + vs).status()).isEqualTo(404);
        assertThat(east.delete("/openai/vector_stores/" + vs).json().path("object").asText())
                .isEqualTo("vector_store.deleted");
        assertThat(east.get("/openai/vector_stores/" + vs).status()).isEqualTo(404);
        assertThat(emulator.region("eastus2").operationCounts())
                .containsEntry("vector_stores.create", 2L)
                .containsEntry("vector_stores.files.create", 1L)
                .containsEntry("vector_stores.files.delete", 1L);
    }

    @Test
    void moreThanTenThousandFileIdsIsRefused() {
        StringBuilder ids = new StringBuilder("{\"file_ids\":[");
        for (int i = 0; i <= 10_000; i++) {
            ids.append(i == 0 ? "" : ",").append("\"file-").append(i).append('"');
        }
        Http.Reply reply = east.post("/openai/vector_stores", ids.append("]}").toString());
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.error().path("code").asText()).isEqualTo("too_many_files");
        assertThat(reply.error().path("message").asText()).contains("10001").contains("10000");
    }

    @Test
    void searchAnswersFromTheAgentsVectorStoresInThatRegionWithCitations() {
        String a = upload(east, "a.txt", "The REFUND policy: 30 days.").json().path("id").asText();
        String b = upload(east, "b.txt", "Shipping takes 3 days; refunds go back to the card.").json().path("id").asText();
        String c = upload(east, "c.txt", "Nothing about money.").json().path("id").asText();
        String other = upload(east, "z.txt", "refund elsewhere").json().path("id").asText();
        String vs = east.post("/openai/vector_stores", "{\"file_ids\":[\"" + b + "\",\"" + a + "\",\"" + c + "\"]}")
                .json().path("id").asText();
        east.post("/openai/vector_stores", "{\"file_ids\":[\"" + other + "\"]}");
        String agent = "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"tools\":["
                + "{\"type\":\"file_search\",\"vector_store_ids\":[\"" + vs + "\"]}]}}";
        assertThat(east.post("/agents/kb/versions", agent).status()).isEqualTo(200);
        assertThat(central.post("/agents/kb/versions", agent).status()).isEqualTo(200);

        JsonNode message = answer(east, "kb", "search refund");
        JsonNode part = message.path("content").get(0);
        assertThat(part.path("text").asText()).isEqualTo("Found refund in: a.txt, b.txt.");
        JsonNode annotations = part.path("annotations");
        assertThat(annotations).hasSize(2);
        assertThat(annotations.get(0).path("type").asText()).isEqualTo("file_citation");
        assertThat(annotations.get(0).path("file_id").asText()).isEqualTo(a);
        assertThat(annotations.get(0).path("filename").asText()).isEqualTo("a.txt");
        assertThat(annotations.get(0).path("index").asInt()).isEqualTo(0);
        assertThat(annotations.get(1).path("file_id").asText()).isEqualTo(b);
        assertThat(answer(east, "kb", "search penguins").path("content").get(0).path("text").asText())
                .isEqualTo("No document mentions penguins.");
        // the same definition in a region where that vector store does not exist finds nothing
        assertThat(answer(central, "kb", "search refund").path("content").get(0).path("text").asText())
                .isEqualTo("No document mentions refund.");
        // an agent without file_search does not search: ordinary chat
        east.post("/agents/plain/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}");
        assertThat(answer(east, "plain", "search refund").path("content").get(0).path("text").asText())
                .isEqualTo("[plain@1 in eastus2] You said: search refund");
    }

    @Test
    void searchTurnsEmitAFileSearchCallBeforeTheMessageWithResultsWhenIncludeAsks() {
        String a = upload(east, "a.txt", "Intro\nThe REFUND policy: 30 days.\nEnd").json().path("id").asText();
        String vs = east.post("/openai/vector_stores", "{\"file_ids\":[\"" + a + "\"]}").json().path("id").asText();
        assertThat(east.post("/agents/kb/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\","
                + "\"tools\":[{\"type\":\"file_search\",\"vector_store_ids\":[\"" + vs + "\"]}]}}").status()).isEqualTo(200);
        String conversation = east.post("/openai/conversations", "{}").json().path("id").asText();

        Http.Reply plain = east.post("/openai/responses", "{\"agent\":{\"type\":\"agent_reference\",\"name\":\"kb\"},"
                + "\"conversation\":\"" + conversation + "\",\"input\":\"search refund\"}");
        JsonNode output = plain.json().path("output");
        assertThat(output).hasSize(2);
        JsonNode call = output.get(0);
        assertThat(call.path("type").asText()).isEqualTo("file_search_call");
        assertThat(call.path("id").asText()).startsWith("fs_");
        assertThat(call.path("status").asText()).isEqualTo("completed");
        assertThat(call.path("queries").get(0).asText()).isEqualTo("refund");
        assertThat(call.get("results").isNull()).isTrue();
        assertThat(output.get(1).path("type").asText()).isEqualTo("message");

        Http.Reply withResults = east.post("/openai/responses", "{\"agent\":{\"type\":\"agent_reference\",\"name\":\"kb\"},"
                + "\"conversation\":\"" + conversation + "\",\"include\":[\"file_search_call.results\"],"
                + "\"input\":\"search refund\"}");
        JsonNode result = withResults.json().path("output").get(0).path("results").get(0);
        assertThat(result.path("file_id").asText()).isEqualTo(a);
        assertThat(result.path("filename").asText()).isEqualTo("a.txt");
        assertThat(result.path("text").asText()).isEqualTo("The REFUND policy: 30 days.");
        assertThat(result.path("score").isNumber()).isTrue();
        // the conversation holds the calls as items, ids and statuses included
        JsonNode items = east.get("/openai/conversations/" + conversation + "/items?order=asc").json().path("data");
        assertThat(items.get(1).path("type").asText()).isEqualTo("file_search_call");
        assertThat(items.get(1).path("id").asText()).isEqualTo(call.path("id").asText());
    }

    private static JsonNode answer(Http region, String agent, String text) {
        Http.Reply reply = region.post("/openai/responses", "{\"agent\":{\"type\":\"agent_reference\",\"name\":\""
                + agent + "\"},\"input\":\"" + text + "\"}");
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        JsonNode output = reply.json().path("output");
        return output.get(output.size() - 1);
    }

    static Http.Reply upload(Http region, String filename, String content) {
        String boundary = "continuity-test-boundary";
        Http.Reply reply = multipart(region, boundary, List.of(field(boundary, "purpose", "assistants"),
                filePart(boundary, filename, content)));
        assertThat(reply.status()).as(reply.text()).isEqualTo(200);
        return reply;
    }

    private static Http.Reply multipart(Http region, String boundary, List<String> parts) {
        String body = String.join("", parts) + "--" + boundary + "--\r\n";
        return region.send(HttpRequest.newBuilder(region.uri("/openai/files"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
    }

    private static String field(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    private static String filePart(String boundary, String filename, String content) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: text/plain\r\n\r\n" + content + "\r\n";
    }

    private static List<String> ids(JsonNode list) {
        List<String> ids = new ArrayList<>();
        list.path("data").forEach(n -> ids.add(n.path("id").asText()));
        return ids;
    }
}
