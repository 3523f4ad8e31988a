package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Indexing takes time ({@code in_progress} for the region's indexing delay), fails for files file search
 * cannot index, and file batches attach several files at once.
 */
class VectorStoreIndexingTest {

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

    private String store() {
        return http.post("/openai/vector_stores", "{\"name\":\"kb\"}").json().get("id").asText();
    }

    private String file(String name, String content) {
        return FilesAndVectorStoresTest.upload(http, name, content).json().get("id").asText();
    }

    @Test
    void anAttachedFileIsInProgressUntilIndexedAndNotSearchableMeanwhile() {
        emulator.region("eastus2").indexingDelay(Duration.ofHours(1));
        String store = store();
        String file = file("leave.md", "Leave is 25 days.");
        JsonNode attached = http.post("/openai/vector_stores/" + store + "/files", "{\"file_id\":\"" + file + "\"}").json();
        assertThat(attached.get("status").asText()).isEqualTo("in_progress");
        JsonNode vs = http.get("/openai/vector_stores/" + store).json();
        assertThat(vs.get("status").asText()).isEqualTo("in_progress");
        assertThat(vs.at("/file_counts/in_progress").asInt()).isEqualTo(1);
        assertThat(vs.at("/file_counts/completed").asInt()).isZero();
        assertThat(http.get("/openai/vector_stores/" + store + "/files?filter=in_progress").json().get("data")).hasSize(1);
        assertThat(http.get("/openai/vector_stores/" + store + "/files?filter=completed").json().get("data")).isEmpty();

        http.post("/agents/kb/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"tools\":["
                + "{\"type\":\"file_search\",\"vector_store_ids\":[\"" + store + "\"]}]}}");
        String conversation = http.post("/openai/conversations", "{}").json().get("id").asText();
        JsonNode answer = http.post("/openai/responses", "{\"conversation\":\"" + conversation + "\",\"input\":\"search leave\","
                + "\"agent\":{\"type\":\"agent_reference\",\"name\":\"kb\"}}").json();
        assertThat(answer.at("/output/0/type").asText()).isEqualTo("file_search_call"); // the search ran
        assertThat(answer.at("/output/1/content/0/text").asText()).isEqualTo("No document mentions leave.");
    }

    @Test
    void filesFileSearchCannotIndexFailWithLastError() {
        String store = store();
        String empty = file("empty.txt", "");
        String binary = file("scan.bin", "xyz");
        JsonNode e = http.post("/openai/vector_stores/" + store + "/files", "{\"file_id\":\"" + empty + "\"}").json();
        assertThat(e.get("status").asText()).isEqualTo("failed");
        assertThat(e.at("/last_error/code").asText()).isEqualTo("invalid_file");
        JsonNode b = http.post("/openai/vector_stores/" + store + "/files", "{\"file_id\":\"" + binary + "\"}").json();
        assertThat(b.get("status").asText()).isEqualTo("failed");
        assertThat(b.at("/last_error/code").asText()).isEqualTo("unsupported_file");
        assertThat(b.at("/last_error/message").asText()).contains("scan.bin");
        assertThat(http.get("/openai/vector_stores/" + store).json().at("/file_counts/failed").asInt()).isEqualTo(2);
    }

    @Test
    void aFileBatchAttachesItsFilesAndReportsTheirCounts() {
        String store = store();
        String a = file("a.txt", "alpha");
        String b = file("b.md", "beta");
        JsonNode batch = http.post("/openai/vector_stores/" + store + "/file_batches",
                "{\"file_ids\":[\"" + a + "\",\"" + b + "\"],\"attributes\":{\"team\":\"hr\"}}").json();
        assertThat(batch.get("object").asText()).isEqualTo("vector_store.files_batch");
        assertThat(batch.get("id").asText()).startsWith("vsfb_");
        assertThat(batch.get("status").asText()).isEqualTo("completed");
        assertThat(batch.at("/file_counts/completed").asInt()).isEqualTo(2);
        assertThat(batch.at("/file_counts/total").asInt()).isEqualTo(2);
        String id = batch.get("id").asText();
        assertThat(http.get("/openai/vector_stores/" + store + "/file_batches/" + id).json().get("vector_store_id").asText())
                .isEqualTo(store);
        JsonNode files = http.get("/openai/vector_stores/" + store + "/file_batches/" + id + "/files?order=asc").json();
        assertThat(files.get("data")).hasSize(2);
        assertThat(files.at("/data/0/attributes/team").asText()).isEqualTo("hr");
        assertThat(http.post("/openai/vector_stores/" + store + "/file_batches/" + id + "/cancel", "").status()).isEqualTo(400);
        assertThat(http.get("/openai/vector_stores/" + store + "/file_batches/vsfb_ghost").status()).isEqualTo(404);
        assertThat(http.post("/openai/vector_stores/" + store + "/file_batches", "{}").error().path("param").asText())
                .isEqualTo("file_ids");
    }

    @Test
    void cancellingABatchStillIndexingDetachesItsUnindexedFiles() {
        emulator.region("eastus2").indexingDelay(Duration.ofHours(1));
        String store = store();
        String a = file("a.txt", "alpha");
        String id = http.post("/openai/vector_stores/" + store + "/file_batches", "{\"files\":[{\"file_id\":\"" + a + "\"}]}")
                .json().get("id").asText();
        JsonNode cancelled = http.post("/openai/vector_stores/" + store + "/file_batches/" + id + "/cancel", "").json();
        assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
        assertThat(cancelled.at("/file_counts/cancelled").asInt()).isEqualTo(1);
        assertThat(http.get("/openai/vector_stores/" + store + "/files").json().get("data")).isEmpty();
    }
}
