package dev.continuity.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import dev.continuity.emulator.EmulatorRegion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What the suite does with the emulator: for each family of operations a short life cycle (create, read, list,
 * update, delete) with valid requests the spec accepts, each followed by the requests the spec refuses
 * ({@link Conformance.Call#refusals()}), and a request for something missing so an error body is checked too.
 * A flow stops at the first operation the emulator does not serve; the report says where.
 */
final class Flows {

    private static final String MODEL = "gpt-4o-mini";
    /** A deployment the suite's emulator adds, for memory stores. */
    static final String EMBEDDING_MODEL = "text-embedding-3-small";
    private final Conformance run;
    private final EmulatorRegion region;
    private final List<String> skipped = new ArrayList<>();

    Flows(Conformance run, EmulatorRegion region) {
        this.run = run;
        this.region = region;
    }

    /** The steps skipped since the last call because their operation is not served (and forgets them). */
    List<String> drainSkipped() {
        List<String> out = new ArrayList<>(skipped);
        skipped.clear();
        return out;
    }

    /** A step of an operation the emulator may not serve yet: skipped (and reported) when it does not. */
    private void ifServed(Runnable step) {
        try {
            step.run();
        } catch (Conformance.NotServed e) {
            skipped.add(e.getMessage());
        }
    }

    /** Agents and agent versions (Foundry preview). */
    void agents() {
        String definition = "{\"kind\":\"prompt\",\"model\":\"" + MODEL + "\",\"instructions\":\"Answer briefly.\"}";
        run.call("preview", "Agents_CreateAgent").body("{\"name\":\"conformance-agent\",\"description\":\"checked\","
                + "\"metadata\":{\"suite\":\"conformance\"},\"definition\":" + definition + "}").refusals().send();
        run.call("preview", "Agents_CreateAgentVersion").path("agent_name", "conformance-agent")
                .body("{\"definition\":" + definition + ",\"description\":\"second\"}").refusals().send();
        run.call("preview", "Agents_UpdateAgent").path("agent_name", "conformance-agent")
                .body("{\"definition\":" + definition + "}").refusals().send();
        run.call("preview", "Agents_GetAgent").path("agent_name", "conformance-agent").refusals().send();
        run.call("preview", "Agents_GetAgent").path("agent_name", "conformance-missing").expect(404).send();
        run.call("preview", "Agents_ListAgents").query("limit", "10").query("order", "asc").refusals().send();
        run.call("preview", "Agents_ListAgentVersions").path("agent_name", "conformance-agent").query("order", "desc")
                .refusals().send();
        run.call("preview", "Agents_GetAgentVersion").path("agent_name", "conformance-agent").path("agent_version", "1")
                .refusals().send();
        run.call("preview", "Agents_DeleteAgentVersion").path("agent_name", "conformance-agent").path("agent_version", "1")
                .send();
        run.call("preview", "Agents_DeleteAgentVersion").path("agent_name", "conformance-agent").path("agent_version", "1")
                .expect(404).refusals().send();
        run.call("preview", "Agents_DeleteAgent").path("agent_name", "conformance-agent").send();
        run.call("preview", "Agents_DeleteAgent").path("agent_name", "conformance-agent").expect(404).refusals().send();
    }

    /**
     * Conversations, their items and responses: {@code preview} is the Foundry document's {@code /openai/...}
     * routes, {@code openai-v1} the OpenAI document's under {@code /openai/v1}.
     */
    void conversations(String route) {
        boolean foundry = route.equals("preview");
        String agent = "conformance-" + route;
        if (foundry) {
            run.call("preview", "Agents_CreateAgentVersion").path("agent_name", agent)
                    .body("{\"definition\":{\"kind\":\"prompt\",\"model\":\"" + MODEL + "\"}}").send();
        }
        JsonNode conversation = run.call(route, "createConversation")
                .body("{\"metadata\":{\"topic\":\"conformance\"},\"items\":[{\"type\":\"message\",\"role\":\"user\","
                        + "\"content\":\"Hello\"}]}").refusals().send();
        String id = conversation.path("id").asText();
        run.call(route, "getConversation").path("conversation_id", id).refusals().send();
        run.call(route, "getConversation").path("conversation_id", "conv_conformance_missing").expect(404).send();
        run.call(route, "updateConversation").path("conversation_id", id)
                .body("{\"metadata\":{\"topic\":\"changed\"}}").refusals().send();
        JsonNode added = run.call(route, "createConversationItems").path("conversation_id", id)
                .body("{\"items\":[{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                        + "\"text\":\"More\"}]},{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":"
                        + "\"output_text\",\"text\":\"Sure\",\"annotations\":[]}]}]}").refusals().send();
        String itemId = added.path("data").path(0).path("id").asText();
        run.call(route, "listConversationItems").path("conversation_id", id).query("order", "asc").query("limit", "20")
                .refusals().send();
        run.call(route, "getConversationItem").path("conversation_id", id).path("item_id", itemId).refusals().send();
        run.call(route, "getConversationItem").path("conversation_id", id).path("item_id", "msg_conformance_missing")
                .expect(404).send();

        String responseBody = foundry
                ? "{\"agent\":{\"type\":\"agent_reference\",\"name\":\"" + agent + "\"},\"conversation\":\"" + id
                        + "\",\"input\":\"What is the refund policy?\"}"
                : "{\"model\":\"" + MODEL + "\",\"conversation\":\"" + id + "\",\"input\":\"What is the refund policy?\"}";
        JsonNode response = run.call(route, "createResponse").body(responseBody).refusals().send();
        String responseId = response.path("id").asText();
        run.call(route, "createResponse").body("{\"model\":\"" + MODEL + "\",\"input\":[{\"type\":\"message\","
                + "\"role\":\"user\",\"content\":\"Hi\"}],\"instructions\":\"be terse\",\"metadata\":{\"turn\":\"1\"},"
                + "\"store\":true}").send();
        // the remaining create options, echoed (each echo is validated against the Response schema), and a
        // response continuing another through previous_response_id
        String optioned = run.call(route, "createResponse").body("{\"model\":\"" + MODEL + "\",\"input\":\"Hi\","
                + "\"reasoning\":{\"effort\":\"low\",\"summary\":\"auto\"},\"truncation\":\"auto\","
                + "\"parallel_tool_calls\":false,\"max_tool_calls\":2,\"service_tier\":\"default\",\"top_logprobs\":1,"
                + "\"prompt_cache_key\":\"conformance\",\"safety_identifier\":\"conformance-user\",\"user\":\"u\","
                + "\"store\":true,\"background\":false}").send().path("id").asText();
        run.call(route, "createResponse").body("{\"model\":\"" + MODEL + "\",\"input\":\"And then?\","
                + "\"previous_response_id\":\"" + optioned + "\"}").send();
        run.call(route, "getResponse").path("response_id", responseId).refusals().send();
        run.call(route, "getResponse").path("response_id", "resp_conformance_missing").expect(404).send();
        run.call(route, "deleteConversationItem").path("conversation_id", id).path("item_id", itemId).send();
        run.call(route, "deleteConversationItem").path("conversation_id", id).path("item_id", itemId).expect(404)
                .refusals().send();
        if (foundry) {
            ifServed(() -> run.call(route, "listConversations").query("limit", "10").query("order", "desc").refusals().send());
            ifServed(() -> run.call(route, "listResponses").query("limit", "10").refusals().send());
        }
        ifServed(() -> run.call(route, "listInputItems").path("response_id", responseId).query("order", "asc")
                .refusals().send());
        run.call(route, "deleteResponse").path("response_id", responseId).send();
        run.call(route, "deleteResponse").path("response_id", responseId).expect(404).refusals().send();
        run.call(route, "deleteConversation").path("conversation_id", id).send();
        run.call(route, "deleteConversation").path("conversation_id", id).expect(404).refusals().send();
        // streamed: a create with stream true (text, on this route family's agent or model), a background one whose
        // stream is retrieved again after its second event; every event held to its stream event schema
        String streamedConversation = run.call(route, "createConversation").body("{}").send().path("id").asText();
        String streamedBody = responseBody.replace(id, streamedConversation);
        run.call(route, "createResponse").body(streamedBody.substring(0, streamedBody.length() - 1)
                + ",\"stream\":true}").stream();
        String streamedBackground = run.call(route, "createResponse").body("{\"model\":\"" + MODEL + "\",\"input\":\"Tell it\","
                + "\"background\":true,\"stream\":true}").stream().get(0).path("response").path("id").asText();
        run.call(route, "getResponse").path("response_id", streamedBackground).query("stream", "true")
                .query("starting_after", "1").stream();
        // last: a failing cancel stops the flow, and must not hide the checks above
        ifServed(() -> {
            String background = run.call(route, "createResponse").body("{\"model\":\"" + MODEL + "\",\"input\":\"Slow\","
                    + "\"background\":true}").send().path("id").asText();
            run.call(route, "getResponse").path("response_id", background).send(); // in_progress
            run.call(route, "cancelResponse").path("response_id", background).send();
            run.call(route, "cancelResponse").path("response_id", background).send(); // idempotent
            String polled = run.call(route, "createResponse").body("{\"model\":\"" + MODEL + "\",\"input\":\"Slow\","
                    + "\"background\":true}").send().path("id").asText();
            run.call(route, "getResponse").path("response_id", polled).send(); // in_progress
            run.call(route, "getResponse").path("response_id", polled).send(); // completed
        });
    }

    /**
     * Hosted-tool and reasoning items (Foundry preview): an agent with file_search, an MCP tool requiring
     * approval and code_interpreter answers with {@code file_search_call}, {@code mcp_list_tools},
     * {@code mcp_approval_request}, then (after the {@code mcp_approval_response}) {@code mcp_call},
     * {@code code_interpreter_call} and {@code reasoning} items, each checked against the response schema; the
     * conversation's items, listed, against the item schemas; and every one of them sent back as conversation
     * items (what replay does), against the request schema.
     */
    void hostedTools() {
        String agent = "conformance-hosted";
        run.call("preview", "Agents_CreateAgentVersion").path("agent_name", agent)
                .body("{\"definition\":{\"kind\":\"prompt\",\"model\":\"" + MODEL + "\",\"tools\":["
                        + "{\"type\":\"file_search\",\"vector_store_ids\":[\"vs_conformance\"]},"
                        + "{\"type\":\"mcp\",\"server_label\":\"crm\",\"server_url\":\"https://crm.example/mcp\","
                        + "\"require_approval\":\"always\"},{\"type\":\"code_interpreter\",\"container\":{\"type\":\"auto\"}}]}}")
                .send();
        String id = run.call("preview", "createConversation").body("{}").send().path("id").asText();
        String reference = "{\"agent\":{\"type\":\"agent_reference\",\"name\":\"" + agent + "\"},\"conversation\":\""
                + id + "\",";
        run.call("preview", "createResponse").body(reference + "\"input\":\"search refund\","
                + "\"include\":[\"file_search_call.results\"]}").send();
        JsonNode asked = run.call("preview", "createResponse").body(reference + "\"input\":\"mcp crm lookup\"}").send();
        String request = asked.path("output").path(1).path("id").asText();
        run.call("preview", "createResponse").body(reference + "\"input\":[{\"type\":\"mcp_approval_response\","
                + "\"approval_request_id\":\"" + request + "\",\"approve\":true}]}").send();
        run.call("preview", "createResponse").body(reference + "\"input\":\"run print(1)\"}").send();
        run.call("preview", "createResponse").body(reference + "\"input\":\"think it over\"}").send();
        run.call("preview", "createResponse").body("{\"model\":\"" + MODEL + "\",\"store\":false,"
                + "\"include\":[\"reasoning.encrypted_content\"],\"input\":\"think again\"}").send();
        // the same turns streamed, in a conversation of their own: each hosted tool's events, a function call's
        // argument deltas and the reasoning summary's events, each held to its stream event schema
        String streamed = run.call("preview", "createConversation").body("{}").send().path("id").asText();
        String streamedReference = reference.replace(id, streamed);
        run.call("preview", "createResponse").body(streamedReference + "\"input\":\"search refund\","
                + "\"include\":[\"file_search_call.results\"],\"stream\":true}").stream();
        String streamedRequest = null;
        for (JsonNode event : run.call("preview", "createResponse")
                .body(streamedReference + "\"input\":\"mcp crm lookup\",\"stream\":true}").stream()) {
            if (event.path("type").asText().equals("response.output_item.done")
                    && event.path("item").path("type").asText().equals("mcp_approval_request")) {
                streamedRequest = event.path("item").path("id").asText();
            }
        }
        run.call("preview", "createResponse").body(streamedReference + "\"input\":[{\"type\":\"mcp_approval_response\","
                + "\"approval_request_id\":\"" + streamedRequest + "\",\"approve\":true}],\"stream\":true}").stream();
        run.call("preview", "createResponse").body(streamedReference + "\"input\":\"run print(1)\",\"stream\":true}")
                .stream();
        run.call("preview", "createResponse").body(streamedReference + "\"input\":\"think it over\",\"stream\":true}")
                .stream();
        run.call("preview", "createResponse").body("{\"model\":\"" + MODEL + "\",\"tools\":[{\"type\":\"function\","
                + "\"name\":\"lookup\",\"parameters\":{\"type\":\"object\"},\"strict\":false}],\"input\":\"call lookup {\\\"id\\\":7}\","
                + "\"stream\":true}").stream();
        run.call("preview", "createResponse").body("{\"model\":\"" + MODEL + "\",\"input\":\"" + "long answer ".repeat(20)
                + "\",\"max_output_tokens\":16,\"stream\":true}").stream();
        JsonNode items = run.call("preview", "listConversationItems").path("conversation_id", id)
                .query("order", "asc").query("limit", "100").send();
        // every non-message item back into a new conversation, as replay writes them (ids and statuses kept,
        // the approval response without its server id, no created_by: the source region's read-only provenance)
        StringBuilder replayed = new StringBuilder();
        for (JsonNode item : items.path("data")) {
            String type = item.path("type").asText();
            if (type.equals("message") || type.equals("reasoning")) {
                continue;
            }
            com.fasterxml.jackson.databind.node.ObjectNode copy = item.deepCopy();
            copy.remove("created_by");
            if (type.equals("mcp_approval_response")) {
                copy.remove("id");
            }
            replayed.append(replayed.length() == 0 ? "" : ",").append(copy);
        }
        // added to a conversation (the Foundry document's createConversation admits only message and item_reference
        // items: its InputItem union lacks OpenAI's Item variant; createConversationItems admits any item)
        String copy = run.call("preview", "createConversation").body("{}").send().path("id").asText();
        run.call("preview", "createConversationItems").path("conversation_id", copy)
                .body("{\"items\":[" + replayed + "]}").send();
        run.call("preview", "listConversationItems").path("conversation_id", copy).query("order", "asc")
                .query("limit", "100").send();
        run.call("preview", "deleteConversation").path("conversation_id", copy).send();
        run.call("preview", "deleteConversation").path("conversation_id", id).send();
    }

    /** Files and vector stores (OpenAI document) under {@code /openai} or {@code /openai/v1}. */
    void files(String route) {
        String boundary = "conformance-boundary";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nassistants\r\n"
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"policy.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nRefunds within 30 days.\r\n--" + boundary + "--\r\n";
        String fileId = run.call(route, "createFile")
                .raw("multipart/form-data; boundary=" + boundary, multipart.getBytes(StandardCharsets.UTF_8)).send()
                .path("id").asText();
        String second = run.call(route, "createFile")
                .raw("multipart/form-data; boundary=" + boundary, multipart.getBytes(StandardCharsets.UTF_8)).send()
                .path("id").asText();
        run.call(route, "listFiles").query("order", "asc").query("limit", "10").refusals().send();
        run.call(route, "retrieveFile").path("file_id", fileId).refusals().send();
        run.call(route, "retrieveFile").path("file_id", "file-conformance-missing").expect(404).send();

        String storeId = run.call(route, "createVectorStore")
                .body("{\"name\":\"conformance-store\",\"file_ids\":[\"" + fileId + "\"],\"metadata\":{\"k\":\"v\"}}")
                .refusals().send().path("id").asText();
        run.call(route, "listVectorStores").query("order", "desc").query("limit", "10").refusals().send();
        run.call(route, "getVectorStore").path("vector_store_id", storeId).refusals().send();
        run.call(route, "getVectorStore").path("vector_store_id", "vs_conformance_missing").expect(404).send();
        run.call(route, "createVectorStoreFile").path("vector_store_id", storeId)
                .body("{\"file_id\":\"" + second + "\"}").refusals().send();
        run.call(route, "listVectorStoreFiles").path("vector_store_id", storeId).query("order", "asc").refusals().send();
        run.call(route, "getVectorStoreFile").path("vector_store_id", storeId).path("file_id", second).refusals().send();
        run.call(route, "deleteVectorStoreFile").path("vector_store_id", storeId).path("file_id", second).send();
        run.call(route, "deleteVectorStoreFile").path("vector_store_id", storeId).path("file_id", second).expect(404)
                .refusals().send();
        ifServed(() -> run.call(route, "modifyVectorStore").path("vector_store_id", storeId)
                .body("{\"name\":\"renamed\"}").refusals().send());
        ifServed(() -> run.call(route, "downloadFile").path("file_id", fileId).send());
        ifServed(() -> run.call(route, "retrieveVectorStoreFileContent").path("vector_store_id", storeId)
                .path("file_id", fileId).send());
        ifServed(() -> run.call(route, "updateVectorStoreFileAttributes").path("vector_store_id", storeId)
                .path("file_id", fileId).body("{\"attributes\":{\"topic\":\"refunds\"}}").refusals().send());
        ifServed(() -> run.call(route, "searchVectorStore").path("vector_store_id", storeId)
                .body("{\"query\":\"refunds\",\"max_num_results\":5}").refusals().send());
        ifServed(() -> {
            // a batch still indexing (an indexing delay no flow outlives), so that cancel has something to cancel
            region.indexingDelay(Duration.ofHours(1));
            try {
                String batch = run.call(route, "createVectorStoreFileBatch").path("vector_store_id", storeId)
                        .body("{\"file_ids\":[\"" + second + "\"]}").refusals().send().path("id").asText();
                run.call(route, "getVectorStoreFileBatch").path("vector_store_id", storeId).path("batch_id", batch).send();
                run.call(route, "listFilesInVectorStoreBatch").path("vector_store_id", storeId).path("batch_id", batch)
                        .refusals().send();
                run.call(route, "cancelVectorStoreFileBatch").path("vector_store_id", storeId).path("batch_id", batch)
                        .send();
            } finally {
                region.indexingDelay(Duration.ZERO);
            }
        });
        run.call(route, "deleteVectorStore").path("vector_store_id", storeId).send();
        run.call(route, "deleteVectorStore").path("vector_store_id", storeId).expect(404).refusals().send();
        run.call(route, "deleteFile").path("file_id", fileId).send();
        run.call(route, "deleteFile").path("file_id", fileId).expect(404).refusals().send();
    }

    /** Memory stores (Foundry preview, {@code /memory_stores}): what an agent with the memory_search tool uses. */
    void memoryStores() {
        String store = "conformance-memory";
        run.call("preview", "createMemoryStore").body("{\"name\":\"" + store + "\",\"description\":\"checked\","
                + "\"metadata\":{\"suite\":\"conformance\"},\"definition\":{\"kind\":\"default\",\"chat_model\":\""
                + MODEL + "\",\"embedding_model\":\"" + EMBEDDING_MODEL + "\"}}").refusals().send();
        run.call("preview", "getMemoryStore").path("name", store).refusals().send();
        run.call("preview", "getMemoryStore").path("name", "conformance-missing").expect(404).send();
        run.call("preview", "listMemoryStores").query("order", "asc").query("limit", "10").refusals().send();
        run.call("preview", "updateMemoryStore").path("name", store).body("{\"description\":\"changed\"}")
                .refusals().send();
        String message = "{\"type\":\"message\",\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                + "\"text\":\"remember seat=window\"}]}";
        ifServed(() -> {
            String update = run.call("preview", "updateMemories").path("name", store)
                    .body("{\"scope\":\"user-1\",\"items\":[" + message + "],\"update_delay\":0}").expect(202)
                    .refusals().send().path("update_id").asText();
            run.call("preview", "getUpdateResult").path("name", store).path("update_id", update).refusals().send();
        });
        ifServed(() -> run.call("preview", "searchMemories").path("name", store)
                .body("{\"scope\":\"user-1\",\"items\":[" + message + "]}").refusals().send());
        // an agent whose memory_search tool answers from the store: a memory_search_call in the response and the
        // conversation, and the item written back in its input form (type and results), as replay writes it
        ifServed(() -> {
            String agent = "conformance-memory-agent";
            run.call("preview", "Agents_CreateAgentVersion").path("agent_name", agent)
                    .body("{\"definition\":{\"kind\":\"prompt\",\"model\":\"" + MODEL + "\",\"tools\":["
                            + "{\"type\":\"memory_search\",\"memory_store_name\":\"" + store + "\",\"scope\":\"user-1\","
                            + "\"update_delay\":0}]}}").send();
            String id = run.call("preview", "createConversation").body("{}").send().path("id").asText();
            // the Foundry document's OpenAI.OutputItem union (a response's output) has no memory_search_call variant,
            // though it defines the item (MemorySearchToolCallItemResource) and lists it among a conversation's items
            run.call("preview", "createResponse").body("{\"agent\":{\"type\":\"agent_reference\",\"name\":\"" + agent
                    + "\"},\"conversation\":\"" + id + "\",\"input\":\"recall seat\"}")
                    .unchecked("OpenAI.OutputItem lacks memory_search_call").send();
            JsonNode items = run.call("preview", "listConversationItems").path("conversation_id", id)
                    .query("order", "asc").query("limit", "100").send();
            StringBuilder replayed = new StringBuilder();
            for (JsonNode item : items.path("data")) {
                if (item.path("type").asText().equals("memory_search_call")) {
                    replayed.append("{\"type\":\"memory_search_call\",\"results\":").append(item.path("results"))
                            .append('}');
                }
            }
            String copy = run.call("preview", "createConversation").body("{}").send().path("id").asText();
            run.call("preview", "createConversationItems").path("conversation_id", copy)
                    .body("{\"items\":[" + replayed + "]}")
                    .unchecked("OpenAI.ConversationItem (this operation's answer) lacks memory_search_call").send();
            run.call("preview", "listConversationItems").path("conversation_id", copy).query("order", "asc")
                    .query("limit", "100").send();
            run.call("preview", "deleteConversation").path("conversation_id", copy).send();
            run.call("preview", "deleteConversation").path("conversation_id", id).send();
            run.call("preview", "Agents_DeleteAgent").path("agent_name", agent).send();
        });
        ifServed(() -> run.call("preview", "deleteScopeMemories").path("name", store).body("{\"scope\":\"user-1\"}")
                .refusals().send());
        run.call("preview", "deleteMemoryStore").path("name", store).send();
        run.call("preview", "deleteMemoryStore").path("name", store).expect(404).refusals().send();
    }

    /** Deployments and connections, in the preview or the v1 document. */
    void catalog(String route) {
        JsonNode list = run.call(route, "Deployments_List").refusals().send();
        String name = list.path("value").path(0).path("name").asText(MODEL);
        run.call(route, "Deployments_Get").path("name", name).refusals().send();
        run.call(route, "Deployments_Get").path("name", "conformance-missing").expect(404).send();
        JsonNode connections = run.call(route, "Connections_List").refusals().send();
        String connection = connections.path("value").path(0).path("name").asText("");
        if (!connection.isEmpty()) {
            run.call(route, "Connections_Get").path("name", connection).refusals().send();
        }
        run.call(route, "Connections_Get").path("name", "conformance-missing").expect(404).send();
    }
}
