package dev.continuity.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.continuity.conformance.SchemaValidator.Direction;
import dev.continuity.emulator.Emulator;
import dev.continuity.journal.TurnItem;
import dev.continuity.replay.ConversationReplayer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every item the library's replayer writes validates against the specification's input schema: a
 * conversation with every item type the scripted model produces (messages, a function call and its output,
 * file_search, MCP tool list / approval request and response / calls, code_interpreter, reasoning) is read
 * back as the journal keeps it (from the responses' output and from the conversation's listing, which
 * carries {@code created_by}), selected and shaped by the replay policy, and each item must validate against
 * the preview document's {@code OpenAI.Item} union as a request, declare no field its union member does not
 * declare, and be accepted by the strict emulator.
 */
class ReplayedItemsMatchTheInputSchemaTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String base;

    @Test
    void everyReplayedItemValidatesAgainstTheSpecsInputSchema() throws Exception {
        Specs specs = Specs.load();
        SchemaValidator validator = new SchemaValidator(specs.preview(), new SchemaValidator(specs.openai(), null));
        JsonNode itemSchema = specs.preview().resolve("#/definitions/OpenAI.Item");
        try (Emulator emulator = Emulator.builder().region("eastus2").start()) {
            base = emulator.region("eastus2").projectEndpoint();
            post("/agents/desk/versions", "{\"definition\":{\"kind\":\"prompt\",\"model\":\"gpt-4o-mini\",\"tools\":["
                    + "{\"type\":\"function\",\"name\":\"lookup\",\"parameters\":{\"type\":\"object\"}},"
                    + "{\"type\":\"file_search\",\"vector_store_ids\":[\"vs_none\"]},"
                    + "{\"type\":\"mcp\",\"server_label\":\"crm\",\"server_url\":\"https://crm.example/mcp\","
                    + "\"require_approval\":{\"never\":{\"tool_names\":[\"lookup\"]}}},"
                    + "{\"type\":\"code_interpreter\",\"container\":{\"type\":\"auto\"}}]}}");
            String conversation = post("/openai/conversations", "{}").path("id").asText();
            List<TurnItem> journal = new ArrayList<>();
            turn(conversation, "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"call lookup {\\\"id\\\":7}\"}]", "", journal);
            String callId = journal.get(journal.size() - 1).node().path("call_id").asText();
            turn(conversation, "[{\"type\":\"function_call_output\",\"call_id\":\"" + callId + "\",\"output\":\"found\"}]",
                    "", journal);
            turn(conversation, "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"search refund\"}]",
                    ",\"include\":[\"file_search_call.results\"]", journal);
            turn(conversation, "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"mcp crm update {\\\"id\\\":7}\"}]", "", journal);
            String request = journal.get(journal.size() - 1).node().path("id").asText();
            turn(conversation, "[{\"type\":\"mcp_approval_response\",\"approval_request_id\":\"" + request
                    + "\",\"approve\":true}]", "", journal);
            turn(conversation, "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"mcp crm lookup\"}]", "", journal);
            turn(conversation, "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"run print(1)\"}]", "", journal);
            turn(conversation, "[{\"type\":\"message\",\"role\":\"user\",\"content\":\"think twice\"}]", "", journal);

            // the journal's other source: a region's listing (recovering a pending turn), with created_by
            List<TurnItem> listed = new ArrayList<>();
            for (JsonNode item : get("/openai/conversations/" + conversation + "/items?order=asc&limit=100").path("data")) {
                listed.add(TurnItem.of(item.toString()));
            }
            assertThat(get("/openai/conversations/" + conversation + "/items?order=asc&limit=100").path("data")
                    .findValues("created_by")).as("the listing carries created_by").isNotEmpty();

            for (List<TurnItem> source : List.of(journal, listed)) {
                List<TurnItem> replayed = ConversationReplayer.replayedItems(source);
                Set<String> types = new TreeSet<>();
                StringBuilder batch = new StringBuilder();
                for (TurnItem item : replayed) {
                    types.add(item.type());
                    JsonNode node = JSON.readTree(item.json());
                    assertThat(validator.validate(node, itemSchema, Direction.REQUEST)).as(item.json()).isEmpty();
                    assertThat(undeclared(specs.preview(), node)).as(item.json()).isEmpty();
                    batch.append(batch.length() == 0 ? "" : ",").append(item.json());
                }
                assertThat(types).containsExactlyInAnyOrder("message", "function_call", "function_call_output",
                        "file_search_call", "mcp_list_tools", "mcp_approval_request", "mcp_approval_response",
                        "mcp_call", "code_interpreter_call");
                // and the strict emulator takes them back (in batches of at most 20, as replay writes them)
                String copy = post("/openai/conversations", "{}").path("id").asText();
                for (int from = 0; from < replayed.size(); from += 20) {
                    StringBuilder chunk = new StringBuilder();
                    for (TurnItem item : replayed.subList(from, Math.min(replayed.size(), from + 20))) {
                        chunk.append(chunk.length() == 0 ? "" : ",").append(item.json());
                    }
                    post("/openai/conversations/" + copy + "/items", "{\"items\":[" + chunk + "]}");
                }
            }
        }
    }

    /** A response's input and output items, as the journaling client keeps them. */
    private void turn(String conversation, String input, String extra, List<TurnItem> journal) throws Exception {
        for (JsonNode item : JSON.readTree(input)) {
            journal.add(TurnItem.of(item.toString()));
        }
        JsonNode response = post("/openai/responses", "{\"agent\":{\"type\":\"agent_reference\",\"name\":\"desk\"},"
                + "\"conversation\":\"" + conversation + "\",\"input\":" + input + extra + "}");
        for (JsonNode item : response.path("output")) {
            journal.add(TurnItem.of(item.toString()));
        }
    }

    /** Top-level fields of {@code item} its {@code OpenAI.Item} union member (and the member's bases) does not declare. */
    private static List<String> undeclared(SpecDocument preview, JsonNode item) {
        String type = item.path("type").asText();
        Set<String> declared = new HashSet<>();
        JsonNode definitions = preview.root().path("definitions");
        for (Iterator<String> names = definitions.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            JsonNode definition = definitions.get(name);
            if (type.equals(definition.path("x-ms-discriminator-value").asText())
                    && definition.path("allOf").toString().contains("#/definitions/OpenAI.Item\"")) {
                collect(preview, definition, declared);
            }
        }
        if ("message".equals(type)) {
            // OpenAI's OutputMessage, which the Foundry document renders as output_message
            collect(preview, preview.resolve("#/definitions/OpenAI.ItemOutputMessage"), declared);
        }
        List<String> extra = new ArrayList<>();
        item.fieldNames().forEachRemaining(field -> {
            if (!declared.contains(field)) {
                extra.add(type + "." + field);
            }
        });
        return extra;
    }

    private static void collect(SpecDocument document, JsonNode schema, Set<String> into) {
        schema.path("properties").fieldNames().forEachRemaining(into::add);
        for (JsonNode part : schema.path("allOf")) {
            collect(document, part.has("$ref") ? document.resolve(part.get("$ref").asText()) : part, into);
        }
    }

    private JsonNode post(String path, String body) throws IOException, InterruptedException {
        return exchange(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), path);
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return exchange(HttpRequest.newBuilder(URI.create(base + path)).GET(), path);
    }

    private JsonNode exchange(HttpRequest.Builder request, String path) throws IOException, InterruptedException {
        String url = base + path;
        HttpResponse<String> response = http.send(request.uri(URI.create(url + (url.contains("?") ? "&" : "?")
                + "api-version=2025-11-15-preview")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
