package dev.continuity.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Concurrent turns: nothing lost, input and output of one response stay adjacent, ids stay unique. */
class ConcurrencyTest {

    @Test
    void concurrentResponsesOnOneConversationAreSerialisedPerConversation() throws Exception {
        try (Emulator emulator = Emulator.builder().region("eastus2").start()) {
            Http setup = Http.of(emulator.region("eastus2"));
            setup.post("/agents/a/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\"}}");
            String shared = setup.post("/openai/conversations", "{}").json().get("id").asText();
            int threads = 8;
            int turns = 25;
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    Http http = Http.of(emulator.region("eastus2"));
                    String own = http.post("/openai/conversations", "{}").json().get("id").asText();
                    ready.countDown();
                    go.await();
                    List<String> ids = new ArrayList<>();
                    for (int i = 0; i < turns; i++) {
                        for (String conversation : List.of(shared, own)) {
                            Http.Reply reply = http.post("/openai/responses", "{\"conversation\":\"" + conversation
                                    + "\",\"input\":\"t" + thread + "-" + i + "\",\"agent\":{\"type\":\"agent_reference\",\"name\":\"a\"}}");
                            assertThat(reply.status()).isEqualTo(200);
                            ids.add(reply.json().get("id").asText());
                            ids.add(reply.json().at("/output/0/id").asText());
                        }
                    }
                    JsonNode mine = http.get("/openai/conversations/" + own + "/items?limit=100").json();
                    assertThat(mine.get("data")).hasSize(2 * turns);
                    return ids;
                }));
            }
            assertThat(ready.await(30, TimeUnit.SECONDS)).isTrue();
            go.countDown();
            Set<String> allIds = new HashSet<>();
            int total = 0;
            for (Future<List<String>> future : futures) {
                List<String> ids = future.get(120, TimeUnit.SECONDS);
                allIds.addAll(ids);
                total += ids.size();
            }
            pool.shutdown();
            assertThat(allIds).hasSize(total);

            // page through the shared conversation: each input is immediately followed by its answer
            List<JsonNode> items = new ArrayList<>();
            String after = null;
            while (true) {
                JsonNode page = setup.get("/openai/conversations/" + shared + "/items?order=asc&limit=100"
                        + (after == null ? "" : "&after=" + after)).json();
                if (page.get("data").isEmpty()) {
                    break;
                }
                page.get("data").forEach(items::add);
                after = page.get("last_id").asText();
            }
            assertThat(items).hasSize(2 * threads * turns);
            for (int i = 0; i < items.size(); i += 2) {
                String input = items.get(i).at("/content/0/text").asText();
                assertThat(items.get(i).get("role").asText()).isEqualTo("user");
                assertThat(items.get(i + 1).at("/content/0/text").asText()).isEqualTo("[a@1 in eastus2] You said: " + input);
            }
            assertThat(emulator.region("eastus2").operationCounts().get("responses.create")).isEqualTo(2L * threads * turns);
        }
    }
}
